from django.urls import path, re_path

from dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("districts/", views.districts, name="dashboard-districts"),
    path("districts/evaluation-pack.xlsx", views.national_evaluation_pack, name="dashboard-national-pack"),
    path("evaluation-pack.xlsx", views.evaluation_pack, name="dashboard-evaluation-pack"),
    re_path(r"^export/(?P<slug>[a-z0-9-]+)\.(?P<fmt>csv|xlsx)$", views.export_table, name="dashboard-export"),
]
