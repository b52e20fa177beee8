"""URLs of the placements pages, in four lists that config/urls.py mounts:

- `me_urlpatterns` at /me/ (namespace "me"): the signed-in student's own pages;
- `search_urlpatterns` at /searches/ (namespace "searches"): unsubscribe links in digest emails;
- `school_urlpatterns` at /school/, in schools' namespace "schools" beside schools' own
  routes: school staff's pages that read or write placements (`placements.views.school`);
- `company_urlpatterns` at /company/, in companies' namespace "companies" beside companies'
  own routes: the recruiter's dashboard and applicant pipeline (`placements.views.recruiter`).

The public pathway pages (/pathways/, namespace "pathways") are in `public.urls`.
"""

from django.urls import path

from placements.views import recruiter as views_recruiter
from placements.views import school as views_school
from placements.views import student as views
from schools.views import profile as views_profile

me_urlpatterns = [
    path("", views.me, name="index"),
    path("profile/", views_profile.profile, name="profile"),
    path("profile/basics/", views.profile_edit, name="profile_basics"),
    path(
        "profile/self-introduction/", views_profile.self_introduction_save, name="profile_self_introduction"
    ),
    path("profile/activities/new/", views_profile.activity_create, name="profile_activity_create"),
    path("profile/activities/<int:pk>/", views_profile.activity_edit, name="profile_activity_edit"),
    path(
        "profile/activities/<int:pk>/delete/", views_profile.activity_delete, name="profile_activity_delete"
    ),
    path("profile/projects/new/", views_profile.project_create, name="profile_project_create"),
    path("profile/projects/<int:pk>/", views_profile.project_edit, name="profile_project_edit"),
    path("profile/projects/<int:pk>/delete/", views_profile.project_delete, name="profile_project_delete"),
    path("profile/files/<int:pk>/download/", views_profile.profile_file, name="profile_file"),
    path("profile/print/", views_profile.profile_print, name="profile_print"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("preferences/add/", views.preferences_add, name="preferences_add"),
    path("applications/", views.application_list, name="applications"),
    path("applications/new/", views.application_create, name="application_create"),
    path("applications/<int:pk>/profile/", views.application_profile, name="application_profile"),
    path("openings/<int:pk>/apply/", views.application_confirm, name="application_confirm"),
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
    path("searches/", views.saved_search_create, name="saved_search_create"),
    path("searches/<int:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path("searches/<int:pk>/email/", views.saved_search_email, name="saved_search_email"),
]

search_urlpatterns = [
    path("<str:token>/unsubscribe/", views.saved_search_unsubscribe, name="unsubscribe"),
]

school_urlpatterns = [
    path("students/<int:pk>/", views_school.student_detail, name="student_detail"),
    path(
        "applications/<int:pk>/withdraw/",
        views_school.application_answer,
        {"action": "withdraw"},
        name="application_withdraw",
    ),
    path(
        "applications/<int:pk>/accept/",
        views_school.application_answer,
        {"action": "accept"},
        name="offer_accept",
    ),
    path(
        "applications/<int:pk>/decline/",
        views_school.application_answer,
        {"action": "decline"},
        name="offer_decline",
    ),
    path("applications/<int:pk>/outside-hire/", views_school.application_outside_hire, name="outside_hire"),
    path(
        "applications/<int:pk>/guardian-consent/",
        views_school.application_guardian_consent,
        name="application_consent",
    ),
    path("retention/", views_school.retention_list, name="retention_list"),
    path("retention/<int:pk>/<int:milestone>/", views_school.retention_review, name="retention_review"),
]

company_urlpatterns = [
    path("", views_recruiter.dashboard, name="dashboard"),
    path("openings/<int:pk>/applicants/", views_recruiter.applicant_list, name="applicant_list"),
    path("applications/<int:pk>/", views_recruiter.application_detail, name="application_detail"),
    path("applications/<int:pk>/move/", views_recruiter.application_move, name="application_move"),
    path(
        "applications/<int:pk>/files/<int:file_id>/",
        views_recruiter.application_file,
        name="application_file",
    ),
]
