"""No page of any persona scrolls sideways on a 390 px phone.

The sweep builds the access matrix's world (tests/district/access_world.py: the shared personas
plus one object of each kind a URL names), then, for each persona, opens one phone-sized
browser context, logs in once, and follows every same-site link from the persona's start page
(breadth first, GET only). Each path is visited once, whatever its query string: one object of
each kind is what the world holds, so every kind of page is met. Left out: the admin and the API
(/admin/, /api/: their own layouts), the language switch, logout (a POST form anyway) and
downloads (.xlsx, .csv).

Pages that an earlier persona measured (the public ones, mostly) are not measured again for the
next: apart from the header's links and a box or two, they look the same to everyone. The student
goes first, so that the public pages are measured with a student's fit boxes; the header alone
is tested in tests/district/test_browser_header.py. The sweep stays under a minute that way.

Every page is measured with `document.documentElement.scrollWidth`; the test fails once, listing
every page wider than the phone with its width (and any page that answered with a server error),
so that one run shows all there is to fix.

The B-side personas (school B, company B) are left out: they see the same pages as the A side,
with fewer rows.
"""

from __future__ import annotations

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.test import Client

from tests.browser import PHONE_WIDTH
from tests.district.access_world import build_world

pytestmark = pytest.mark.browser

# persona → the attribute of the world holding its user (None: not logged in)
PERSONAS = {
    "student": "student_user",
    "anonymous": None,
    "recruiter_a": "recruiter_a",
    "school_a": "school_a_staff",
    "coordinator": "coordinator",
    "official": "official",
}
# Everyone else starts where logging in sends them (the official: to the admin, left out here).
START = {"anonymous": "/", "official": "/dashboard/"}
SKIPPED_PREFIXES = ("/admin/", "/api/", "/i18n/", "/static/", "/media/", "/accounts/logout/")
DOWNLOADS = (".xlsx", ".csv", ".pdf", ".zip", ".json")
# issue 15 (company): stored files (a profile's project files) download from …/files/<id>/.
FILE_DOWNLOAD = re.compile(r"/files/\d+/$")
# More than this many pages for one persona means a link generator ran away (a calendar, a pager
# with ids in the path): fail rather than crawl forever.
MAX_PAGES = 120

LINKS = "els => els.map(e => e.href)"

# Pages each persona must have reached (as keyed in the sweep's widths), so that a sweep which
# lost its way fails rather than passes on a handful of public pages.
LANDMARKS = {
    "anonymous": ["/"],
    "student": ["/accounts/start/ → /me/", "/me/preferences/", "/me/practice/", "/me/credits/"],
    "recruiter_a": ["/accounts/start/ → /company/", "/company/openings/new/", "/practice/"],
    "school_a": ["/accounts/start/ → /school/", "/school/curriculum/new/", "/school/practice/new/"],
    "coordinator": ["/accounts/start/ → /university/", "/university/programs/new/"],
    "official": ["/dashboard/"],
}


def lengthen(objects) -> None:
    """Give the world's objects the longest names the Pohang demo uses, or longer: a page that
    fits a factory's short names can still break on real ones (an NCS unit's code and name in a
    select, an e-mail address in a table)."""
    world = objects.world
    ncs = objects.unit.ncs_unit
    ncs.code, ncs.name = "1901020605_22v1", "리튬이온전지셀 제조: 전해액 주입·밀봉(파우치형 셀 공정)"
    ncs.save()
    world.company_a.name = "GS건설 배터리 재활용사업(에네르마) 포항 영일만 2공장"
    world.company_a.save()
    objects.opening.title = "현장실습 연계 양극재 소성 공정 운영원 (2027년 하계, 교대 근무)"
    objects.opening.save()
    invited = world.student.department.students.get(name="초대받은학생")
    invited.email = "heunghae.battery2027.student@example.kr"
    invited.save()
    invited.invitations.update(email=invited.email)


def followed(href: str, origin: str) -> str | None:
    """The path (with its query) to visit for a link, or None when the sweep leaves it alone."""
    parts = urlsplit(href)
    if parts.scheme not in {"http", "https"} or f"{parts.scheme}://{parts.netloc}" != origin:
        return None
    if (
        parts.path.startswith(SKIPPED_PREFIXES)
        or parts.path.endswith(DOWNLOADS)
        or "/download/" in parts.path
    ):
        return None
    if FILE_DOWNLOAD.search(parts.path):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sweep(context, origin: str, start: str, done: set[str]) -> tuple[dict[str, int], list[str]]:
    """Visit every page reachable from `start` and not in `done`; return {path: width} and the
    pages that failed. Adds the paths it visited to `done`."""
    page = context.new_page()
    page.set_default_timeout(10_000)
    widths: dict[str, int] = {}
    errors: list[str] = []
    seen: set[str] = done - {start}
    queue = deque([start])
    while queue:
        target = queue.popleft()
        path = target.split("?")[0]
        if path in seen:
            continue
        seen.add(path)
        assert len(seen) <= MAX_PAGES, f"more than {MAX_PAGES} pages from {start}: {sorted(seen)}"
        response = page.goto(origin + target)
        landed = urlsplit(page.url).path
        seen.add(landed)
        if response.status >= 500:
            errors.append(f"{target}: {response.status}")
        if response.status >= 400:  # a refusal or an error page: not one of the persona's pages
            continue
        widths[target if landed == path else f"{target} → {landed}"] = page.evaluate(
            "() => document.documentElement.scrollWidth"
        )
        for href in page.eval_on_selector_all("a[href]", LINKS):
            link = followed(href, origin)
            if link and link.split("?")[0] not in seen:
                queue.append(link)
    page.close()
    done |= seen
    return widths, errors


def test_no_page_of_any_persona_scrolls_sideways_at_390px(_browser, live_server, transactional_db, settings):
    settings.OFFICIALS_REQUIRE_OTP = False  # the official's dashboard without the code step
    objects = build_world()
    lengthen(objects)
    origin = live_server.url
    too_wide, errors, visited = [], [], {}
    # Pages that an earlier signed-in persona measured (the public ones, mostly) are not measured
    # again for the next: apart from their links, they look the same to everyone signed in.
    done: set[str] = set()
    for persona, attribute in PERSONAS.items():
        context = _browser.new_context(
            locale="ko-KR",
            viewport={"width": PHONE_WIDTH, "height": 844},
            is_mobile=True,
            has_touch=True,
        )
        if attribute:
            client = Client()
            client.force_login(getattr(objects.world, attribute))
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": origin}])
        widths, failed = sweep(context, origin, START.get(persona, "/accounts/start/"), done)
        context.close()
        visited[persona] = widths
        too_wide += [f"{persona} {url}: {width}px" for url, width in widths.items() if width > PHONE_WIDTH]
        errors += [f"{persona} {line}" for line in failed]

    assert errors == [], "pages that answered with a server error:\n" + "\n".join(errors)
    assert too_wide == [], f"pages wider than {PHONE_WIDTH}px:\n" + "\n".join(too_wide)
    # The sweep really walked each persona's own pages (a broken login would leave only public ones).
    landmarks = {persona: sorted(set(LANDMARKS[persona]) - set(pages)) for persona, pages in visited.items()}
    assert landmarks == dict.fromkeys(PERSONAS, []), landmarks
