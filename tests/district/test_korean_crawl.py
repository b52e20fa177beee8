"""Every page of every persona reads in Korean: no English word outside an allow-list.

The world is the access matrix's (tests/district/access_world.py: the personas and one object
of each kind). From each persona's start page the crawler (tests/crawl.py) follows every
same-site link it may GET, leaving out the admin, the API docs, logging out and downloads,
and reads each page's visible text. An "English word" is three or more Latin letters in a
row that is not on the allow-list below (brand names, codes, the language switch's "English").
E-mail addresses and web addresses are user data, not words, and are taken out first.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings

from tests.crawl import crawl
from tests.district.access_world import PERSONA_USERS, build_world, verify_second_factor

pytestmark = pytest.mark.django_db

# Where each persona starts: the page after logging in (officials: their dashboard, since the
# admin is not crawled), plus the home page for everyone.
START_PAGES = {
    "anonymous": ["/"],
    "student": ["/me/", "/"],
    "recruiter_a": ["/company/", "/"],
    "school_a": ["/school/", "/"],
    "coordinator": ["/university/", "/"],
    "official": ["/dashboard/", "/"],
}

# Words that stay in Latin letters on a Korean page: names, codes and standards.
ALLOWED = frozenset(
    {
        "English",  # the language switch names the other language in that language
        "NCS",  # 국가직무능력표준 unit codes
        "KEDI",  # the national survey of graduates' employment
        "MOU",
        "API",
        "CSV",
        "Excel",
        "XLSX",
        "ICS",
        "OTP",
        "POSCO",
        "EcoPro",
        "GS",
        "KWCAG",
        "Token",
        "Authorization",
        "xlsx",
        # Keyboard keys, in the multi-select's help until it becomes a searchable list (issue 14 §5).
        "Ctrl",
        "Mac",
        # The file types a project may carry (issue 15).
        "PDF",
        "PNG",
        "JPEG",
    }
)
_NOT_WORDS = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+|https?://\S+|\b[\w-]+\.(xlsx|csv|ics|pdf|png|jpe?g)\b")
_WORD = re.compile(r"[A-Za-z]{3,}")


def english_words(text: str, data: frozenset[str] = frozenset()) -> list[str]:
    """The English words of `text`; `data` are words people typed (log-in names), not the portal's."""
    return sorted({w for w in _WORD.findall(_NOT_WORDS.sub(" ", text)) if w not in ALLOWED | data})


@pytest.fixture(scope="module")
def crawl_world(django_db_setup, django_db_blocker):
    """One world for the module, in a transaction rolled back when the module ends."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                objects = build_world()
            objects.clients = {"anonymous": Client()}
            for persona, attribute in PERSONA_USERS.items():
                client = Client()
                client.force_login(getattr(objects.world, attribute))
                objects.clients[persona] = client
            handler = objects.clients["anonymous"].handler
            for client in objects.clients.values():
                client.handler = handler  # one WhiteNoise scan rather than eight
            official = objects.clients["official"]
            verify_second_factor(objects.world.official, official.cookies[settings.SESSION_COOKIE_NAME].value)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield objects
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


# Pages each persona's crawl must reach (among others): the crawl really walks the persona's work.
PUBLIC = {"/", "/pathways/", "/openings/", "/companies/", "/programs/"}
MUST_REACH = {
    "anonymous": PUBLIC | {"/accounts/login/", "/company/signup/", "/company/join/"},
    "student": PUBLIC
    | {"/me/", "/me/preferences/", "/me/applications/", "/me/practice/", "/me/credits/", "/me/profile/"},
    "recruiter_a": PUBLIC
    | {"/company/", "/company/openings/", "/company/openings/new/", "/company/team/", "/practice/"},
    "school_a": PUBLIC
    | {
        "/school/",
        "/school/students/",
        "/school/students/import/",
        "/school/departments/",
        "/school/curriculum/",
        "/school/training/",
        "/school/practice/",
        "/school/retention/",
    },
    "coordinator": PUBLIC | {"/university/", "/university/programs/new/"},
    "official": PUBLIC | {"/dashboard/"},
}


@pytest.mark.parametrize("persona", list(START_PAGES))
def test_every_page_of_the_persona_is_korean(crawl_world, persona):
    result = crawl(crawl_world.clients[persona], *START_PAGES[persona])
    usernames = frozenset(crawl_world.world.__dict__[name].username for name in PERSONA_USERS.values())
    english = {visit.url: english_words(visit.text, usernames) for visit in result.visits}
    assert {url: words for url, words in english.items() if words} == {}
    assert MUST_REACH[persona] - set(result.urls) == set()
    # Every link led to a page. A 403 is the answer to a link meant for another audience (the
    # home page's entry points), and the 403 page offers the way back.
    assert [(url, status) for url, status, _on in result.broken if status != 403] == []


def test_english_words_leave_codes_addresses_and_brands():
    text = "2026학년도 NCS 기준, EcoPro 공정 · new@example.kr · https://pohang.go.kr/x Draft"
    assert english_words(text) == ["Draft"]


def test_the_check_finds_english_when_english_is_chosen(crawl_world):
    """The same crawl in English fails on the home page's menu: the check can see English."""
    client = Client()
    client.handler = crawl_world.clients["anonymous"].handler
    client.cookies["django_language"] = "en"
    home = crawl(client, "/", per_shape=1, limit=1).visits[0]
    assert {"Pathways", "Openings", "Companies"} <= set(english_words(home.text))
