"""The project's URLs: each app's pages at their paths, the API under /api/v1/ (config.api_urls)."""

from django.contrib import admin
from django.contrib.auth import urls as auth_urls
from django.urls import include, path

from companies import urls as company_urls
from dashboard import urls as dashboard_urls
from district import otp_views, security, views
from district.api import views as api_views
from placements import urls as placement_urls
from schools import urls as school_urls
from universities import urls as university_urls

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # The language links of every page: a GET that sets the language cookie (see the view for why GET).
    path("i18n/language/", views.language_choose, name="language"),
    path("admin/", admin.site.urls),
    # The portal's login comes before Django's: it adds the second-factor step (district.otp_views).
    path("accounts/login/", otp_views.PortalLoginView.as_view(), name="login"),
    path("accounts/two-factor/", otp_views.setup, name="otp-setup"),
    path("accounts/two-factor/verify/", otp_views.verify, name="otp-verify"),
    path("accounts/two-factor/remove/", otp_views.remove, name="otp-remove"),
    # Password reset sends email: throttled per client address, like sign-up and joining; from the
    # site's district (this pattern comes before Django's own of the same name and path).
    path(
        "accounts/password_reset/",
        security.throttle_posts("password-reset")(views.SitePasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "accounts/",
        include(
            security.guard_patterns(
                auth_urls.urlpatterns, security.throttle_posts("password-reset"), names={"password_reset"}
            )
        ),
    ),
    path("accounts/start/", views.after_login, name="after-login"),
    path("school/", include((school_urls.urlpatterns + placement_urls.school_urlpatterns, "schools"))),
    path("company/", include((company_urls.urlpatterns + placement_urls.company_urlpatterns, "companies"))),
    path("practice/", include((school_urls.practice_urlpatterns, "practice"))),
    path("me/practice/", include((school_urls.me_urlpatterns, "me_practice"))),
    path("accounts/invite/", include((school_urls.account_urlpatterns, "invitations"))),
    path("university/", include("universities.urls")),
    path("me/credits/", include((university_urls.me_urlpatterns, "me_credits"))),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", api_views.SchemaView.as_view(), name="api-schema"),
    path("api/docs/", api_views.DocsView.as_view(url_name="api-schema"), name="api-docs"),
    # OFFICIALS_REQUIRE_OTP: the dashboard refuses officials whose session has no verified code.
    path(
        "dashboard/",
        include(security.guard_patterns(dashboard_urls.urlpatterns, security.officials_second_factor)),
    ),
    path("me/", include((placement_urls.me_urlpatterns, "me"))),
    path("searches/", include((placement_urls.search_urlpatterns, "searches"))),
    path("", include("public.urls")),
]
