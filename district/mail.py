"""Email for every app: rendered in the portal's language, sent one message per recipient.

Emails go out in the portal's language (`LANGUAGE_CODE`, Korean), whatever language the
request or task that triggers them runs in. Bodies are templates under
`templates/<app>/email/`; subjects are lazy translations in the service that sends them,
so `makemessages` finds them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import translation

from district.korean import fix_particles


def in_portal_language(text, params: dict) -> str:
    """`text % params`, `text` being a (lazy) translation, in the portal's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return fix_particles(str(text) % params)


def render_body(template: str, context: dict) -> str:
    """The email template `template` rendered with `context` in the portal's language.

    Both are written with their particles chosen (`fix_particles`): "%(company)s이(가)" becomes
    "에코프로비엠이" once the name is in.
    """
    with translation.override(settings.LANGUAGE_CODE):
        return fix_particles(render_to_string(template, context))


def send_to_each(addresses: list[str], subject: str, body: str, from_email: str | None = None) -> int:
    """One message per recipient, so that they do not see each other's addresses.

    One connection for all of them. `from_email` is the sender of the district the message
    is about (`District.sender`); None: DEFAULT_FROM_EMAIL. Returns how many were sent.
    """
    messages = [
        EmailMessage(subject=subject, body=body, from_email=from_email, to=[address]) for address in addresses
    ]
    if not messages:
        return 0
    with get_connection() as connection:
        return connection.send_messages(messages) or 0
