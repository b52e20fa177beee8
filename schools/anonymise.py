"""What anonymising a former student removes from schools (registered in `SchoolsConfig.ready()`).

Kept: the student row and what the KPIs count (school, department, cohort, status, commute area,
field of interest, certifications). Removed: name, student number, birth date and contact
details, invitations, the free text of field practice (diary entries and incidents), and the
student's own profile (the 자기소개서, awards and activities, projects and stored files, deleted
from disk once the transaction commits) and every profile snapshot companies saw.
Writes go through `QuerySet.update`, which django-auditlog does not record.
"""

from __future__ import annotations

from django.utils import timezone

from privacy.audit import HIDDEN
from privacy.registry import Anonymisation
from schools.models import FieldPractice, PracticeDiaryEntry, PracticeIncident, Student, StudentInvitation
from schools.services.profile import profile_remove_own
from schools.services.snapshots import profile_snapshots_delete


def anonymise_student(anonymisation: Anonymisation) -> None:
    student = anonymisation.student
    anonymisation.hide_copies_of(student.name, student.student_number, student.email, student.phone)
    placeholder = f"anon-{student.pk}"
    Student.objects.filter(pk=student.pk).update(
        name=placeholder,
        student_number=placeholder[:20],
        birth_date=None,
        email="",
        phone="",
        anonymised_at=timezone.now(),
        updated_at=timezone.now(),
    )
    StudentInvitation.objects.filter(student_id=student.pk).delete()
    practices = FieldPractice.objects.filter(student_id=student.pk)
    PracticeDiaryEntry.objects.filter(practice__in=practices).update(text=HIDDEN)
    PracticeIncident.objects.filter(practice__in=practices).update(description=HIDDEN, review_note="")
    profile_remove_own(student=student)
    # A company keeps no copy of the profile past the retention period.
    profile_snapshots_delete(student_id=student.pk)
    anonymisation.scrub_history(Student, [student.pk])
