"""Anonymising a former student removes their own profile (issue 15): the 자기소개서, awards and
activities, projects, stored files, and every snapshot a company kept."""

from __future__ import annotations

import datetime
from pathlib import Path

from privacy.services import anonymise_student
from schools.models import Activity, ProfileFile, ProfileSnapshot, Project, SelfIntroduction, Student
from schools.services import profile as services
from tests import factories as f
from tests.schools.test_profile_uploads import PDF
from tests.schools.test_upload_hardening import files_under


def test_anonymising_removes_the_students_own_profile_and_files(
    world,
    media_root,
    django_capture_on_commit_callbacks,
):
    graduate = f.StudentFactory(department=world.department_a, cohort=2021, status=Student.Status.GRADUATED)
    bystander = world.student
    for student in (graduate, bystander):
        services.self_introduction_save(student=student, by=None, growth="포항에서 자랐습니다.")
        services.activity_create(
            student=student, by=None, kind="award", title="금상", organiser="", date=datetime.date(2020, 5, 1)
        )
        project = services.project_create(
            student=student,
            by=None,
            title="졸업 작품",
            date=datetime.date(2021, 12, 1),
            upload=services.Upload(data=PDF, name="작품.pdf"),
        )
        snapshot = ProfileSnapshot.objects.create(
            student=student, company=world.company_a, verified={"school": "흥해공고"}, own={"projects": ["…"]}
        )
        snapshot.files.add(project.file)

    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_student(student_id=graduate.pk, today=datetime.date(2025, 3, 2)) is True

    for model in (SelfIntroduction, Activity, Project, ProfileFile):
        assert list(model.objects.values_list("student_id", flat=True)) == [bystander.pk], model
    assert list(ProfileSnapshot.objects.values_list("student_id", "own")) == [
        (bystander.pk, {"projects": ["…"]})
    ]
    kept = ProfileFile.objects.get()
    assert files_under(media_root) == [Path(media_root) / kept.path]
