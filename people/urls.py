from django.urls import path

from sergesite.citations.responses import patterns as citation_files

from . import views

app_name = "people"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
    *citation_files("<slug:slug>/works", views.works_cite, "works"),
]
