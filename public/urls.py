"""URLs of the public site, mounted at the site root. Each group keeps its namespace:

- /pathways/ (namespace "pathways");
- /programs/ (namespace "programs");
- /openings/ and /companies/ (namespace "companies_public");
- /districts/ (the name "districts", no namespace): every district of the portal;
- / (the name "home", no namespace).
"""

from django.urls import include, path

from public import views

pathway_urlpatterns = [
    path("", views.pathway_list, name="list"),
    path("<slug:slug>/", views.pathway_detail, name="detail"),
]

program_urlpatterns = [
    path("", views.program_list, name="list"),
    path("<int:pk>/", views.program_detail, name="detail"),
]

company_urlpatterns = [
    path("openings/", views.opening_list, name="opening_list"),
    path("openings/<int:pk>/", views.opening_detail, name="opening_detail"),
    path("companies/", views.company_list, name="company_list"),
    path("companies/<int:pk>/", views.company_detail, name="company_detail"),
]

urlpatterns = [
    path("pathways/", include((pathway_urlpatterns, "pathways"))),
    path("programs/", include((program_urlpatterns, "programs"))),
    path("", include((company_urlpatterns, "companies_public"))),
    path("districts/", views.district_list, name="districts"),
    path("", views.home, name="home"),
]
