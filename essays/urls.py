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
    path("sections/<slug:slug>/feed/", feeds.SectionFeed(), name="section-feed"),
    path("sections/<slug:slug>/feed/atom/", feeds.SectionFeed(atom=True), name="section-feed-atom"),
    path("essays/<uslug:slug>/", views.detail, name="detail"),
    *citation_files("essays/<uslug:slug>/cite", views.cite, "cite"),
    *citation_files("essays/<uslug:slug>/works", views.works_cited, "works"),
    path("tags/<uslug:slug>/", views.tag, name="tag"),
    path("tags/<uslug:slug>/feed/", feeds.TagFeed(), name="tag-feed"),
    path("tags/<uslug:slug>/feed/atom/", feeds.TagFeed(atom=True), name="tag-feed-atom"),
    # A person's page is the people app's, but its feed lists essays and
    # people knows nothing of essays: the route lives here.
    path("people/<slug:slug>/feed/", feeds.PersonFeed(), name="person-feed"),
    path("people/<slug:slug>/feed/atom/", feeds.PersonFeed(atom=True), name="person-feed-atom"),
    path("feed/", feeds.EssayFeed(), name="feed"),
    path("feed/atom/", feeds.EssayFeed(atom=True), name="feed-atom"),
]
