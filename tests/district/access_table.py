"""Who may use which route of the portal: the table tests/district/test_access_matrix.py checks.

Each row maps a route (its namespaced URL name, or the full route string of an unnamed
pattern) to {method: personas allowed}. A method missing from a row is allowed to nobody.
"Allowed" means the view lets the persona in: it may answer 200, a redirect elsewhere than a
login page, or 400/409 for the empty body the matrix sends. Everybody else must be refused
(401, 403, 404, 405 or a redirect to log in) and a refused write must change nothing.

Objects in URLs belong to the A side of the world (school A, company A, school A's student,
the district's university and matching run), so the B-side personas appear in a row only
for pages that show their own rows (lists, dashboards); on object URLs they get 404.

The admin site is covered by a rule on its namespace (`admin_row`): officials only, less the
views the site itself refuses to officials too (read-only logs, districts, token deletion).
"""

from __future__ import annotations

ANONYMOUS = "anonymous"
STUDENT = "student"  # the student of school A, with an account
RECRUITER_A = "recruiter_a"
RECRUITER_B = "recruiter_b"
SCHOOL_A = "school_a"  # staff at school A
SCHOOL_B = "school_b"  # staff at school B
COORDINATOR = "coordinator"  # the university's coordinator
OFFICIAL = "official"  # a city official of the district, staff, second factor verified
TOKEN = "token"  # the district's read-only dashboard token (Authorization: Token …), no session
# issue 16 (ISOLATION): a Ministry of Education official (the national role, no district, not staff).
# Read-only everywhere: refused on every write and on every district's own pages; the rows of the
# national dashboard routes (NATIONAL helper) name this persona.
NATIONAL = "national"

PERSONAS = (
    ANONYMOUS,
    STUDENT,
    RECRUITER_A,
    RECRUITER_B,
    SCHOOL_A,
    SCHOOL_B,
    COORDINATOR,
    OFFICIAL,
    TOKEN,
    NATIONAL,
)

PAGE_METHODS = ("GET", "POST")
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
REFUSAL_CODES = frozenset({401, 403, 404, 405})

NOBODY: frozenset[str] = frozenset()
EVERYONE = frozenset(PERSONAS)
PEOPLE = EVERYONE - {ANONYMOUS, TOKEN}  # anyone logged in with a session
SCHOOL_STAFF = frozenset({SCHOOL_A, SCHOOL_B})
RECRUITERS = frozenset({RECRUITER_A, RECRUITER_B})


def both(who) -> dict:
    """GET shows the page; POST submits its form, or is answered like GET by a page without one."""
    return {"GET": frozenset(who), "POST": frozenset(who)}


def read(who) -> dict:
    """GET only: POST is 405 (require_GET pages, API reads, downloads)."""
    return {"GET": frozenset(who)}


def write(who) -> dict:
    """POST only: GET is 405 (require_POST actions)."""
    return {"POST": frozenset(who)}


# issue 16 (NATIONAL): who reads the national view among the personas (see its rows).
NATIONAL_ONLY = frozenset({NATIONAL})

A_ONLY_SCHOOL = {SCHOOL_A}
A_ONLY_COMPANY = {RECRUITER_A}

TABLE: dict[str, dict[str, frozenset[str]]] = {
    # --- Health, language, accounts --------------------------------------------------------
    "healthz": read(EVERYONE),  # load balancer probes
    "readyz": read(EVERYONE),
    "language": read(EVERYONE),  # a redirect that sets the language cookie, nothing else
    "login": both(EVERYONE),  # the portal's login (password, then the second-factor step)
    # Second factor: staff of every kind may enrol; students sign in with a password only.
    "otp-setup": both(PEOPLE - {STUDENT}),
    # The code page: for the signed-in, a redirect to set up or continue; for a visitor without
    # a pending password step, back to the login page (a refusal).
    "otp-verify": both(PEOPLE),
    "otp-remove": write(PEOPLE - {STUDENT}),  # redirects to the code page first when unverified
    "logout": write(EVERYONE),  # POST only (Django 5); logging out a visitor is harmless
    "password_change": both(PEOPLE),
    "password_change_done": read(PEOPLE),
    # Password reset works without an account session by design; the emailed link carries the key.
    "password_reset": both(EVERYONE),
    "password_reset_done": read(EVERYONE),
    "password_reset_confirm": both(EVERYONE),  # an invalid link shows the "invalid link" page
    "password_reset_complete": read(EVERYONE),
    "after-login": both(PEOPLE),  # sends each role to its home
    "invitations:accept": both(EVERYONE),  # the token in the link is the authority
    # --- School staff (/school/): officials work in /admin/ and /dashboard/ instead ----------
    "schools:index": both(SCHOOL_STAFF),
    "schools:student_list": both(SCHOOL_STAFF),  # each school sees its own students only
    "schools:student_detail": both(A_ONLY_SCHOOL),
    "schools:student_edit": both(A_ONLY_SCHOOL),
    "schools:student_invite": write(A_ONLY_SCHOOL),
    # The school answers for its student (issue 12): staff of the student's school only.
    "schools:application_withdraw": write(A_ONLY_SCHOOL),
    "schools:offer_accept": write(A_ONLY_SCHOOL),
    "schools:offer_decline": write(A_ONLY_SCHOOL),
    "schools:outside_hire": both(A_ONLY_SCHOOL),
    "schools:application_consent": both(A_ONLY_SCHOOL),
    # issue 15 (school): what the school holds on its student's profile, and the profile read-only.
    "schools:certification_check": both(A_ONLY_SCHOOL),
    "schools:certification_uncheck": write(A_ONLY_SCHOOL),
    "schools:attendance": both(A_ONLY_SCHOOL),
    "schools:student_profile": read(A_ONLY_SCHOOL),
    "schools:student_profile_print": read(A_ONLY_SCHOOL),
    "practice:evaluate": write(A_ONLY_COMPANY),  # the host's evaluation of the practice
    # end issue 15 (school)
    "schools:roster_import": both(SCHOOL_STAFF),
    "schools:roster_template": read(SCHOOL_STAFF),
    "schools:roster_import_detail": both(A_ONLY_SCHOOL),
    "schools:roster_export": read(SCHOOL_STAFF),
    "schools:department_list": both(SCHOOL_STAFF),
    "schools:department_create": both(SCHOOL_STAFF),
    "schools:department_edit": both(A_ONLY_SCHOOL),
    "schools:course_unit_list": both(SCHOOL_STAFF),
    "schools:course_unit_create": both(SCHOOL_STAFF),
    "schools:course_unit_edit": both(A_ONLY_SCHOOL),
    "schools:training_list": both(SCHOOL_STAFF),
    "schools:training_create": both(SCHOOL_STAFF),
    # Teacher training is run for the whole district: any school records its own teachers' hours.
    "schools:completion_create": both(SCHOOL_STAFF),
    "schools:teacher_create": both(SCHOOL_STAFF),
    "schools:practice_list": both(SCHOOL_STAFF),
    "schools:practice_create": both(SCHOOL_STAFF),
    "schools:practice_detail": both(A_ONLY_SCHOOL),
    "schools:practice_edit": write(A_ONLY_SCHOOL),
    "schools:practice_consent": write(A_ONLY_SCHOOL),
    "schools:practice_safety": write(A_ONLY_SCHOOL),
    "schools:practice_start": write(A_ONLY_SCHOOL),
    "schools:practice_complete": write(A_ONLY_SCHOOL),
    "schools:practice_cancel": write(A_ONLY_SCHOOL),
    "schools:practice_report_incident": write(A_ONLY_SCHOOL),
    "schools:incident_review": write(A_ONLY_SCHOOL),
    "schools:retention_list": both(SCHOOL_STAFF),
    "schools:retention_review": both(A_ONLY_SCHOOL),
    # --- Recruiters (/company/) ------------------------------------------------------------
    "companies:dashboard": both(RECRUITERS),
    # Public sign-up; a recruiter who already has a company is sent to its dashboard.
    "companies:signup": both(EVERYONE),
    "companies:join": both(EVERYONE),  # a second recruiter asks to join; an A recruiter approves
    # The emailed link that confirms a new recruiter's address: the token is the authority; an
    # invalid link (as here) shows the "no longer valid" page to everyone.
    "companies:signup_confirm": both(EVERYONE),
    # An official is sent to the join requests in the administration (a redirect, not a refusal).
    "companies:team": both(RECRUITERS | {OFFICIAL}),
    "companies:team_approve": write(A_ONLY_COMPANY),
    "companies:team_decline": write(A_ONLY_COMPANY),
    "companies:opening_list": both(RECRUITERS),
    "companies:opening_create": both(RECRUITERS),
    "companies:opening_detail": both(A_ONLY_COMPANY),
    "companies:opening_edit": both(A_ONLY_COMPANY),
    "companies:opening_submit": write(A_ONLY_COMPANY),
    "companies:opening_close": write(A_ONLY_COMPANY),
    "companies:opening_clone": write(A_ONLY_COMPANY),
    "companies:opening_withdraw_changes": write(A_ONLY_COMPANY),
    "companies:applicant_list": both(A_ONLY_COMPANY),
    "companies:application_detail": both(A_ONLY_COMPANY),
    "companies:application_move": write(A_ONLY_COMPANY),
    # issue 15 (company): a project file of the application's profile snapshot (a download).
    "companies:application_file": read(A_ONLY_COMPANY),
    # Host company pages for field practice: the recruiters stand for the company supervisor.
    "practice:list": both(RECRUITERS),
    "practice:diary": both(A_ONLY_COMPANY),
    "practice:acknowledge": write(A_ONLY_COMPANY),
    "practice:report_incident": write(A_ONLY_COMPANY),
    # --- The student's own pages (/me/) ---------------------------------------------------------
    "me_practice:index": both({STUDENT}),
    "me_practice:diary_save": write({STUDENT}),
    "me_practice:report_incident": write({STUDENT}),
    "me_credits:ledger": both({STUDENT}),
    "me:index": both({STUDENT}),
    "me:notifications": both({STUDENT}),
    "me:notifications_read": write({STUDENT}),
    "me:preferences": both({STUDENT}),
    "me:preferences_add": write({STUDENT}),
    "me:applications": both({STUDENT}),
    "me:application_create": write({STUDENT}),
    "me:application_confirm": both({STUDENT}),  # GET asks to confirm; its form posts to application_create
    "me:application_withdraw": both({STUDENT}),  # GET asks to confirm, POST does it
    "me:offer_accept": both({STUDENT}),
    "me:offer_decline": both({STUDENT}),
    # issue 15 (company): the student's copy of what the company sees.
    "me:application_profile": both({STUDENT}),
    "me:saved_search_create": write({STUDENT}),
    "me:saved_search_delete": write({STUDENT}),
    "me:saved_search_email": write({STUDENT}),
    # issue 15 (student): the student's own profile; another student's rows answer 404
    "me:profile": read({STUDENT}),
    "me:profile_basics": both({STUDENT}),
    "me:profile_self_introduction": write({STUDENT}),  # the form's POST and the draft save (JSON)
    "me:profile_activity_create": both({STUDENT}),
    "me:profile_activity_edit": both({STUDENT}),
    "me:profile_activity_delete": both({STUDENT}),  # GET asks to confirm, POST deletes
    "me:profile_project_create": both({STUDENT}),
    "me:profile_project_edit": both({STUDENT}),
    "me:profile_project_delete": both({STUDENT}),  # GET asks to confirm, POST deletes
    "me:profile_file": read({STUDENT}),  # the owner's download
    "me:profile_print": read({STUDENT}),
    "searches:unsubscribe": both(EVERYONE),  # one-click unsubscribe: the token is the authority
    # --- University coordinators (/university/) ----------------------------------------------
    "universities:program_list": both({COORDINATOR}),
    "universities:program_create": both({COORDINATOR}),
    "universities:program_detail": both({COORDINATOR}),
    "universities:program_edit": both({COORDINATOR}),
    "universities:program_delete": both({COORDINATOR}),  # GET asks to confirm
    "universities:enrollment_create": both({COORDINATOR}),
    "universities:enrollment_detail": both({COORDINATOR}),
    "universities:credit_record_create": write({COORDINATOR}),
    "universities:credit_record_delete": write({COORDINATOR}),
    "universities:enrollment_status": write({COORDINATOR}),
    # --- Public pages: read by anyone; POST is answered like GET and changes nothing ------------
    "home": both(EVERYONE),
    # issue 16 (SITES): every district of the portal, with its numbers and its site's address.
    "districts": both(EVERYONE),
    "pathways:list": both(EVERYONE),
    "pathways:detail": both(EVERYONE),
    "programs:list": both(EVERYONE),
    "programs:detail": both(EVERYONE),
    "companies_public:opening_list": both(EVERYONE),
    "companies_public:opening_detail": both(EVERYONE),
    "companies_public:company_list": both(EVERYONE),
    "companies_public:company_detail": both(EVERYONE),
    # --- The officials' dashboard page and its downloads (logged) -------------------------------
    "dashboard": read({OFFICIAL, NATIONAL}),  # issue 16 (NATIONAL): any district, by ?district=<slug>
    "dashboard-evaluation-pack": read({OFFICIAL, NATIONAL}),
    "dashboard-export": read({OFFICIAL, NATIONAL}),
    # --- API: the public allow-list (read by anyone, the token too; written by nobody) ------------
    "api:opening-list": read(EVERYONE),
    "api:opening-detail": read(EVERYONE),
    "api:pathway-list": read(EVERYONE),
    "api:pathway-detail": read(EVERYONE),
    "api:company-list": read(EVERYONE),
    "api:company-detail": read(EVERYONE),
    "api:school-list": read(EVERYONE),
    "api:school-detail": read(EVERYONE),
    "api:department-list": read(EVERYONE),
    "api:department-detail": read(EVERYONE),
    "api:credit-program-list": read(EVERYONE),
    "api:credit-program-detail": read(EVERYONE),
    "api:certification-list": read(EVERYONE),
    "api:certification-detail": read(EVERYONE),
    "api:job-role-list": read(EVERYONE),
    "api:job-role-detail": read(EVERYONE),
    "api-schema": read(EVERYONE),
    "api-docs": read(EVERYONE),
    # --- API: scoped reads. Lists answer everyone signed in (with their own rows, maybe none);
    # the A-side object answers only those whose scope holds it. Nothing is writable. The
    # dashboard token reads none of these per-student records, only the aggregates below.
    "api:application-list": read(PEOPLE),
    "api:application-detail": read({STUDENT, RECRUITER_A, SCHOOL_A, OFFICIAL}),
    # Personal data of minors: the dashboard token never reads it. Recruiter A sees the student
    # because the student applied to company A (contact details hidden until an offer is accepted).
    "api:student-list": read(PEOPLE),
    "api:student-detail": read({STUDENT, RECRUITER_A, SCHOOL_A, OFFICIAL}),
    "api:placement-list": read(PEOPLE),
    "api:placement-detail": read({STUDENT, RECRUITER_A, SCHOOL_A, OFFICIAL}),
    # Matching runs: officials read, start (POST to the list) and publish; the token reads
    # their statistics through api:dashboard-matching.
    "api:match-run-list": {"GET": frozenset({OFFICIAL}), "POST": frozenset({OFFICIAL})},
    "api:match-run-detail": read({OFFICIAL}),
    "api:match-run-publish": write({OFFICIAL}),
    # Dashboard aggregates: officials and the token (their district), school staff (their schools).
    "api:dashboard-summary": read(SCHOOL_STAFF | {OFFICIAL, TOKEN, NATIONAL}),
    "api:dashboard-placements": read(SCHOOL_STAFF | {OFFICIAL, TOKEN, NATIONAL}),
    "api:dashboard-funnel": read(SCHOOL_STAFF | {OFFICIAL, TOKEN, NATIONAL}),
    "api:dashboard-skills-gap": read(SCHOOL_STAFF | {OFFICIAL, TOKEN, NATIONAL}),
    "api:dashboard-retention": read(SCHOOL_STAFF | {OFFICIAL, TOKEN, NATIONAL}),
    "api:dashboard-credits": read(SCHOOL_STAFF | {OFFICIAL, TOKEN, NATIONAL}),
    "api:dashboard-budget": read({OFFICIAL, TOKEN, NATIONAL}),  # the budget is the officials' alone
    "api:dashboard-training": read(SCHOOL_STAFF | {OFFICIAL, TOKEN, NATIONAL}),
    "api:dashboard-matching": read({OFFICIAL, TOKEN, NATIONAL}),  # the district's rounds, as the budget
    # issue 16 (NATIONAL): the national view, read by the Ministry's national officials (and
    # superusers, no persona here). A district official and school staff get 403, the district's
    # token 403 (API) or the login page.
    "dashboard-districts": read(NATIONAL_ONLY),
    "dashboard-national-pack": read(NATIONAL_ONLY),
    "api:dashboard-districts": read(NATIONAL_ONLY),
}

# --- The admin site ----------------------------------------------------------------------------

OFFICIALS = frozenset({OFFICIAL})
ADMIN_DEFAULT = both(OFFICIALS)  # every admin page: officials only, everyone else to the admin login

ADMIN_ROWS: dict[str, dict[str, frozenset[str]]] = {
    "admin:login": both(EVERYONE),  # the form; a logged-in official is sent on to the index
    # POST logs out; Django sends a non-admin's request (GET or POST) to the index, which sends
    # them to log in: nothing happens either way. An official's GET is 405 (POST only).
    "admin:logout": {"GET": EVERYONE - OFFICIALS, "POST": EVERYONE},
    "admin:password_change_done": read(OFFICIALS),
    "admin:jsi18n": read(OFFICIALS),
    "admin:autocomplete": read(OFFICIALS),
    "admin:view_on_site": {},  # no model has a public URL: 404 to officials too
    "admin:placements_matchround_start_run": write(OFFICIALS),
    # GET is the confirmation page (or, for a run that cannot be published, back to its page).
    "admin:placements_matchrun_publish": both(OFFICIALS),
    # The run page's "send again" for its failed offer emails (issue 17): a POST, as publishing.
    "admin:placements_matchrun_retry_emails": write(OFFICIALS),
    # Decisions on an object's own page: approving is a POST; rejecting shows the reason form on
    # GET (companies, openings), while declining a join request needs no reason and is a POST.
    "admin:companies_company_approve": write(OFFICIALS),
    "admin:companies_opening_approve": write(OFFICIALS),
    "admin:district_membership_approve": write(OFFICIALS),
    "admin:district_membership_reject": write(OFFICIALS),
    "admin/(?P<url>.*)$": {},  # the catch-all: 404 to officials, the login page to others
    # Districts are set up with the deployment, never added or deleted in the admin.
    "admin:district_district_add": {},
    "admin:district_district_delete": {},
    # Tokens are revoked (an action), never deleted: the row keeps who made and used it.
    "admin:district_dashboardtoken_delete": {},
    # The task outbox is the portal's machinery, not a district's data: superusers only (the
    # matrix has no superuser persona); officials get 403 (tests/district/test_outbox_admin.py).
    "admin:district_taskoutbox_changelist": {},
    "admin:district_taskoutbox_add": {},
    "admin:district_taskoutbox_change": {},
    "admin:district_taskoutbox_delete": {},
    "admin:district_taskoutbox_history": {},
}

# Admins that only show rows the portal writes itself (logs, runs, imports, invitations):
# officials read the list and each row; nobody adds or changes one. The value says whether an
# official may delete a row (the school records may go, e.g. to erase a student's data; logs stay).
VIEW_ONLY_ADMINS = {
    "district_exportlog": False,  # who downloaded what (PIPA)
    "schools_studentinvitation": True,
    "schools_rosterimport": True,
    "placements_retentionreview": True,
    "placements_matchrun": False,  # made by the matching engine; published from its page
    "placements_match": False,  # part of a run
    # The students' own rows: officials read them (each page is in the access log), never edit.
    "placements_notification": False,
    "placements_savedsearch": False,
    "placements_suggestion": False,  # computed overnight
    "placements_offeremail": False,  # written by the publication and its mail task (issue 17)
    "privacy_personaldataaccess": False,  # the access log of personal data (PIPA)
    "auditlog_logentry": False,  # the change log
    # Recruiters propose changes on their opening's page; officials decide on the review page.
    "companies_openingrevision": False,
}


def admin_row(key: str) -> dict[str, frozenset[str]]:
    if key in ADMIN_ROWS:
        return ADMIN_ROWS[key]
    for prefix, deletable in VIEW_ONLY_ADMINS.items():
        if key == f"admin:{prefix}_add" or (key == f"admin:{prefix}_delete" and not deletable):
            return {}
        if key == f"admin:{prefix}_change":
            return read(OFFICIALS)
    return ADMIN_DEFAULT


def has_row(key: str, namespace: str) -> bool:
    return key in TABLE or namespace == "admin"


def allowed(key: str, namespace: str, method: str) -> frozenset[str]:
    row = TABLE[key] if key in TABLE else admin_row(key)
    if namespace != "admin" and key not in TABLE:
        raise KeyError(key)
    return row.get(method, NOBODY)
