"""The project's URLs plus two that fail on purpose, for tests/district/test_error_pages.py."""

from django.core.exceptions import SuspiciousOperation
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def broken(request):
    raise RuntimeError("a bug, on purpose")


def suspicious(request):
    raise SuspiciousOperation("a bad request, on purpose")


urlpatterns = [
    path("test-errors/500/", broken),
    path("test-errors/400/", suspicious),
    *project_urlpatterns,
]
