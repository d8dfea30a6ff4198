"""
WhiteNoise, built at the first request for a static file instead of when a
worker starts. Behind nginx (docs/DEPLOY.md) a worker never sees one, and
building WhiteNoise stats and indexes every collected file.
"""

from urllib.parse import urlsplit

from django.conf import settings


class LazyWhiteNoiseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = urlsplit(settings.STATIC_URL).path
        self.whitenoise = None

    def __call__(self, request):
        if not request.path_info.startswith(self.prefix):
            return self.get_response(request)
        if self.whitenoise is None:
            from whitenoise.middleware import WhiteNoiseMiddleware

            self.whitenoise = WhiteNoiseMiddleware(self.get_response)
        return self.whitenoise(request)
