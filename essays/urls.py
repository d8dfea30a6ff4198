from django.urls import path, register_converter

from sergesite.citations.responses import patterns as citation_files

from . import feeds, views


class UnicodeSlugConverter:
    # Letters of any script, digits, _ and -: what slugify(allow_unicode=True)
    # makes. Anything else (a NUL byte, which PostgreSQL refuses) is a 404.
    regex = r"[-\w]+"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(UnicodeSlugConverter, "uslug")

app_name = "essays"

urlpatterns = [
    path("sections/<slug:slug>/", views.section, name="section"),
    path("essays/<uslug:slug>/", views.detail, name="detail"),
    *citation_files("essays/<uslug:slug>/cite", views.cite, "cite"),
    *citation_files("essays/<uslug:slug>/works", views.works_cited, "works"),
    path("tags/<uslug:slug>/", views.tag, name="tag"),
    path("feed/", feeds.LatestEssaysFeed(), name="feed"),
    path("feed/atom/", feeds.LatestEssaysAtomFeed(), name="feed-atom"),
]
