"""URLs of the universities app, in two lists that config/urls.py mounts:

- `urlpatterns` at /university/ (namespace "universities"): university coordinators;
- `me_urlpatterns` at /me/credits/ (namespace "me_credits"): the graduate's credit ledger.
"""

from django.urls import path

from universities import views

app_name = "universities"

urlpatterns = [
    path("", views.program_list, name="program_list"),
    path("programs/new/", views.program_form, name="program_create"),
    path("programs/<int:pk>/", views.program_detail, name="program_detail"),
    path("programs/<int:pk>/edit/", views.program_form, name="program_edit"),
    path("programs/<int:pk>/delete/", views.program_delete, name="program_delete"),
    path("programs/<int:pk>/enrol/", views.enrollment_create, name="enrollment_create"),
    path("enrolments/<int:pk>/", views.enrollment_detail, name="enrollment_detail"),
    path("enrolments/<int:pk>/credits/", views.credit_record_create, name="credit_record_create"),
    path(
        "enrolments/<int:pk>/credits/<int:record_pk>/delete/",
        views.credit_record_delete,
        name="credit_record_delete",
    ),
    path("enrolments/<int:pk>/status/", views.enrollment_status, name="enrollment_status"),
]

me_urlpatterns = [
    path("", views.credit_ledger, name="ledger"),
]
