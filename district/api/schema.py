"""The schema class of the API: drf-spectacular's AutoSchema, plus the answers DRF gives on its own.

drf-spectacular documents only the success response unless a view lists its refusals by hand,
so the schema promised "200 only" while the API answered 400, 401, 403, 404 and 429 every
day (found by the Schemathesis fuzz test, tests/district/test_api_fuzz.py). This class adds,
to every operation that can produce them and that has not documented them itself:

- 400 where the operation takes filters or a body (django-filter and serializers refuse bad input);
- 401 everywhere: the token authentication refuses a bad `Authorization: Token` header even on
  public endpoints, and an anonymous caller of a closed endpoint is asked to authenticate;
- 403 on closed endpoints and unsafe methods (role, read-only token, CSRF), and on every
  endpoint for an official's session that has not given its second factor;
- 404 on detail routes (out of scope or missing) and on paginated lists (a page past the end);
- 429 where throttles apply.

It also marks the public allow-list as open to anonymous callers (`{}` in `security`):
drf-spectacular recognises only `AllowAny` itself, not `PublicReadOnly`, which derives from it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import permissions, serializers

ErrorSerializer = inline_serializer(
    "Error",
    fields={"detail": serializers.CharField(help_text=_("Why the request was refused."))},
)
FIELD_ERRORS = OpenApiResponse(
    OpenApiTypes.OBJECT,
    description=_("Invalid input: each invalid parameter or field with its messages."),
)


def _error(description) -> OpenApiResponse:
    return OpenApiResponse(ErrorSerializer, description=description)


class AutoSchema(openapi.AutoSchema):
    def _is_public(self) -> bool:
        return self.method in permissions.SAFE_METHODS and any(
            isinstance(permission, permissions.AllowAny) for permission in self.view.get_permissions()
        )

    def _implicit_refusals(self) -> dict[str, OpenApiResponse]:
        view = self.view
        refusals = {}
        takes_input = self.method in ("POST", "PUT", "PATCH") or (
            getattr(view, "filterset_class", None) is not None and self._is_list_view()
        )
        if takes_input:
            refusals["400"] = FIELD_ERRORS
        if view.get_authenticators():
            refusals["401"] = _error(_("Missing, unknown, revoked or expired credentials."))
        if not self._is_public():
            refusals["403"] = _error(
                _(
                    "The caller's role, or a read-only token, may not do this; or an official's "
                    "session has not given its second factor."
                )
            )
        elif view.get_authenticators():
            refusals["403"] = _error(_("An official's session has not given its second factor."))
        if "{" in self.path or (self._is_list_view() and getattr(view, "pagination_class", None)):
            refusals["404"] = _error(_("Not in the caller's reach, missing, or a page past the end."))
        if view.get_throttles():
            refusals["429"] = _error(_("Too many requests; retry after the time in Retry-After."))
        return refusals

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, response in self._implicit_refusals().items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses

    def get_auth(self):
        auths = super().get_auth()
        if self._is_public() and {} not in auths:
            auths.append({})
        return auths
