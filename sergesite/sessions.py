"""
Django's session middleware, except that a cookie naming no session never
creates one.

Staff sessions expire after SESSION_IDLE_MINUTES without a request, which
SESSION_SAVE_EVERY_REQUEST implements: Django saves every session on the way
out, even one the request never read. For a cookie that names no session
(expired, or made up by a client to get past the page cache) that save
inserts a new, empty session, on every request. Reading the session first
lets Django see that it is empty and delete the cookie instead.
"""

from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware as DjangoSessionMiddleware


class SessionMiddleware(DjangoSessionMiddleware):
    def process_response(self, request, response):
        session = getattr(request, "session", None)
        if (
            session is not None
            and not session.accessed
            and request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        ):
            session.keys()  # one read: a real session, or nothing to save
        return super().process_response(request, response)
