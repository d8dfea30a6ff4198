from django.urls import path

from sergesite.citations.responses import patterns as citation_files

from . import views

app_name = "works"

urlpatterns = [
    path("", views.index, name="index"),
    *citation_files("cite", views.index_cite, "index-cite"),
    *citation_files("<slug:slug>/cite", views.cite, "cite"),
    path("<slug:slug>/", views.detail, name="detail"),
]
