from django.urls import path

from . import feeds, views

app_name = "essays"

urlpatterns = [
    path("sections/<slug:slug>/", views.section, name="section"),
    path("essays/<str:slug>/", views.detail, name="detail"),
    path("essays/<str:slug>/cite.bib", views.bibtex, name="bibtex"),
    path("tags/<str:slug>/", views.tag, name="tag"),
    path("feed/", feeds.LatestEssaysFeed(), name="feed"),
    path("feed/atom/", feeds.LatestEssaysAtomFeed(), name="feed-atom"),
]
