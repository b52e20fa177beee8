"""The pages of the personal-data access log, named in words.

Every page, export and API endpoint that shows a student's personal data writes a row to the
log (`privacy.services.record_access`) with `what` set to its route name, such as
`universities:program_detail`. The route name is stable and searchable, so it stays in the
row; the official reading the log sees the page's name from `PAGE_NAMES`, in their language.

A new page that logs access adds its name here: tests/privacy/test_page_names.py finds every
`what=` the code can write and fails when one has no name.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

PAGE_NAMES = {
    # School staff
    "schools:student_list": _("School: student list"),
    "schools:student_detail": _("School: a student's record"),
    "schools:student_edit": _("School: editing a student's record"),
    "schools:roster_export": _("School: roster download (Excel)"),
    "schools:practice_list": _("School: field practice list"),
    "schools:practice_detail": _("School: a field practice"),
    "schools:retention_list": _("School: retention checks"),
    "schools:retention_review": _("School: a retention check"),
    "schools:attendance": _("School: a student's attendance"),
    "schools:certification_check": _("School: checking a student's certificate"),
    "schools:student_profile": _("School: a student's profile"),
    "schools:student_profile_print": _("School: a student's profile, printed"),
    # Companies
    "companies:dashboard": _("Company: dashboard (new and waiting applicants)"),
    "companies:applicant_list": _("Company: an opening's applicants"),
    "companies:application_detail": _("Company: an application"),
    # issue 15 (company): the profile snapshot on the applicant page, and a file of it.
    "profile snapshot": _("Company: a student's profile, as sent with the application"),
    "profile file": _("Company: a file of a student's profile"),
    "practice:list": _("Company: field practice students"),
    "practice:diary": _("Company: a field practice diary"),
    # Universities
    "universities:program_detail": _("University: a programme's enrolments"),
    "universities:enrollment_detail": _("University: an enrolment"),
    "universities:enrollment_create": _("University: looking up a student to enrol"),
    # The officials' administration
    "admin:student_changelist": _("Administration: student list"),
    "admin:student_change": _("Administration: a student's record"),
    "admin:notification_changelist": _("Administration: students' notifications"),
    "admin:notification_change": _("Administration: a student's notification"),
    "admin:savedsearch_changelist": _("Administration: students' saved searches"),
    "admin:savedsearch_change": _("Administration: a student's saved search"),
    "admin:suggestion_changelist": _("Administration: suggested openings"),
    "admin:suggestion_change": _("Administration: a suggested opening"),
    "admin:offeremail_changelist": _("Administration: offer emails to students"),
    "admin:offeremail_change": _("Administration: an offer email to a student"),
    # The API (dashboards and BI tools)
    "api:students-list": _("API: student list"),
    "api:students-detail": _("API: a student"),
    "api:applications-list": _("API: application list"),
    "api:applications-detail": _("API: an application"),
    "api:placements-list": _("API: placement list"),
    "api:placements-detail": _("API: a placement"),
}


def page_name(what: str) -> str:
    """The page's name in words; a route name without one (an old row) is shown as it is."""
    name = PAGE_NAMES.get(what)
    return str(name) if name is not None else what
