"""Permissions of the API. Everything is closed unless a view says otherwise.

- `IsAuthenticated` and `TokenReadOnly` are the defaults (settings.REST_FRAMEWORK).
- `PublicReadOnly` is used only by the explicit list of public read viewsets.
- `IsOfficial` guards what only officials (and their district's read-only tokens) read.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission

from district.access import is_official


class TokenReadOnly(BasePermission):
    """A dashboard token may use safe methods on views that set `token_readable = True`, nothing else."""

    message = _("Dashboard tokens are read-only and open only dashboard data.")

    def has_permission(self, request, view):
        if getattr(request.user, "dashboard_token", None) is None:
            return True
        return request.method in SAFE_METHODS and getattr(view, "token_readable", False)


class PublicReadOnly(AllowAny):
    """Anyone, signed in or not, may read. Used only by the public allow-list in district/api/urls.py.

    It derives from AllowAny so that the schema marks these endpoints as open to anonymous callers.
    """

    def has_permission(self, request, view):
        return request.method in SAFE_METHODS


class IsOfficial(BasePermission):
    """Officials of a district (and superusers, and the district's read-only tokens)."""

    message = _("Only district officials may read this.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and (user.is_superuser or is_official(user)))
