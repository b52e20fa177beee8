"""/api/v1/: the public allow-list, the scoped resources and the dashboard aggregates.

Public read endpoints are exactly the viewsets in PUBLIC; each derives from
`PublicReadOnlyViewSet`. Everything else requires authentication and scopes its rows.
"""

from rest_framework.routers import SimpleRouter

from companies.api.views import CompanyViewSet, OpeningViewSet
from dashboard.api import urls as dashboard_api_urls
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
    *dashboard_api_urls.urlpatterns,
]
