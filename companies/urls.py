"""URLs of the recruiters' pages, mounted at /company/ (namespace "companies").

The dashboard and the applicant pipeline are placements' (`placements.urls.company_urlpatterns`);
`config/urls.py` mounts both lists under /company/ in the one "companies" namespace.
"""

from django.urls import path

from companies import views

app_name = "companies"

urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("join/", views.join, name="join"),
    path("signup/confirm/<str:uidb64>/<str:token>/", views.signup_confirm, name="signup_confirm"),
    path("team/", views.team, name="team"),
    path("team/<int:pk>/approve/", views.team_decide, {"decision": "approve"}, name="team_approve"),
    path("team/<int:pk>/decline/", views.team_decide, {"decision": "decline"}, name="team_decline"),
    path("openings/", views.opening_list, name="opening_list"),
    path("openings/new/", views.opening_create, name="opening_create"),
    path("openings/<int:pk>/", views.opening_detail, name="opening_detail"),
    path("openings/<int:pk>/edit/", views.opening_edit, name="opening_edit"),
    path("openings/<int:pk>/submit/", views.opening_action, {"action": "submit"}, name="opening_submit"),
    path("openings/<int:pk>/close/", views.opening_action, {"action": "close"}, name="opening_close"),
    path(
        "openings/<int:pk>/withdraw-changes/",
        views.opening_action,
        {"action": "withdraw_changes"},
        name="opening_withdraw_changes",
    ),
    path("openings/<int:pk>/clone/", views.opening_action, {"action": "clone"}, name="opening_clone"),
]
