"""/api/v1/: the public allow-list, the scoped resources and the dashboard aggregates.

Public read endpoints are exactly the viewsets in PUBLIC; each derives from
`PublicReadOnlyViewSet`. Everything else requires authentication and scopes its rows.
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from companies.api.views import CompanyViewSet, OpeningViewSet
from district.api import views
from placements.api.runs import MatchRunViewSet  # the scoped read viewset, plus start and publish
from placements.api.views import ApplicationViewSet, PathwayViewSet, PlacementViewSet
from schools.api.views import DepartmentViewSet, SchoolViewSet, StudentViewSet
from universities.api.views import CreditProgramViewSet

PUBLIC = [
    ("openings", OpeningViewSet, "opening"),
    ("pathways", PathwayViewSet, "pathway"),
    ("companies", CompanyViewSet, "company"),
    ("schools", SchoolViewSet, "school"),
    ("departments", DepartmentViewSet, "department"),
    ("credit-programs", CreditProgramViewSet, "credit-program"),
    ("certifications", views.CertificationViewSet, "certification"),
    ("job-roles", views.JobRoleViewSet, "job-role"),
]
SCOPED = [
    ("applications", ApplicationViewSet, "application"),
    ("students", StudentViewSet, "student"),
    ("placements", PlacementViewSet, "placement"),
    ("match-runs", MatchRunViewSet, "match-run"),
]

app_name = "api"
router = SimpleRouter()
for prefix, viewset, basename in PUBLIC + SCOPED:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    *router.urls,
    path("dashboard/summary/", views.SummaryView.as_view(), name="dashboard-summary"),
    path("dashboard/placements/", views.PlacementsView.as_view(), name="dashboard-placements"),
    path("dashboard/funnel/", views.FunnelView.as_view(), name="dashboard-funnel"),
    path("dashboard/skills-gap/", views.SkillsGapView.as_view(), name="dashboard-skills-gap"),
    path("dashboard/retention/", views.RetentionView.as_view(), name="dashboard-retention"),
    path("dashboard/credits/", views.CreditsView.as_view(), name="dashboard-credits"),
    path("dashboard/budget/", views.BudgetView.as_view(), name="dashboard-budget"),
    path("dashboard/training/", views.TrainingView.as_view(), name="dashboard-training"),
    path("dashboard/matching/", views.MatchingView.as_view(), name="dashboard-matching"),
]
