"""The invited student's page (/accounts/invite/<token>/): setting a password from the link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from schools import forms
from schools.selectors import invitations as invitation_selectors
from schools.services import invitations as invitation_services


@never_cache
def invitation_accept(request, token):
    invitation = invitation_selectors.invitation_for_token(token, district=request.district)
    problem = invitation_services.invitation_problem(invitation)
    if problem:
        status = 404 if problem == "unknown" else 410
        return render(request, "accounts/invite_invalid.html", {"problem": problem}, status=status)
    form = forms.InvitationPasswordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_services.invitation_accept(
                invitation=invitation, password=form.cleaned_data["password1"]
            )
        except ValidationError as error:
            code = getattr(error, "code", None)
            if code in {"unknown", "used", "expired", "left"}:
                return render(request, "accounts/invite_invalid.html", {"problem": code}, status=410)
            form.add_error(None if code == "guardian_consent" else "password1", error)
        else:
            login(request, user, backend="district.backends.PortalBackend")
            messages.success(request, _("Your password is set and you are signed in."))
            return redirect(settings.LOGIN_REDIRECT_URL)
    context = {
        "form": form,
        "invitation": invitation,
        "login_id": invitation_services.invitation_login_id(invitation),
    }
    return render(request, "accounts/invite.html", context)
