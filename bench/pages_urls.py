"""
The site's own URLs plus the page benchmark's ceiling: /hello/, the cheapest
Django view there is, served through the same settings and middleware. Used
only by bench/pages_settings.py; the project's URLconf never sees it.
"""

from django.http import HttpResponse
from django.urls import path

import sergesite.urls


def hello(request):
    return HttpResponse("Hello, world", content_type="text/plain")


urlpatterns = [path("hello/", hello), *sergesite.urls.urlpatterns]

handler404 = sergesite.urls.handler404
handler500 = sergesite.urls.handler500
