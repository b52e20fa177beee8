"""Logging in with a password and, for users who turned it on, a code from an authenticator app.

A user with a confirmed TOTP device is not logged in after the password: the session only
remembers, for five minutes, who gave the right password (`district.security.pending_login`).
The code page then logs them in and marks the session verified. So there is never an
authenticated session that skipped the second factor, and the session key rotates at each step.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from district import security


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Six-digit code"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
        help_text=gettext_lazy("Open your authenticator app and type the code it shows for this portal."),
    )

    def clean_token(self):
        token = self.cleaned_data["token"].replace(" ", "")
        if not token.isdigit() or len(token) not in (6, 8):
            raise forms.ValidationError(_("Enter the six digits your app shows."), code="format")
        return token


WRONG_CODE = gettext_lazy("That code is not right or has expired. Enter the newest code from your app.")


class PortalLoginView(LoginView):
    """Django's login view, stopping before the login when the user has a second factor."""

    def form_valid(self, form):
        user = form.get_user()
        if security.confirmed_devices(user):
            security.start_pending_login(
                self.request, user=user, backend=user.backend, next_url=self.get_success_url()
            )
            return redirect("otp-verify")
        security.end_pending_login(self.request)
        return super().form_valid(form)


def _keep_this_session(request) -> None:
    """After the user's sessions were ended, keep the one making this request (its key rotates)."""
    request.user.refresh_from_db(fields=["session_generation"])
    update_session_auth_hash(request, request.user)


def _default_start() -> str:
    return reverse(settings.LOGIN_REDIRECT_URL)


@never_cache
@sensitive_post_parameters("token")
def verify(request):
    """The code page: after the password step, or for a logged-in user whose session is unverified."""
    pending = None
    if request.user.is_authenticated:
        user = request.user
        next_url = security.safe_next(request, request.GET.get("next"), _default_start())
        if security.is_verified(user):
            return redirect(next_url)
        if not security.confirmed_devices(user):
            return security.redirect_with_next("otp-setup", next_url)
    else:
        pending = security.pending_login(request)
        if pending is None:
            messages.info(request, _("Please log in again."))
            return redirect("login")
        user = pending.user
        next_url = security.safe_next(request, pending.next_url, _default_start())

    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = security.verify_second_factor(user=user, token=form.cleaned_data["token"])
        if device is None:
            form.add_error("token", WRONG_CODE)
        else:
            if pending is not None:
                security.end_pending_login(request)
                auth_login(request, user, backend=pending.backend)  # rotates the session key
            else:
                request.session.cycle_key()
            otp_login(request, device)
            return redirect(next_url)
    return render(request, "otp/verify.html", {"form": form, "pending_user": user})


@never_cache
@login_required
@sensitive_post_parameters("token")
def setup(request):
    """Turn on the second factor: scan the QR code (or type the key), then confirm with a code."""
    if not security.may_enrol(request.user):
        raise PermissionDenied
    next_url = security.safe_next(request, request.GET.get("next"), _default_start())
    if security.confirmed_devices(request.user):
        if not security.is_verified(request.user):
            return security.redirect_with_next("otp-verify", next_url)
        return render(
            request,
            "otp/enabled.html",
            {"required": security.second_factor_required(request.user), "form": TokenForm()},
        )

    device = security.totp_device_start(user=request.user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if security.totp_device_confirm(device=device, token=form.cleaned_data["token"]):
            device.refresh_from_db()
            _keep_this_session(request)  # every other session of the user has ended
            otp_login(request, device)
            messages.success(
                request, _("Two-step verification is on. You will be asked for a code at each log-in.")
            )
            return redirect(next_url)
        form.add_error("token", WRONG_CODE)
    context = {
        "form": form,
        "qr_svg": security.device_qr_svg(device),
        "key_text": security.device_key_text(device),
        "required": security.second_factor_required(request.user),
    }
    return render(request, "otp/setup.html", context)


@never_cache
@login_required
@require_POST
@sensitive_post_parameters("token")
def remove(request):
    """Turn the second factor off, with a current code; refused where the deployment requires it."""
    if not security.may_enrol(request.user) or security.second_factor_required(request.user):
        raise PermissionDenied
    if not security.is_verified(request.user):
        return redirect("otp-verify")
    form = TokenForm(request.POST)
    if form.is_valid() and security.verify_second_factor(user=request.user, token=form.cleaned_data["token"]):
        security.totp_devices_remove(user=request.user)
        _keep_this_session(request)
        request.session.pop("otp_device_id", None)
        messages.success(request, _("Two-step verification is off."))
        return redirect(settings.LOGIN_REDIRECT_URL)
    if form.is_valid():
        form.add_error("token", WRONG_CODE)
    return render(request, "otp/enabled.html", {"required": False, "form": form}, status=400)
