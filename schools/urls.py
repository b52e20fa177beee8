"""URLs of the schools app, in four lists that district/urls.py mounts:

- `urlpatterns` at /school/ (namespace "schools"): school staff;
- `practice_urlpatterns` at /practice/ (namespace "practice"): the host company's recruiters,
  who stand for the company supervisor, read and acknowledge the diary and report incidents;
- `me_urlpatterns` at /me/practice/ (namespace "me_practice"): the student's own field practice;
- `account_urlpatterns` at /accounts/invite/ (namespace "invitations"): setting a password from
  an invitation link.
"""

from django.urls import path

from schools import views

app_name = "schools"

urlpatterns = [
    path("", views.index, name="index"),
    path("students/", views.student_list, name="student_list"),
    path("students/<int:pk>/", views.student_detail, name="student_detail"),
    path("students/<int:pk>/edit/", views.student_edit, name="student_edit"),
    path("students/<int:pk>/invite/", views.student_invite, name="student_invite"),
    path(
        "applications/<int:pk>/withdraw/",
        views.application_answer,
        {"action": "withdraw"},
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/accept/", views.application_answer, {"action": "accept"}, name="offer_accept"
    ),
    path(
        "applications/<int:pk>/decline/",
        views.application_answer,
        {"action": "decline"},
        name="offer_decline",
    ),
    path("applications/<int:pk>/outside-hire/", views.application_outside_hire, name="outside_hire"),
    path("students/import/", views.roster_import, name="roster_import"),
    path("students/import/template.xlsx", views.roster_template, name="roster_template"),
    path("students/import/<int:pk>/", views.roster_import_detail, name="roster_import_detail"),
    path("students/export.xlsx", views.roster_export, name="roster_export"),
    path("departments/", views.department_list, name="department_list"),
    path("departments/new/", views.department_form, name="department_create"),
    path("departments/<int:pk>/edit/", views.department_form, name="department_edit"),
    path("curriculum/", views.course_unit_list, name="course_unit_list"),
    path("curriculum/new/", views.course_unit_form, name="course_unit_create"),
    path("curriculum/<int:pk>/edit/", views.course_unit_form, name="course_unit_edit"),
    path("training/", views.training_list, name="training_list"),
    path("training/new/", views.training_create, name="training_create"),
    path("training/<int:pk>/completions/new/", views.completion_create, name="completion_create"),
    path("teachers/new/", views.teacher_create, name="teacher_create"),
    path("practice/", views.practice_list, name="practice_list"),
    path("practice/new/", views.practice_create, name="practice_create"),
    path("practice/<int:pk>/", views.practice_detail, name="practice_detail"),
    path("practice/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("practice/<int:pk>/consent/", views.practice_consent, name="practice_consent"),
    path("practice/<int:pk>/safety/", views.practice_safety, name="practice_safety"),
    path("practice/<int:pk>/start/", views.practice_transition, {"action": "start"}, name="practice_start"),
    path(
        "practice/<int:pk>/complete/",
        views.practice_transition,
        {"action": "complete"},
        name="practice_complete",
    ),
    path(
        "practice/<int:pk>/cancel/", views.practice_transition, {"action": "cancel"}, name="practice_cancel"
    ),
    path("practice/<int:pk>/incidents/new/", views.practice_report_incident, name="practice_report_incident"),
    path("incidents/<int:pk>/review/", views.incident_review, name="incident_review"),
    path("retention/", views.retention_list, name="retention_list"),
    path("retention/<int:pk>/<int:milestone>/", views.retention_review, name="retention_review"),
]

practice_urlpatterns = [
    path("", views.company_practice_list, name="list"),
    path("<int:pk>/diary/", views.company_practice_diary, name="diary"),
    path("<int:pk>/diary/<int:entry_pk>/acknowledge/", views.company_diary_acknowledge, name="acknowledge"),
    path("<int:pk>/incidents/new/", views.company_report_incident, name="report_incident"),
]

me_urlpatterns = [
    path("", views.student_practice, name="index"),
    path("<int:pk>/diary/", views.student_diary_save, name="diary_save"),
    path("<int:pk>/incidents/new/", views.student_report_incident, name="report_incident"),
]

account_urlpatterns = [
    path("<str:token>/", views.invitation_accept, name="accept"),
]
