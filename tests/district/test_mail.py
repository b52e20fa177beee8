"""district/mail.py: the one way every app renders and sends email."""

from django.core import mail
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from district.mail import in_portal_language, send_to_each


def test_each_recipient_gets_a_message_of_their_own():
    assert send_to_each(["a@example.kr", "b@example.kr"], "Subject", "Body") == 2
    assert [(m.to, m.subject, m.body) for m in mail.outbox] == [
        (["a@example.kr"], "Subject", "Body"),
        (["b@example.kr"], "Subject", "Body"),
    ]


def test_no_recipient_sends_nothing():
    assert send_to_each([], "Subject", "Body") == 0
    assert mail.outbox == []


def test_a_subject_is_in_the_portal_language_whatever_the_request_speaks():
    with translation.override("en"):
        assert (
            in_portal_language(
                _("Published %(sent)d task(s); %(waiting)d still waiting."),
                {
                    "sent": 2,
                    "waiting": 1,
                },
            )
            == "작업 2건을 전송했습니다. 1건이 아직 대기 중입니다."
        )
