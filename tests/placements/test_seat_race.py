"""Twenty people go after the last seat of an opening at the same moment, on PostgreSQL.

Half are students accepting an offer (`application_accept_offer`), half are the school's staff
recording a hire agreed outside the portal for an interviewed applicant
(`application_record_outside_hire`); both paths end in `placement_create`,
which counts the seats with the opening's row locked. Each attempt runs in its own thread, on
its own database connection, released together by a barrier. Exactly one may win; every other
attempt must be refused cleanly and leave its application exactly as it was.
"""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count

from district.models import Membership
from placements.models import Application, ApplicationEvent, Notification, Placement
from placements.services.applications import (
    application_accept_offer,
    application_move,
    application_record_outside_hire,
    seats_taken,
)
from tests import factories as f

S = Application.Status
CONTENDERS = 20


def _student(world, n: int):
    user = f.UserFactory(username=f"contender{n}")
    f.MembershipFactory(
        user=user, district=world.district, role=Membership.Role.STUDENT, school=world.school_a
    )
    return f.StudentFactory(department=world.department_a, user=user, name=f"경쟁자{n}")


def _application(world, opening, n: int, to_status: str) -> Application:
    """An application brought to `to_status` through the company's own pipeline."""
    application = f.ApplicationFactory(student=_student(world, n), opening=opening)
    return application_move(application=application, to_status=to_status, by=world.recruiter_a)


@pytest.mark.django_db(transaction=True)
def test_twenty_accepts_and_hires_racing_for_the_last_seat_fill_it_exactly_once(world):
    if connection.vendor != "postgresql":
        pytest.skip("the race needs a database with real concurrent sessions")
    opening = f.OpeningFactory(company=world.company_a, seats=3)
    for n in range(2):  # two seats are already taken (offered, accepted, hired): one is left
        taken = _application(world, opening, 100 + n, S.OFFERED)
        application_accept_offer(application=taken, by=taken.student.user)
        application_move(application=taken, to_status=S.HIRED, by=world.recruiter_a)
    offers = [_application(world, opening, n, S.OFFERED) for n in range(CONTENDERS // 2)]
    interviewed = [_application(world, opening, n, S.INTERVIEW) for n in range(CONTENDERS // 2, CONTENDERS)]
    assert seats_taken(opening.pk) == opening.seats - 1

    counts_before = {
        "applications": Application.objects.count(),
        "placements": Placement.objects.count(),
        "events": ApplicationEvent.objects.count(),
    }
    notices_before = dict(Notification.objects.values_list("user_id").annotate(n=Count("pk")))
    status_before = dict(Application.objects.values_list("pk", "status"))

    barrier = threading.Barrier(CONTENDERS)
    outcomes: dict[int, str] = {}  # application id → "won", or the refusal's code
    crashes: list[BaseException] = []

    def attempt(application: Application, accept: bool) -> None:
        try:
            barrier.wait(timeout=30)
            if accept:
                application_accept_offer(application=application, by=application.student.user)
            else:
                application_record_outside_hire(
                    application=application,
                    by=world.school_a_staff,
                    starts_on=datetime.date(2027, 3, 2),
                    student_agreed=True,
                    note="학생 동의서 제출",
                )
            outcomes[application.pk] = "won"
        except ValidationError as refusal:
            outcomes[application.pk] = refusal.code
        except BaseException as error:  # anything else (a deadlock, an IntegrityError) fails the test
            crashes.append(error)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=attempt, args=(a, True)) for a in offers]
    threads += [threading.Thread(target=attempt, args=(a, False)) for a in interviewed]
    # Interleave the two paths, so neither kind starts first.
    threads = [
        t for pair in zip(threads[: CONTENDERS // 2], threads[CONTENDERS // 2 :], strict=True) for t in pair
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an attempt hung"

    assert crashes == []
    assert len(outcomes) == CONTENDERS
    winners = [pk for pk, outcome in outcomes.items() if outcome == "won"]
    assert len(winners) == 1, outcomes
    assert {outcome for outcome in outcomes.values() if outcome != "won"} == {"no_seat"}

    # The seats: full, never over.
    opening.refresh_from_db()
    assert seats_taken(opening.pk) == opening.seats == Placement.objects.filter(opening=opening).count()
    # No row lost or duplicated: one new placement and the winner's events (an acceptance; or the
    # acceptance and the hire of an outside hire), nothing else.
    [winner] = winners
    accepted_offer = status_before[winner] == S.OFFERED
    assert Application.objects.count() == counts_before["applications"]
    assert Placement.objects.count() == counts_before["placements"] + 1
    assert ApplicationEvent.objects.count() == counts_before["events"] + (1 if accepted_offer else 2)

    won = Application.objects.get(pk=winner)
    assert won.status == (S.ACCEPTED if accepted_offer else S.HIRED)
    assert Placement.objects.get(application=won).student_id == won.student_id
    # Every loser's application is exactly as it was: an open offer, or an interview, without a placement.
    for pk, status in Application.objects.exclude(pk=winner).values_list("pk", "status"):
        assert status == status_before[pk], pk
    assert (
        not Placement.objects.filter(application__in=[*offers, *interviewed])
        .exclude(application=won)
        .exists()
    )
    # Every row still satisfies every constraint the models declare.
    for row in [*Application.objects.filter(opening=opening), *Placement.objects.filter(opening=opening)]:
        row.validate_constraints()
    # The losers were told nothing.
    notices_after = dict(Notification.objects.values_list("user_id").annotate(n=Count("pk")))
    for application in [*offers, *interviewed]:
        if application.pk != winner:
            user_id = application.student.user_id
            assert notices_after.get(user_id) == notices_before.get(user_id), application.pk
