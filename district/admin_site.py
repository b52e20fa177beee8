"""The officials' admin site.

Only superusers and users with an active official membership get in. Inside, every
model admin derives from `district.admin_base.DistrictScopedAdmin`, which limits rows
to the official's districts.

Signing in to the admin uses the portal's own two-step login (`district.otp_views`), so
the lockout (django-axes) and the second factor apply here exactly as on /accounts/login/.
While OFFICIALS_REQUIRE_OTP is on, an official whose session is not verified with a code
is sent to the code page (or to enrolment) instead of the admin.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from district import security
from district.access import is_official

# Third-party admins that would not follow the officials' rules (they rely on Django's model
# permissions, and the TOTP one shows each device's secret key): left off this site.
LEFT_OUT_APPS = {"otp_totp", "otp_static"}


# --- Pending work on the admin home -------------------------------------------------------------
# The admin site is district's, which imports no app; the apps that own the work (companies,
# placements) register what awaits an official from their admin modules, which the admin loads
# at start-up (`autodiscover`). Each source is called with the request and answers with a
# `PendingWork` (the count already limited to the official's districts), or None to stay hidden.


@dataclass(frozen=True)
class PendingWork:
    """One kind of work waiting for an official: what it is, how many, and the filtered list."""

    key: str
    label: str
    count: int
    url: str


PendingWorkSource = Callable[..., PendingWork | None]
_pending_work: dict[str, tuple[int, PendingWorkSource]] = {}


def register_pending_work(key: str, source: PendingWorkSource, *, order: int) -> None:
    """Show `source(request)` on the admin home, sorted by `order`. Registering a key again replaces it."""
    _pending_work[key] = (order, source)


def pending_work(request) -> list[PendingWork]:
    """Every registered kind of pending work, in order, including those with nothing waiting."""
    found = (source(request) for _order, source in sorted(_pending_work.values(), key=lambda item: item[0]))
    return [work for work in found if work is not None]


class OfficialAdminSite(admin.AdminSite):
    site_header = _("Innovation District Portal administration")
    site_title = _("Innovation District Portal")
    index_title = _("Programme administration")

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        kept = [model for model in models if model._meta.app_label not in LEFT_OUT_APPS]
        if kept:
            super().register(kept, admin_class, **options)

    def index(self, request, extra_context=None):
        work = pending_work(request)
        context = {"pending_work": work, "pending_total": sum(item.count for item in work)}
        return super().index(request, {**context, **(extra_context or {})})

    def has_permission(self, request):
        user = request.user
        if not (user.is_active and user.is_staff):
            return False
        if not (user.is_superuser or is_official(user)):
            return False
        return not security.needs_second_factor(user)

    def login(self, request, extra_context=None):
        """Django's admin login, with the portal's two-step login view behind it."""
        index_path = reverse("admin:index", current_app=self.name)
        user = request.user
        if security.needs_second_factor(user):
            next_url = security.safe_next(request, request.GET.get(REDIRECT_FIELD_NAME), index_path)
            return security.second_factor_redirect(request, next_url)
        if request.method == "GET" and self.has_permission(request):
            return HttpResponseRedirect(index_path)

        from django.contrib.admin.forms import AdminAuthenticationForm

        from district.otp_views import PortalLoginView

        context = {
            **self.each_context(request),
            "title": _("Log in"),
            "subtitle": None,
            "app_path": request.get_full_path(),
            "username": request.user.get_username(),
        }
        if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
            context[REDIRECT_FIELD_NAME] = index_path
        context.update(extra_context or {})
        request.current_app = self.name
        return PortalLoginView.as_view(
            extra_context=context,
            authentication_form=self.login_form or AdminAuthenticationForm,
            template_name=self.login_template or "admin/login.html",
        )(request)
