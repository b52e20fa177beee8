"""The placements app's constraints each refuse a row that breaks them and allow their exceptions."""

import datetime

import pytest
from django.utils import timezone

from placements.models import Match, OfferEmail, Placement, RetentionReview
from schools.models import ProfileSnapshot
from tests import constraint_registry as reg
from tests import factories as f
from tests.builders import other_district

cases = reg.ConstraintCases("placements")


# --- Pathway ----------------------------------------------------------------------


@cases.refused("placements.Pathway.slug")
def pathway_slug_taken():
    pathway = f.PathwayFactory()
    return f.PathwayFactory.build(
        district=pathway.district, department=pathway.department, segment=pathway.segment, slug=pathway.slug
    )


# --- Matching rounds and preferences ---------------------------------------------------


@cases.refused("matchround_one_per_cohort")
def second_round_for_a_cohort():
    first = f.MatchRoundFactory()
    return f.MatchRoundFactory.build(district=first.district, cohort=first.cohort)


@cases.allowed("matchround_one_per_cohort")
def round_for_the_next_cohort():
    first = f.MatchRoundFactory()
    return f.MatchRoundFactory.build(district=first.district, cohort=first.cohort + 1)


@cases.allowed("matchround_one_per_cohort")
def same_cohort_in_another_district():
    first = f.MatchRoundFactory()
    return f.MatchRoundFactory.build(district=other_district(), cohort=first.cohort)


def _first_choice():
    return f.PreferenceFactory(rank=1)


@cases.refused("preference_unique_opening")
def opening_ranked_twice():
    first = _first_choice()
    return f.PreferenceFactory.build(student=first.student, opening=first.opening, rank=2)


@cases.allowed("preference_unique_opening", "preference_unique_rank")
def second_opening_second_rank():
    first = _first_choice()
    return f.PreferenceFactory.build(student=first.student, opening=f.OpeningFactory(), rank=2)


@cases.refused("preference_unique_rank")
def two_openings_sharing_a_rank():
    first = _first_choice()
    return f.PreferenceFactory.build(student=first.student, opening=f.OpeningFactory(), rank=first.rank)


@cases.allowed("preference_unique_rank", "preference_unique_opening")
def another_student_with_the_same_first_choice():
    first = _first_choice()
    return f.PreferenceFactory.build(student=f.StudentFactory(), opening=first.opening, rank=first.rank)


def _preference(rank):
    return f.PreferenceFactory.build(student=f.StudentFactory(), opening=f.OpeningFactory(), rank=rank)


@cases.refused("preference_rank_1_to_30")
def rank_zero():
    return _preference(0)


@cases.refused("preference_rank_1_to_30")
def rank_31():
    return _preference(31)


@cases.allowed("preference_rank_1_to_30")
def rank_one():
    return _preference(1)


@cases.allowed("preference_rank_1_to_30")
def rank_30():
    return _preference(30)


# --- Matching runs ----------------------------------------------------------------


def _run(status, match_round=None):
    return f.MatchRunFactory(status=status, **({"round": match_round} if match_round else {}))


def _another_run(first, status, match_round=None):
    match_round = match_round or first.round
    return f.MatchRunFactory.build(
        round=match_round, district=match_round.district, cohort=match_round.cohort, status=status
    )


@cases.refused("matchrun_one_active_per_district")
def second_queued_run():
    return _another_run(_run("queued"), "queued")


@cases.refused("matchrun_one_active_per_district")
def queued_run_while_one_is_running():
    return _another_run(_run("running"), "queued")


@cases.refused("matchrun_one_active_per_district")
def queued_run_for_another_round_of_the_district():
    first = _run("running")
    later = f.MatchRoundFactory(district=first.district, cohort=first.cohort + 1)
    return _another_run(first, "queued", match_round=later)


@cases.allowed("matchrun_one_active_per_district")
def queued_run_after_a_failed_one():
    return _another_run(_run("failed"), "queued")


@cases.allowed("matchrun_one_active_per_district")
def queued_run_after_a_succeeded_one():
    return _another_run(_run("succeeded"), "queued")


@cases.allowed("matchrun_one_active_per_district")
def runs_queued_in_two_districts():
    first = _run("queued")
    return _another_run(first, "queued", match_round=f.MatchRoundFactory(district=other_district()))


@cases.refused("matchrun_one_published_per_round")
def second_published_run():
    return _another_run(_run("published"), "published")


@cases.allowed("matchrun_one_published_per_round")
def succeeded_run_beside_the_published_one():
    return _another_run(_run("published"), "succeeded")


@cases.allowed("matchrun_one_published_per_round")
def published_runs_of_two_rounds():
    first = _run("published")
    later = f.MatchRoundFactory(district=first.district, cohort=first.cohort + 1)
    return _another_run(first, "published", match_round=later)


# --- Matches ----------------------------------------------------------------------


@cases.refused("match_one_per_student_per_run")
def two_outcomes_for_a_student():
    first = Match.objects.create(run=_run("succeeded"), student=f.StudentFactory())
    return Match(run=first.run, student=first.student, opening=f.OpeningFactory(), choice_rank=1)


@cases.allowed("match_one_per_student_per_run")
def same_student_in_another_run():
    first = Match.objects.create(run=_run("failed"), student=f.StudentFactory())
    rerun = _another_run(first.run, "succeeded")
    rerun.save()
    return Match(run=rerun, student=first.student)


@cases.refused("match_matched_has_rank")
def matched_without_a_rank():
    return Match(
        run=_run("succeeded"), student=f.StudentFactory(), opening=f.OpeningFactory(), choice_rank=None
    )


@cases.allowed("match_matched_has_rank")
def matched_with_a_rank():
    return Match(run=_run("succeeded"), student=f.StudentFactory(), opening=f.OpeningFactory(), choice_rank=3)


@cases.allowed("match_matched_has_rank")
def unmatched_without_a_rank():
    return Match(run=_run("succeeded"), student=f.StudentFactory(), opening=None, choice_rank=None)


# --- Applications -----------------------------------------------------------------


def _applied(status="submitted"):
    return f.ApplicationFactory(status=status)


def _reapply(first, status="submitted"):
    return f.ApplicationFactory.build(student=first.student, opening=first.opening, status=status)


@cases.refused("application_one_active_per_opening")
def second_submitted_application():
    return _reapply(_applied())


@cases.refused("application_one_active_per_opening")
def new_application_while_hired():
    return _reapply(_applied("hired"))


@cases.refused("application_one_active_per_opening")
def new_application_while_under_review():
    return _reapply(_applied("reviewing"), status="interview")


@cases.allowed("application_one_active_per_opening")
def two_withdrawn_applications():
    return _reapply(_applied("withdrawn"), status="withdrawn")


@cases.allowed("application_one_active_per_opening")
def reapplying_after_withdrawing():
    return _reapply(_applied("withdrawn"))


@cases.allowed("application_one_active_per_opening")
def reapplying_after_rejection():
    return _reapply(_applied("rejected"))


@cases.allowed("application_one_active_per_opening")
def reapplying_after_declining():
    return _reapply(_applied("declined"))


@cases.allowed("application_one_active_per_opening")
def same_student_applying_to_two_openings():
    first = _applied()
    return f.ApplicationFactory.build(student=first.student, opening=f.OpeningFactory())


@cases.refused("application_offer_has_time")
def offer_without_a_time():
    return f.ApplicationFactory.build(
        student=f.StudentFactory(), opening=f.OpeningFactory(), status="offered", offered_at=None
    )


@cases.allowed("application_offer_has_time")
def offer_with_a_time():
    return f.ApplicationFactory.build(
        student=f.StudentFactory(), opening=f.OpeningFactory(), status="offered", offered_at=timezone.now()
    )


@cases.allowed("application_offer_has_time")
def submitted_without_an_offer_time():
    return f.ApplicationFactory.build(student=f.StudentFactory(), opening=f.OpeningFactory(), offered_at=None)


def _consent(**fields):
    return f.ApplicationFactory.build(student=f.StudentFactory(), opening=f.OpeningFactory(), **fields)


@cases.refused("application_consent_complete")
def consent_date_without_its_method():
    return _consent(guardian_consent_on=datetime.date(2026, 11, 2), guardian_consent_method="")


@cases.refused("application_consent_complete")
def consent_method_without_its_date():
    return _consent(guardian_consent_on=None, guardian_consent_method="written")


@cases.allowed("application_consent_complete")
def consent_with_date_and_method():
    return _consent(guardian_consent_on=datetime.date(2026, 11, 2), guardian_consent_method="written")


@cases.allowed("application_consent_complete")
def no_consent_recorded():
    return _consent()


@cases.refused("placements.Application.match")
def two_applications_from_one_match():
    run = _run("published")
    opening = f.OpeningFactory()
    match = Match.objects.create(run=run, student=f.StudentFactory(), opening=opening, choice_rank=1)
    f.ApplicationFactory(student=match.student, opening=opening, source="matching", match=match)
    return f.ApplicationFactory.build(
        student=match.student, opening=f.OpeningFactory(), source="matching", match=match
    )


@cases.refused("placements.Application.profile_snapshot")
def two_applications_sharing_one_snapshot():
    application = f.ApplicationFactory()
    snapshot = ProfileSnapshot.objects.create(
        student=application.student, company=application.opening.company, verified={}, own={}
    )
    application.profile_snapshot = snapshot
    application.save()
    return f.ApplicationFactory.build(
        student=application.student, opening=f.OpeningFactory(), profile_snapshot=snapshot
    )


# --- Offer emails (issue 17) --------------------------------------------------------


def _offer_email(**fields):
    return OfferEmail(run=_run("published"), application=f.ApplicationFactory(), **fields)


@cases.refused("offeremail_sent_has_time")
def email_sent_without_a_time():
    return _offer_email(status="sent", sent_at=None)


@cases.allowed("offeremail_sent_has_time")
def email_sent_with_its_time():
    return _offer_email(status="sent", sent_at=timezone.now())


@cases.allowed("offeremail_sent_has_time")
def email_failed_without_a_time():
    return _offer_email(
        status="failed", attempts=6, last_error="SMTPServerDisconnected: Connection unexpectedly closed"
    )


@cases.refused("placements.OfferEmail.application")
def two_emails_for_one_offer():
    first = _offer_email()
    first.save()
    return OfferEmail(run=first.run, application=first.application)


# --- Placements -------------------------------------------------------------------


def _placement(student=None, **overrides):
    student = student or f.StudentFactory()
    company = f.CompanyFactory(district=student.school.district)
    return f.PlacementFactory.build(student=student, company=company, **overrides)


def _ended(student=None):
    return _placement(student, status="ended", ends_on=datetime.date(2026, 8, 31), end_reason="이직")


@cases.refused("placement_one_active_per_student")
def second_active_placement():
    first = _placement()
    first.save()
    return _placement(first.student, starts_on=datetime.date(2026, 9, 1))


@cases.allowed("placement_one_active_per_student")
def new_active_placement_after_an_ended_one():
    first = _ended()
    first.save()
    return _placement(first.student, starts_on=datetime.date(2026, 9, 1))


@cases.allowed("placement_one_active_per_student")
def two_ended_placements():
    first = _ended()
    first.save()
    return _ended(first.student)


@cases.refused("placement_dates_ordered")
def placement_ending_before_it_starts():
    return _placement(starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 3, 1), status="ended")


@cases.allowed("placement_dates_ordered")
def placement_ending_the_day_it_starts():
    day = datetime.date(2026, 3, 2)
    return _placement(starts_on=day, ends_on=day, status="ended")


@cases.allowed("placement_dates_ordered")
def open_ended_placement():
    return _placement(ends_on=None)


@cases.refused("placement_ended_has_date")
def ended_placement_without_a_date():
    return _placement(status="ended", ends_on=None)


@cases.allowed("placement_ended_has_date")
def ended_placement_with_a_date():
    return _ended()


@cases.refused("placements.Placement.application")
def two_placements_from_one_application():
    application = _applied("hired")
    first = _placement(application.student, application=application, opening=application.opening)
    first.save()
    return Placement(
        student=application.student,
        company=first.company,
        application=application,
        starts_on=datetime.date(2025, 3, 2),
        ends_on=datetime.date(2025, 12, 31),
        status="ended",
    )


# --- The tests --------------------------------------------------------------------


# --- Suggestion ---------------------------------------------------------------------------


def _suggestion(student=None, opening=None, rank=1):
    from placements.models import Suggestion

    return Suggestion(
        student=student or f.StudentFactory(),
        opening=opening or f.OpeningFactory(),
        rank=rank,
        score=4.5,
        computed_at=timezone.now(),
    )


@cases.refused("suggestion_unique_opening")
def opening_suggested_twice():
    first = _suggestion()
    first.save()
    return _suggestion(student=first.student, opening=first.opening, rank=2)


@cases.allowed("suggestion_unique_opening", "suggestion_unique_rank")
def second_suggestion_second_rank():
    first = _suggestion()
    first.save()
    return _suggestion(student=first.student, rank=2)


@cases.refused("suggestion_unique_rank")
def two_suggestions_sharing_a_rank():
    first = _suggestion()
    first.save()
    return _suggestion(student=first.student, rank=1)


@cases.refused("suggestion_rank_1_to_10")
def suggestion_rank_11():
    return _suggestion(rank=11)


@cases.allowed("suggestion_rank_1_to_10")
def suggestion_rank_10():
    return _suggestion(rank=10)


# --- SavedSearch ------------------------------------------------------------------------


def _saved_search(user, querystring="q=보전", token="token-a"):
    from placements.models import SavedSearch

    return SavedSearch(user=user, name="보전", querystring=querystring, unsubscribe_token=token)


@cases.refused("savedsearch_unique_per_user")
def same_search_saved_twice():
    owner = reg.user()
    _saved_search(owner).save()
    return _saved_search(owner, token="token-b")


@cases.allowed("savedsearch_unique_per_user")
def same_search_saved_by_another_user():
    _saved_search(reg.user()).save()
    return _saved_search(reg.user(), token="token-b")


@cases.refused("placements.SavedSearch.unsubscribe_token")
def unsubscribe_token_reused():
    _saved_search(reg.user()).save()
    return _saved_search(reg.user(), querystring="q=검사")


# --- Retention reviews ---------------------------------------------------------------


def _review(placement, milestone=6):
    return RetentionReview(placement=placement, milestone=milestone, status="employed")


@cases.refused("retentionreview_one_per_milestone")
def milestone_reviewed_twice():
    first = _review(f.PlacementFactory())
    first.save()
    return _review(first.placement)


@cases.allowed("retentionreview_one_per_milestone")
def twelve_month_review_after_the_six_month_one():
    first = _review(f.PlacementFactory())
    first.save()
    return _review(first.placement, milestone=12)


@pytest.mark.django_db
@pytest.mark.parametrize("case", cases.refused_params())
def test_database_refuses(case):
    reg.assert_refused(case)


@pytest.mark.django_db
@pytest.mark.parametrize("case", cases.allowed_params())
def test_database_allows(case):
    reg.assert_allowed(case)
