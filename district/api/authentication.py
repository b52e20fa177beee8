"""`Authorization: Token <key>` for city dashboards and BI tools.

A valid key authenticates as a `TokenUser`: a read-only principal that stands for an
official of the token's district and nothing more, on that district's site only (on another
district's host name the key is refused, as a session signed in there would be). Two locks
keep it read-only, so that a view which replaces the default permission classes cannot open
a hole by accident:

1. this authentication class refuses any unsafe method and any view that has not set
   `token_readable = True`;
2. the default permission `district.api.permissions.TokenReadOnly` checks the same.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions
from rest_framework.permissions import SAFE_METHODS

from district.api.tokens import dashboard_token_for_key, dashboard_token_touch
from district.models import DashboardToken, Membership


class TokenUser:
    """The principal behind a dashboard token: reads what an official of its district reads.

    It carries one unsaved official membership of the token's district, which
    `district.access.active_memberships` returns as its cached memberships, so every
    selector scopes it exactly as it scopes an official. It is never staff, never a
    superuser, has no primary key and cannot log in anywhere else.
    """

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, token: DashboardToken):
        self.dashboard_token = token
        self.district_id = token.district_id
        self.username = f"token:{token.key_prefix}"
        self._active_memberships = [
            Membership(role=Membership.Role.OFFICIAL, district_id=token.district_id, is_active=True)
        ]

    def __str__(self):
        return str(self.dashboard_token)

    def get_username(self):
        return self.username

    def has_perm(self, perm, obj=None):
        return False

    def has_perms(self, perm_list, obj=None):
        return False

    def has_module_perms(self, app_label):
        return False


def token_of(user) -> DashboardToken | None:
    """The dashboard token behind a request's user, or None for a person."""
    return getattr(user, "dashboard_token", None)


class DashboardTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the header as “Authorization: Token <key>”."))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token contains invalid characters.")) from exc
        token = dashboard_token_for_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is unknown, revoked or expired."))
        site = getattr(request, "district", None)
        if site is not None and site.pk != token.district_id:
            # Like a session (district.sites), a token is valid on its own district's site only.
            raise exceptions.AuthenticationFailed(_("This token belongs to another district's site."))
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if request.method not in SAFE_METHODS or not getattr(view, "token_readable", False):
            raise exceptions.PermissionDenied(
                _("Dashboard tokens are read-only and open only dashboard data.")
            )
        dashboard_token_touch(token=token)
        return TokenUser(token), token

    def authenticate_header(self, request):
        return self.keyword


class DashboardTokenScheme(OpenApiAuthenticationExtension):
    """Describes the token header in the OpenAPI schema."""

    target_class = "district.api.authentication.DashboardTokenAuthentication"
    name = "dashboardToken"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
