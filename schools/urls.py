"""URLs of the schools app, in four lists that the wiring (config/urls.py) mounts:

- `urlpatterns` at /school/ (namespace "schools"): school staff. The wiring adds
  `placements.urls.school_urlpatterns` to the same namespace: the student's page, the
  answers given on a student's behalf and retention live in placements, which schools
  cannot import;
- `practice_urlpatterns` at /practice/ (namespace "practice"): the host company's recruiters,
  who stand for the company supervisor, read and acknowledge the diary and report incidents;
- `me_urlpatterns` at /me/practice/ (namespace "me_practice"): the student's own field practice;
- `account_urlpatterns` at /accounts/invite/ (namespace "invitations"): setting a password from
  an invitation link.
"""

from django.urls import path

from schools.views import curriculum, diary, invitations, practice, roster, school_profile, training

urlpatterns = [
    path("", roster.index, name="index"),
    path("students/", roster.student_list, name="student_list"),
    path("students/<int:pk>/edit/", roster.student_edit, name="student_edit"),
    path("students/<int:pk>/invite/", roster.student_invite, name="student_invite"),
    # Issue 15: what the school holds on the student's profile, and the profile read-only.
    path(
        "students/<int:pk>/certifications/<int:held_pk>/check/",
        school_profile.certification_check,
        name="certification_check",
    ),
    path(
        "students/<int:pk>/certifications/<int:held_pk>/uncheck/",
        school_profile.certification_uncheck,
        name="certification_uncheck",
    ),
    path("students/<int:pk>/attendance/", school_profile.attendance, name="attendance"),
    path("students/<int:pk>/profile/", school_profile.student_profile, name="student_profile"),
    path(
        "students/<int:pk>/profile/print/", school_profile.student_profile_print, name="student_profile_print"
    ),
    path("students/import/", roster.roster_import, name="roster_import"),
    path("students/import/template.xlsx", roster.roster_template, name="roster_template"),
    path("students/import/<int:pk>/", roster.roster_import_detail, name="roster_import_detail"),
    path("students/export.xlsx", roster.roster_export, name="roster_export"),
    path("departments/", curriculum.department_list, name="department_list"),
    path("departments/new/", curriculum.department_form, name="department_create"),
    path("departments/<int:pk>/edit/", curriculum.department_form, name="department_edit"),
    path("curriculum/", curriculum.course_unit_list, name="course_unit_list"),
    path("curriculum/new/", curriculum.course_unit_form, name="course_unit_create"),
    path("curriculum/<int:pk>/edit/", curriculum.course_unit_form, name="course_unit_edit"),
    path("training/", training.training_list, name="training_list"),
    path("training/new/", training.training_create, name="training_create"),
    path("training/<int:pk>/completions/new/", training.completion_create, name="completion_create"),
    path("teachers/new/", training.teacher_create, name="teacher_create"),
    path("practice/", practice.practice_list, name="practice_list"),
    path("practice/new/", practice.practice_create, name="practice_create"),
    path("practice/<int:pk>/", practice.practice_detail, name="practice_detail"),
    path("practice/<int:pk>/edit/", practice.practice_edit, name="practice_edit"),
    path("practice/<int:pk>/consent/", practice.practice_consent, name="practice_consent"),
    path("practice/<int:pk>/safety/", practice.practice_safety, name="practice_safety"),
    path(
        "practice/<int:pk>/start/", practice.practice_transition, {"action": "start"}, name="practice_start"
    ),
    path(
        "practice/<int:pk>/complete/",
        practice.practice_transition,
        {"action": "complete"},
        name="practice_complete",
    ),
    path(
        "practice/<int:pk>/cancel/",
        practice.practice_transition,
        {"action": "cancel"},
        name="practice_cancel",
    ),
    path(
        "practice/<int:pk>/incidents/new/", practice.practice_report_incident, name="practice_report_incident"
    ),
    path("incidents/<int:pk>/review/", practice.incident_review, name="incident_review"),
]

practice_urlpatterns = [
    path("", diary.company_practice_list, name="list"),
    path("<int:pk>/diary/", diary.company_practice_diary, name="diary"),
    path("<int:pk>/diary/<int:entry_pk>/acknowledge/", diary.company_diary_acknowledge, name="acknowledge"),
    path("<int:pk>/incidents/new/", diary.company_report_incident, name="report_incident"),
    path("<int:pk>/evaluation/", diary.company_practice_evaluate, name="evaluate"),
]

me_urlpatterns = [
    path("", diary.student_practice, name="index"),
    path("<int:pk>/diary/", diary.student_diary_save, name="diary_save"),
    path("<int:pk>/incidents/new/", diary.student_report_incident, name="report_incident"),
]

account_urlpatterns = [
    path("<str:token>/", invitations.invitation_accept, name="accept"),
]
