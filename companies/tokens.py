"""The signed link that confirms a recruiter's email address after sign-up or joining.

A sign-up or join request creates an inactive account and mails this link to the address
typed; nobody is logged in until the link is used, so the page after the form can say the
same thing whether or not the address or the business number was known.
"""

from __future__ import annotations

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode


class SignupConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset token with its own salt, so neither link opens the other's page.

    The hash covers `is_active` as well as the password and the last login: confirming
    activates the account and logs it in, so a link works once. It expires after
    PASSWORD_RESET_TIMEOUT (3 days by default), like a password-reset link.
    """

    key_salt = "companies.tokens.SignupConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


signup_confirmation_token = SignupConfirmationTokenGenerator()


def signup_confirmation_path(user) -> str:
    """The path of the confirmation link for `user`, fresh for this moment."""
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("companies:signup_confirm", args=[uidb64, signup_confirmation_token.make_token(user)])
