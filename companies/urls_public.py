"""Public URLs of companies and openings, mounted at the site root (namespace "companies_public")."""

from django.urls import path

from companies import views_public

app_name = "companies_public"

urlpatterns = [
    path("openings/", views_public.opening_list, name="opening_list"),
    path("openings/<int:pk>/", views_public.opening_detail, name="opening_detail"),
    path("companies/", views_public.company_list, name="company_list"),
    path("companies/<int:pk>/", views_public.company_detail, name="company_detail"),
]
