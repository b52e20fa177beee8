"""Public URLs of credit programmes, mounted at /programs/ (namespace "programs")."""

from django.urls import path

from universities import views_public

app_name = "programs"

urlpatterns = [
    path("", views_public.program_list, name="list"),
    path("<int:pk>/", views_public.program_detail, name="detail"),
]
