"""A student ranks openings for their cohort's open matching round: up to 30, saved whole or not at all.

The page works with plain form posts (every button posts the list in its current order);
a refused list is shown again with the reasons and nothing stored changes.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from companies.models import Opening
from placements.models import Preference
from placements.services.preferences import preferences_save
from tests import factories as f
from tests.builders import (
    closed_round,
    expired_opening_of,
    open_round,
    opening_of,
    other_district,
    other_student,
)

pytestmark = pytest.mark.django_db


def ranking(student) -> list[int]:
    return list(
        Preference.objects.filter(student=student).order_by("rank").values_list("opening_id", flat=True)
    )


def post_list(client, opening_ids, **action):
    data = {"opening": [str(i) for i in opening_ids], **{k: str(v) for k, v in action.items()}}
    with translation.override("en"):
        return client.post("/me/preferences/", data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def three(world):
    open_round(world.district)
    return [opening_of(world.company_a, title=f"공정 {n}") for n in range(3)]


# --- The service -----------------------------------------------------------------------------


def test_save_stores_the_ranks_in_order(world, three):
    ids = [three[2].pk, three[0].pk, three[1].pk]
    saved = preferences_save(student=world.student, opening_ids=ids, by=world.student_user)
    assert [p.opening_id for p in saved] == ids
    assert [p.rank for p in saved] == [1, 2, 3]
    preferences_save(student=world.student, opening_ids=[three[1].pk], by=world.student_user)
    assert ranking(world.student) == [three[1].pk]


def test_save_accepts_thirty_and_refuses_thirty_one_whole(world, three):
    more = [opening_of(world.company_b) for _ in range(28)]
    thirty = [o.pk for o in three + more[:27]]
    preferences_save(student=world.student, opening_ids=thirty, by=world.student_user)
    assert len(ranking(world.student)) == 30
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        preferences_save(student=world.student, opening_ids=[*thirty, more[27].pk], by=world.student_user)
    assert "at most 30" in str(refused.value.message_dict["openings"])
    assert ranking(world.student) == thirty  # unchanged


@pytest.mark.parametrize(
    "bad, message",
    [
        ("duplicate", "only once"),
        ("draft", "not open to your district"),
        ("expired", "no longer take applications"),
        ("other_district", "not open to your district"),
        ("missing", "not open to your district"),
    ],
)
def test_a_bad_list_is_refused_whole_with_a_clear_message(world, three, bad, message):
    preferences_save(student=world.student, opening_ids=[three[0].pk], by=world.student_user)
    extra = {
        "duplicate": lambda: three[1].pk,
        "draft": lambda: f.OpeningFactory(company=world.company_a, status=Opening.Status.DRAFT).pk,
        "expired": lambda: expired_opening_of(world.company_a).pk,
        "other_district": lambda: opening_of(f.CompanyFactory(district=other_district())).pk,
        "missing": lambda: 987654,
    }[bad]()
    ids = [three[1].pk, three[2].pk, extra]
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        preferences_save(student=world.student, opening_ids=ids, by=world.student_user)
    assert message in " ".join(refused.value.message_dict["openings"])
    assert ranking(world.student) == [three[0].pk]


def test_the_message_never_names_an_opening_that_is_not_public(world, three):
    draft = f.OpeningFactory(company=world.company_a, status=Opening.Status.DRAFT, title="비공개 초안")
    with pytest.raises(ValidationError) as refused:
        preferences_save(student=world.student, opening_ids=[draft.pk], by=world.student_user)
    assert "비공개 초안" not in str(refused.value)


def test_saving_is_refused_once_the_round_has_closed(world):
    closed_round(world.district)
    opening = opening_of(world.company_a)
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        preferences_save(student=world.student, opening_ids=[opening.pk], by=world.student_user)
    assert "closed" in str(refused.value)
    assert ranking(world.student) == []


def test_saving_needs_a_round_for_the_students_cohort(world):
    open_round(world.district, cohort=world.student.cohort + 1)
    open_round(other_district(), cohort=world.student.cohort)
    opening = opening_of(world.company_a)
    with pytest.raises(ValidationError, match="no matching round"), translation.override("en"):
        preferences_save(student=world.student, opening_ids=[opening.pk], by=world.student_user)


# --- The page, without JavaScript --------------------------------------------------------------


def test_page_shows_the_saved_ranking_and_openings_to_add(student_user, world, three):
    preferences_save(student=world.student, opening_ids=[three[1].pk], by=world.student_user)
    response = student_user.get("/me/preferences/")
    assert response.status_code == 200
    assert [o.pk for o in response.context["items"]] == [three[1].pk]
    assert sorted(o.pk for o in response.context["candidates"]) == sorted([three[0].pk, three[2].pk])
    assert response.context["round_open"] is True
    assert response.context["suggestions"] == []
    html = response.content.decode()
    assert 'name="up"' in html and 'name="remove"' in html
    assert 'id="ranking-messages" type="application/json"' in html
    assert "<script>" not in html  # no inline code: data through json_script, code in static files


def test_the_ranking_page_shows_the_rounds_lottery_seed_while_rankings_are_open(student_user, world, three):
    with translation.override("en"):
        html = student_user.get("/me/preferences/", headers={"Accept-Language": "en"}).content.decode()
    assert (
        '<p class="help" id="round-seed">Students with the same fit for an opening are ordered by a lottery '
        "drawn from this round's seed, 20260401. It was fixed when rankings opened, and every run of the "
        "round uses it.</p>"
    ) in html.replace("&#x27;", "'")


def test_add_up_down_remove_each_save_the_list(student_user, world, three):
    a, b, c = (o.pk for o in three)
    response = post_list(student_user, [], add=a)
    assert response.status_code == 302
    post_list(student_user, [a], add=b)
    post_list(student_user, [a, b], add=c)
    assert ranking(world.student) == [a, b, c]
    response = post_list(student_user, [a, b, c], up=c)
    assert response["Location"] == f"/me/preferences/?moved={c}&button=up"
    assert ranking(world.student) == [a, c, b]
    post_list(student_user, [a, c, b], down=a)
    assert ranking(world.student) == [c, a, b]
    post_list(student_user, [c, a, b], remove=a)
    assert ranking(world.student) == [c, b]
    post_list(student_user, [b, c], save=1)  # an order made in the page by the script
    assert ranking(world.student) == [b, c]


def test_a_refused_list_is_shown_again_with_the_reasons(student_user, world, three):
    a, b, c = (o.pk for o in three)
    post_list(student_user, [a], save=1)
    expired = expired_opening_of(world.company_a, title="지난 공고")
    response = post_list(student_user, [c, b, expired.pk], save=1)
    assert response.status_code == 400
    assert ranking(world.student) == [a]
    assert response.context["draft"] is True
    # The expired opening is named in the reason and left out of the list shown, so that
    # saving the list as shown again succeeds.
    assert [o.pk for o in response.context["items"]] == [c, b]
    assert "no longer take applications: “지난 공고”" in response.content.decode()
    assert post_list(student_user, [c, b], save=1).status_code == 302
    assert ranking(world.student) == [c, b]


def test_an_unreadable_list_is_refused(student_user, world, three):
    response = student_user.post("/me/preferences/", {"opening": ["x"], "save": "1"})
    assert response.status_code == 400
    assert ranking(world.student) == []


def test_closed_round_shows_the_list_read_only(student_user, world):
    closed_round(world.district)
    opening = opening_of(world.company_a)
    Preference.objects.create(student=world.student, opening=opening, rank=1)
    response = student_user.get("/me/preferences/")
    assert response.context["round_open"] is False
    assert 'id="ranking-form"' not in response.content.decode()
    assert post_list(student_user, [], save=1).status_code == 400
    assert ranking(world.student) == [opening.pk]


def test_add_from_the_opening_page(student_user, world, three):
    response = student_user.post(
        "/me/preferences/add/", {"opening": three[2].pk, "next": f"/openings/{three[2].pk}/"}
    )
    assert response["Location"] == f"/openings/{three[2].pk}/"
    assert ranking(world.student) == [three[2].pk]
    student_user.post("/me/preferences/add/", {"opening": three[2].pk})
    assert ranking(world.student) == [three[2].pk]  # already there: unchanged
    page = student_user.get(f"/openings/{three[2].pk}/")
    assert page.context["fit"].preference_rank == 1


def test_add_refuses_an_opening_that_is_not_public(student_user, world, three):
    draft = f.OpeningFactory(company=world.company_a, status=Opening.Status.DRAFT)
    assert student_user.post("/me/preferences/add/", {"opening": draft.pk}).status_code == 404
    assert student_user.post("/me/preferences/add/", {"opening": "x"}).status_code == 404


def test_next_must_stay_on_the_site(student_user, world, three):
    response = student_user.post(
        "/me/preferences/add/", {"opening": three[0].pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/me/preferences/"


# --- Access -----------------------------------------------------------------------------------


def test_a_student_sees_and_changes_only_their_own_ranking(student_user, world, three):
    someone = other_student(world)
    Preference.objects.create(student=someone, opening=three[0], rank=1)
    response = student_user.get("/me/preferences/")
    assert list(response.context["items"]) == []
    post_list(student_user, [three[1].pk], save=1)
    assert ranking(someone) == [three[0].pk]
    assert ranking(world.student) == [three[1].pk]


@pytest.mark.parametrize("persona", ["official", "school_a_staff", "recruiter_a"])
def test_other_roles_have_no_ranking_page(request, world, persona):
    client = request.getfixturevalue(persona)
    assert client.get("/me/preferences/").status_code == 403


def test_anonymous_is_sent_to_log_in(anonymous, world):
    response = anonymous.get("/me/preferences/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/me/preferences/")


# --- Query counts ----------------------------------------------------------------------------


def test_ranking_page_query_count_is_constant(student_user, world, three):
    # session, user, memberships, student, round, preferences (with opening, company, role),
    # candidates: count and rows (with certifications prefetched), suggestions not yet ranked
    # (one query with their openings and companies).
    def count():
        with CaptureQueriesContext(connection) as captured:
            assert student_user.get("/me/preferences/").status_code == 200
        return len(captured.captured_queries)

    preferences_save(student=world.student, opening_ids=[three[0].pk], by=world.student_user)
    few = count()
    more = [opening_of(world.company_b, job_role=f.JobRoleFactory()) for _ in range(40)]
    ids = [o.pk for o in three + more[:27]]
    preferences_save(student=world.student, opening_ids=ids, by=world.student_user)
    # No COUNT: the whole list fits on one page, so district.web.paginate counts the rows it read.
    assert count() == few == 9


def test_round_that_closes_while_the_student_edits_refuses_the_save(student_user, world, three):
    from placements.models import MatchRound

    assert student_user.get("/me/preferences/").context["round_open"] is True
    MatchRound.objects.filter(district=world.district).update(
        preferences_close_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = post_list(student_user, [three[0].pk], save=1)
    assert response.status_code == 400
    assert "closed" in response.content.decode()
    assert ranking(world.student) == []
