"""Authentication that refuses demo accounts unless the deployment allows them."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class PortalBackend(ModelBackend):
    """Django's model backend, except that demo accounts work only while DEBUG is on.

    The demo data prints its passwords to the console; on a production deployment those
    accounts must be dead even if someone loaded the demo data by mistake.
    """

    def user_can_authenticate(self, user):
        if getattr(user, "is_demo", False) and not settings.DEMO_ACCOUNTS_ENABLED:
            return False
        return super().user_can_authenticate(user)
