"""400, 403, 404, 500 and CSRF failures answer with the portal's own page, in its layout and language.

Django renders 400, 500 and the CSRF page without a request (no user, no session), so those
pages must render from the template alone, without the database; 403 and 404 have the
request and show the user's own links. DEBUG is off in tests, as in production.
"""

import pytest
from django.template import loader
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db

LANGUAGE_COOKIE = "django_language"


def page(response) -> str:
    return response.content.decode()


@pytest.fixture
def failing_urls(settings):
    settings.ROOT_URLCONF = "tests.district.error_urls"


def english(client: Client) -> Client:
    client.cookies[LANGUAGE_COOKIE] = "en"
    return client


def test_404_is_the_portal_page_in_korean(anonymous):
    response = anonymous.get("/no-such-page/")
    assert response.status_code == 404
    html = page(response)
    assert '<html lang="ko">' in html
    assert "<title>페이지를 찾을 수 없습니다 · " in html
    assert '<h1 id="error-title">페이지를 찾을 수 없습니다</h1>' in html
    assert '<a class="brand" href="/">' in html  # the site's header
    assert '<a href="/">홈페이지로 이동</a>' in html
    assert "Not Found" not in html


def test_404_in_english_when_english_is_chosen(anonymous):
    response = english(anonymous).get("/no-such-page/")
    html = page(response)
    assert response.status_code == 404
    assert '<html lang="en">' in html
    assert '<h1 id="error-title">Page not found</h1>' in html


def test_404_offers_a_signed_in_user_their_work(student_user):
    html = page(student_user.get("/no-such-page/"))
    assert '<a href="/accounts/start/">내 업무로 가기</a>' in html


def test_403_is_the_portal_page_with_the_users_way_out(recruiter_a):
    # A recruiter on a school staff page: the role check refuses with 403.
    response = recruiter_a.get("/school/students/")
    assert response.status_code == 403
    html = page(response)
    assert '<html lang="ko">' in html
    assert '<h1 id="error-title">이 페이지에 접근할 권한이 없습니다</h1>' in html
    assert '<a href="/accounts/start/">내 업무로 가기</a>' in html
    assert "403 Forbidden" not in html


def test_403_in_english(recruiter_a):
    html = page(english(recruiter_a).get("/school/students/"))
    assert '<html lang="en">' in html
    assert '<h1 id="error-title">You do not have access to this page</h1>' in html


def test_500_is_the_portal_page_without_user_links(failing_urls, student_user):
    student_user.raise_request_exception = False
    response = student_user.get("/test-errors/500/")
    assert response.status_code == 500
    html = page(response)
    assert '<html lang="ko">' in html
    assert '<h1 id="error-title">시스템 오류가 발생했습니다</h1>' in html
    assert '<a class="brand" href="/">' in html
    # Rendered without the request: no menu, no language switch, no "my work" link.
    assert "/accounts/start/" not in html
    assert "/i18n/language/" not in html


def test_500_in_english(failing_urls, anonymous):
    anonymous.raise_request_exception = False
    html = page(english(anonymous).get("/test-errors/500/"))
    assert '<html lang="en">' in html
    assert '<h1 id="error-title">Something went wrong on our side</h1>' in html


def test_500_renders_without_the_database(django_assert_num_queries):
    with django_assert_num_queries(0), translation.override("ko"):
        html = loader.get_template("500.html").render()
    assert '<h1 id="error-title">시스템 오류가 발생했습니다</h1>' in html


def test_400_is_the_portal_page(failing_urls, anonymous):
    response = anonymous.get("/test-errors/400/")
    assert response.status_code == 400
    html = page(response)
    assert '<html lang="ko">' in html
    assert '<h1 id="error-title">요청을 처리할 수 없습니다</h1>' in html


def test_csrf_failure_is_the_portal_page(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    html = page(response)
    assert '<html lang="ko">' in html
    assert '<h1 id="error-title">양식을 안전하게 보내지 못했습니다</h1>' in html
    assert "CSRF" not in html


def test_csrf_failure_in_english(db):
    client = english(Client(enforce_csrf_checks=True))
    html = page(client.post("/accounts/login/", {"username": "x", "password": "y"}))
    assert '<html lang="en">' in html
    assert '<h1 id="error-title">The form could not be sent safely</h1>' in html
