"""Profile snapshots: the profile as a company sees it, frozen when the student applies or an offer is made.

A company never sees the live profile. `profile_snapshot_take` stores the two halves of
the document of `schools.selectors.profile` as they are now (`verified`: what the school
checked; `own`: what the student wrote, plus the answer to the opening's own question) and
links the project files, so that a file stays on disk while a snapshot refers to it even
after the student replaces or removes the project.

`profile_snapshot_remove_own` empties the student's half when the application is withdrawn
or an offer declined (`placements.services.applications`): the company keeps the school's
facts, never the student's own words or files.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from companies.models import Company
from schools.models import ProfileFile, ProfileSnapshot, Student
from schools.selectors.profile import own_content, own_content_of, verified_facts, verified_facts_of
from schools.services.profile import profile_file_delete_if_unused


@transaction.atomic
def profile_snapshot_take(
    *,
    student: Student,
    company: Company,
    question: str = "",
    answer: str = "",
    today: datetime.date | None = None,
) -> ProfileSnapshot:
    """Freeze the student's profile for `company`.

    1. Build both halves of the document as they are now (`verified_facts`, `own_content`).
    2. When the opening asks a question of its own, keep it with the student's answer in
       ``own["question"]``: the answer lives in the snapshot only.
    3. Link the files of the projects shown, so that they outlive later edits.
    """
    own = own_content(student=student)
    if question:
        own["question"] = {"question": question, "answer": answer}
    snapshot = ProfileSnapshot.objects.create(
        student=student,
        company=company,
        verified=verified_facts(student=student, today=today),
        own=own,
    )
    file_ids = [project["file"]["id"] for project in own["projects"] if project["file"]]
    if file_ids:
        snapshot.files.set(file_ids)
    return snapshot


# Students per round of reads in `profile_snapshots_take`: well below PostgreSQL's 65,535
# parameters a query, and about 50 MB of documents at a time.
SNAPSHOT_BATCH = 5_000


@transaction.atomic
def profile_snapshots_take(
    *, pairs: list[tuple[Student, Company]], today: datetime.date | None = None
) -> list[ProfileSnapshot]:
    """`profile_snapshot_take` for many (student, company) pairs at once, in the order given
    (a published round's offers; the students' school and department loaded with them).

    The same documents, read and written in bulk: per 5,000 pairs, seven queries read both
    halves of the profiles (`verified_facts_of`, `own_content_of`), one inserts the snapshots
    and one links their project files, whatever the number of offers below that.
    """
    snapshots: list[ProfileSnapshot] = []
    for start in range(0, len(pairs), SNAPSHOT_BATCH):
        batch = pairs[start : start + SNAPSHOT_BATCH]
        students = list({student.pk: student for student, _company in batch}.values())
        verified = verified_facts_of(students=students, today=today)
        own = own_content_of(students=students)
        made = ProfileSnapshot.objects.bulk_create(
            [
                ProfileSnapshot(
                    student=student, company=company, verified=verified[student.pk], own=own[student.pk]
                )
                for student, company in batch
            ]
        )
        Link = ProfileSnapshot.files.through
        Link.objects.bulk_create(
            [
                Link(profilesnapshot_id=snapshot.pk, profilefile_id=file_id)
                for snapshot in made
                for file_id in sorted({p["file"]["id"] for p in snapshot.own["projects"] if p["file"]})
            ]
        )
        snapshots += made
    return snapshots


@transaction.atomic
def profile_snapshot_remove_own(*, snapshot: ProfileSnapshot) -> ProfileSnapshot:
    """Remove what the student wrote from a snapshot, and the files no one else refers to.

    1. Claim the removal with a conditional UPDATE (own not removed yet), so that two
       requests do it once.
    2. Unlink the snapshot's files; delete each one that no project and no other snapshot
       refers to (`profile_file_delete_if_unused`).
    """
    now = timezone.now()
    claimed = ProfileSnapshot.objects.filter(pk=snapshot.pk, own_removed_at__isnull=True).update(
        own=None, own_removed_at=now
    )
    if not claimed:
        snapshot.refresh_from_db(fields=["own", "own_removed_at"])
        return snapshot
    snapshot.own, snapshot.own_removed_at = None, now
    files = list(snapshot.files.all())
    snapshot.files.clear()
    for file in files:
        profile_file_delete_if_unused(file)
    return snapshot


def profile_snapshots_delete(*, student_id: int) -> int:
    """Delete every snapshot of a student, and the files nothing else refers to (anonymising a
    former student: a company keeps no copy of the profile past the retention period)."""
    snapshots = ProfileSnapshot.objects.filter(student_id=student_id)
    files = list(ProfileFile.objects.filter(snapshots__in=snapshots).distinct())
    deleted = snapshots.count()
    with transaction.atomic():
        snapshots.delete()  # their applications keep no snapshot (SET_NULL)
        for file in files:
            profile_file_delete_if_unused(file)
    return deleted
