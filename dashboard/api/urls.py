"""The dashboard API's routes, included in the "api" namespace by the API urls (paths under /api/v1/)."""

from django.urls import path

from dashboard.api import views

urlpatterns = [
    path("dashboard/summary/", views.SummaryView.as_view(), name="dashboard-summary"),
    path("dashboard/placements/", views.PlacementsView.as_view(), name="dashboard-placements"),
    path("dashboard/funnel/", views.FunnelView.as_view(), name="dashboard-funnel"),
    path("dashboard/skills-gap/", views.SkillsGapView.as_view(), name="dashboard-skills-gap"),
    path("dashboard/retention/", views.RetentionView.as_view(), name="dashboard-retention"),
    path("dashboard/credits/", views.CreditsView.as_view(), name="dashboard-credits"),
    path("dashboard/budget/", views.BudgetView.as_view(), name="dashboard-budget"),
    path("dashboard/training/", views.TrainingView.as_view(), name="dashboard-training"),
    path("dashboard/matching/", views.MatchingView.as_view(), name="dashboard-matching"),
    path("dashboard/districts/", views.DistrictsView.as_view(), name="dashboard-districts"),
]
