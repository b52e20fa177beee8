"""The student's own profile (/me/profile/, issue 15): who may open it, the 자기소개서 with its limit
and draft saving, awards and activities, and the A4 print layout."""

from __future__ import annotations

import datetime
import json
import re

import pytest
from django.test import Client

from schools.models import Activity, SelfIntroduction
from tests import factories as f
from tests.builders import other_student

PROFILE = "/me/profile/"
SAVE = "/me/profile/self-introduction/"
EMPTY_ANSWERS = {"growth": "", "motivation": "", "competence": "", "aspiration": ""}


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def _activity(student, **fields):
    values = {
        "kind": "award",
        "title": "교내 전기설비 경진대회 금상",
        "organiser": "흥해공고",
        "date": datetime.date(2026, 5, 20),
    }
    return Activity.objects.create(student=student, **(values | fields))


# --- Who may open it ------------------------------------------------------------------------------

STUDENT_PAGES = [
    PROFILE,
    "/me/profile/basics/",
    "/me/profile/activities/new/",
    "/me/profile/projects/new/",
    "/me/profile/print/",
]


@pytest.mark.parametrize("url", STUDENT_PAGES)
def test_the_student_opens_their_profile_pages(student_user, world, url):
    assert student_user.get(url).status_code == 200


@pytest.mark.parametrize("url", STUDENT_PAGES)
def test_a_visitor_is_sent_to_log_in(anonymous, world, url):
    response = anonymous.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize("persona", ["official", "school_a_staff", "recruiter_a", "coordinator"])
@pytest.mark.parametrize("url", STUDENT_PAGES)
def test_other_roles_get_403(request, world, persona, url):
    assert request.getfixturevalue(persona).get(url).status_code == 403


def test_another_students_activity_answers_404(world):
    theirs = _activity(world.student)
    stranger = _client(other_student(world).user)
    for url in (f"/me/profile/activities/{theirs.pk}/", f"/me/profile/activities/{theirs.pk}/delete/"):
        assert stranger.get(url).status_code == 404
        assert stranger.post(url, {"title": "바뀜"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "교내 전기설비 경진대회 금상"


def test_the_profile_tab_is_marked_on_the_profile_and_its_sub_pages(student_user, world):
    for url in (PROFILE, "/me/profile/basics/", "/me/profile/activities/new/"):
        html = student_user.get(url).content.decode()
        nav = re.search(r'<nav class="subnav me-tabs"[^>]*>(.*?)</nav>', html, re.S).group(1)
        assert re.findall(r'<a href="([^"]+)" aria-current="page"', nav) == ["/me/profile/"]


# --- What the page shows ---------------------------------------------------------------------------


def test_the_page_shows_the_schools_half_first_then_the_students_own_sections(student_user, world):
    html = student_user.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    order = [
        html.index('id="profile-verified-title"'),
        html.index('id="self-introduction-title"'),
        html.index('id="activities-title"'),
        html.index('id="projects-title"'),
    ]
    assert order == sorted(order)
    assert (
        html.count('<span class="badge badge-verified">Checked by the school</span>') == 1
    )  # no certificates yet
    assert html.count('<span class="badge badge-own">Written by you</span>') == 3
    assert 'id="profile-own-title"' not in html  # the own half is shown as forms, not twice
    assert "Fair Hiring Procedure Act (art. 4-3)" in html
    assert 'type="file"' not in html and "photo" not in html.lower()


def test_empty_lists_say_what_to_add(student_user, world):
    html = student_user.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have not listed any awards or activities yet" in html
    assert "You have not added any projects yet" in html


def test_the_counter_is_rendered_by_the_server(student_user, world):
    SelfIntroduction.objects.create(student=world.student, growth="가" * 345)
    html = student_user.get(PROFILE, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    counters = re.findall(
        r'data-counter-for="(\w+)" data-limit="1000"><span data-count>([\d,]+)</span> / 1,000 characters',
        html,
    )
    assert counters == [("growth", "345"), ("motivation", "0"), ("competence", "0"), ("aspiration", "0")]


def test_the_page_loads_its_script_from_a_static_file(student_user, world):
    html = student_user.get(PROFILE).content.decode()
    assert re.findall(r"<script[^>]*>", html) == [
        '<script id="profile-messages" type="application/json">',  # data, not code (json_script)
        '<script src="/static/js/menu.js" defer>',
        '<script src="/static/js/profile.js" defer>',
    ]


# --- The 자기소개서: the form without JavaScript --------------------------------------------------


def test_saving_without_javascript_keeps_the_answers_and_returns_to_the_profile(student_user, world):
    answers = EMPTY_ANSWERS | {"growth": "포항에서 자랐습니다.\r\n둘째 줄", "aspiration": "  현장 전문가  "}
    response = student_user.post(SAVE, answers)
    assert (response.status_code, response["Location"]) == (302, "/me/profile/#self-introduction")
    intro = SelfIntroduction.objects.get(student=world.student)
    assert (intro.growth, intro.motivation, intro.aspiration) == (
        "포항에서 자랐습니다.\n둘째 줄",
        "",
        "현장 전문가",
    )


def test_an_answer_over_the_limit_is_refused_with_the_text_kept(student_user, world):
    long = "나" * 1001
    response = student_user.post(
        SAVE, EMPTY_ANSWERS | {"growth": long, "motivation": "괜찮음"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    form = response.context["intro_form"]
    assert form.errors == {"growth": ["Keep this answer to 1,000 characters; it has 1,001."]}
    assert form["growth"].value() == long
    assert "<span data-count>1,001</span>" in response.content.decode()
    assert not SelfIntroduction.objects.filter(student=world.student).exists()


def test_exactly_the_limit_is_accepted_and_a_line_break_counts_once(student_user, world, settings):
    settings.PROFILE_ANSWER_MAX_CHARS = 10
    response = student_user.post(SAVE, EMPTY_ANSWERS | {"competence": "가나다라마\r\n바사자차"})
    assert response.status_code == 302
    assert SelfIntroduction.objects.get(student=world.student).competence == "가나다라마\n바사자차"


# --- The 자기소개서: drafts saved as the student types (JSON) -------------------------------------


def test_the_draft_save_answers_json_with_the_time_and_counts(student_user, world):
    response = student_user.post(
        SAVE, EMPTY_ANSWERS | {"motivation": "이차전지"}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    intro = SelfIntroduction.objects.get(student=world.student)
    assert intro.motivation == "이차전지"
    assert body["counts"] == {"growth": 0, "motivation": 4, "competence": 0, "aspiration": 0}
    assert datetime.datetime.fromisoformat(body["saved_at"]).replace(
        microsecond=0
    ) == intro.updated_at.replace(microsecond=0)


def test_a_refused_draft_answers_400_with_field_errors_and_saves_nothing(student_user, world):
    SelfIntroduction.objects.create(student=world.student, growth="이전 답변")
    response = student_user.post(
        SAVE,
        EMPTY_ANSWERS | {"growth": "새 답변", "aspiration": "다" * 1200},
        HTTP_ACCEPT="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert json.loads(response.content) == {
        "errors": {"aspiration": ["Keep this answer to 1,000 characters; it has 1,200."]},
        "counts": {"growth": 4, "motivation": 0, "competence": 0, "aspiration": 1200},
    }
    assert SelfIntroduction.objects.get(student=world.student).growth == "이전 답변"


def test_the_draft_save_needs_the_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.student_user)
    response = client.post(SAVE, EMPTY_ANSWERS | {"growth": "x"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 403
    assert not SelfIntroduction.objects.exists()


def test_the_draft_save_is_post_only(student_user, world):
    assert student_user.get(SAVE).status_code == 405


# --- Awards and activities -------------------------------------------------------------------------


def test_adding_an_activity(student_user, world):
    response = student_user.post(
        "/me/profile/activities/new/",
        {
            "kind": "activity",
            "title": "전기 동아리",
            "organiser": "흥해공고",
            "date": "2026-03-02",
            "description": "회로 실습",
        },
    )
    assert (response.status_code, response["Location"]) == (302, "/me/profile/#activities")
    activity = Activity.objects.get(student=world.student)
    assert (activity.kind, activity.title, activity.date) == (
        "activity",
        "전기 동아리",
        datetime.date(2026, 3, 2),
    )
    assert "전기 동아리" in student_user.get(PROFILE).content.decode()


def test_an_activity_description_over_500_characters_is_refused_and_kept(student_user, world):
    text = "가" * 501
    response = student_user.post(
        "/me/profile/activities/new/",
        {"kind": "award", "title": "상", "date": "2026-03-02", "description": text},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors == {"description": ["Ensure this value has at most 500 characters (it has 501)."]}
    assert form["description"].value() == text
    assert not Activity.objects.exists()


def test_editing_an_activity(student_user, world):
    activity = _activity(world.student)
    response = student_user.post(
        f"/me/profile/activities/{activity.pk}/",
        {"kind": "award", "title": "도 대회 은상", "organiser": "", "date": "2026-06-01", "description": ""},
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.organiser) == ("도 대회 은상", "")


def test_deleting_an_activity_asks_first_then_deletes_on_post(student_user, world):
    activity = _activity(world.student)
    url = f"/me/profile/activities/{activity.pk}/delete/"
    response = student_user.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Delete this award or activity?" in response.content.decode()
    assert Activity.objects.filter(pk=activity.pk).exists()
    assert student_user.post(url)["Location"] == "/me/profile/#activities"
    assert not Activity.objects.filter(pk=activity.pk).exists()


# --- The old small form moved to /me/profile/basics/ ---------------------------------------------


def test_the_basics_form_saves_and_returns_to_the_profile(student_user, world):
    area = f.AreaFactory(district=world.district)
    response = student_user.post("/me/profile/basics/", {"commute_area": area.pk})
    assert (response.status_code, response["Location"]) == (302, "/me/profile/")
    world.student.refresh_from_db()
    assert world.student.commute_area == area


def test_the_profile_links_to_the_basics_and_the_print(student_user, world):
    html = student_user.get(PROFILE).content.decode()
    assert 'href="/me/profile/basics/"' in html and 'href="/me/profile/print/"' in html


# --- Print -----------------------------------------------------------------------------------------


def test_the_print_page_is_a_clean_a4_document(student_user, world):
    SelfIntroduction.objects.create(student=world.student, growth="포항에서 자랐습니다.")
    _activity(world.student)
    response = student_user.get("/me/profile/print/", HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["student_name"] == "김하늘"
    assert "Profile of 김하늘" in html
    assert "<nav" not in html  # no site navigation on paper
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/js/profile-print.js" defer>']
    assert "/static/css/profile.css" in html
    assert html.index('id="profile-verified-title"') < html.index('id="profile-own-title"')
    assert "포항에서 자랐습니다." in html and "교내 전기설비 경진대회 금상" in html


def test_the_print_stylesheet_sets_a4():
    from pathlib import Path

    from django.conf import settings

    css = (Path(settings.BASE_DIR) / "static" / "css" / "profile.css").read_text()
    assert "@page { size: A4;" in css


# --- Query count ---------------------------------------------------------------------------------


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


# Both: session, user, memberships, student; the document: self-introduction, certifications,
# the department's NCS units, attendance, field practice, activities, projects with their files.
# The profile page adds its own lists to edit: activities, projects with their files.
QUERIES = {PROFILE: 13, "/me/profile/print/": 11}


@pytest.mark.parametrize("url", [PROFILE, "/me/profile/print/"])
def test_the_profile_query_count_does_not_grow_with_rows(student_user, world, url):
    from schools.models import ProfileFile, Project

    def add(n):
        for i in range(n):
            _activity(world.student, title=f"활동 {i}")
            file = ProfileFile.objects.create(
                student=world.student,
                path=f"profiles/x/{url}{i}-{Project.objects.count()}",
                original_name="a.pdf",
                content_type="application/pdf",
                size=1,
                sha256="0" * 64,
            )
            Project.objects.create(
                student=world.student, title=f"작품 {i}", date=datetime.date(2026, 1, 1), file=file
            )
            f.StudentCertificationFactory(student=world.student)

    add(1)
    few = _queries(student_user, url)
    add(10)
    assert _queries(student_user, url) == few == QUERIES[url]
