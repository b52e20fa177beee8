"""Fixtures for the recruiter's applicant pipeline tests (test_applicants, test_dashboard,
test_stale_reminders), which moved here from tests/companies with the code (issue 13):
the openings of companies A and B and an application. None is autouse.
"""

from tests.companies.conftest import (  # noqa: F401 (fixtures)
    application_a,
    certification,
    opening_a,
    opening_b,
    pending_company,
)
