from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

import search.views
from sergesite import views

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search.views.search, name="search"),
    path("search/", include("search.urls")),
    path("sitemap/", views.sitemap_page, name="sitemap"),
    path("sitemap.xml", views.sitemap_xml, name="sitemap-xml"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("admin/markdownx/", include("sergesite.markdownx_urls")),
    path("admin/export/", include("essays.exchange.urls")),
    # Before the admin's own "View on site" address, which would send editors
    # to the sites framework's placeholder domain (see sergesite/redirects.py).
    path("admin/r/<int:content_type_id>/<path:object_id>/", views.view_on_site),
    path("admin/", admin.site.urls),
    path("", include("essays.urls")),
    path("people/", include("people.urls")),
    path("works/", include("works.urls")),
    path("years/", include("works.year_urls")),
    path("feedback/", include("feedback.urls")),
]

# Images editors upload, served by Django only when DEBUG is on (`make run`);
# in production the web server serves MEDIA_ROOT (docs/DEPLOY.md).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler404 = "sergesite.views.page_not_found"
handler500 = "sergesite.views.server_error"
