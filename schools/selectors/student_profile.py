"""Reads for the student's own profile pages (/me/profile/): their own rows, or 404.

The document that every profile page shows is built by `schools.selectors.profile`; these
find the rows a student edits, always within their own record, so another student's
activity, project or file answers 404 like a missing one.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from schools.models import Activity, ProfileFile, Project, Student


def activity_list(*, student: Student) -> QuerySet[Activity]:
    return Activity.objects.filter(student=student).order_by("-date", "pk")


def project_list(*, student: Student) -> QuerySet[Project]:
    return Project.objects.filter(student=student).select_related("file").order_by("-date", "pk")


def get_activity_for_student(student: Student, pk) -> Activity:
    return get_object_or_404(Activity, student=student, pk=pk)


def get_project_for_student(student: Student, pk) -> Project:
    return get_object_or_404(Project.objects.select_related("file"), student=student, pk=pk)


def get_profile_file_for_student(student: Student, pk) -> tuple[ProfileFile, bytes]:
    """One of the student's own stored files and its bytes; 404 for another's, or one gone from disk."""
    file = get_object_or_404(ProfileFile, student=student, pk=pk)
    path = Path(settings.MEDIA_ROOT) / file.path
    try:
        return file, path.read_bytes()
    except FileNotFoundError:
        raise Http404 from None
