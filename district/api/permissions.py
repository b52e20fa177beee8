"""Permissions of the API. Everything is closed unless a view says otherwise.

- `IsAuthenticated`, `TokenReadOnly` and `SecondFactorVerified` are the defaults
  (settings.REST_FRAMEWORK); `ScopedViewSet` keeps the last two even where a view replaces them.
- `PublicReadOnly` is used only by the explicit list of public read viewsets.
- `IsOfficial` guards what only officials (and their district's read-only tokens) read.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission

from district.access import is_official
from district.security import needs_second_factor

SECOND_FACTOR_REQUIRED = "second_factor_required"


class TokenReadOnly(BasePermission):
    """A dashboard token may use safe methods on views that set `token_readable = True`, nothing else."""

    message = _("Dashboard tokens are read-only and open only dashboard data.")

    def has_permission(self, request, view):
        if getattr(request.user, "dashboard_token", None) is None:
            return True
        return request.method in SAFE_METHODS and getattr(view, "token_readable", False)


class SecondFactorVerified(BasePermission):
    """OFFICIALS_REQUIRE_OTP on the API: a session that has not given its second factor is refused.

    The rule is `district.security.needs_second_factor`, the one the admin and the dashboard ask.
    Dashboard tokens are not persons with sessions and pass. The refusal is a 403 whose body
    carries a `code`, so that a client can tell it from a role refusal and send the person
    to the code page.
    """

    message = _("Two-step verification is required: enter the code from your authenticator app first.")

    def has_permission(self, request, view):
        if needs_second_factor(request.user):
            raise PermissionDenied({"detail": self.message, "code": SECOND_FACTOR_REQUIRED})
        return True


class PublicReadOnly(AllowAny):
    """Anyone, signed in or not, may read. Used only by the public allow-list in config/api_urls.py.

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
