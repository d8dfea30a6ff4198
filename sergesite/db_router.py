"""
Reads from PostgreSQL read replicas, everything else on the primary.

Settings turn this on when DATABASE_REPLICA_URL names one or more replicas
(aliases replica_1, replica_2, ...; any alias whose name starts with
"replica" counts). A replica lags its primary by a moment, so a request that
could notice the lag reads from the primary for all of its queries:

- a request carrying the session cookie: in practice a signed-in editor
  (readers never get a session), who must see what they have just saved;
- a request whose method is not GET, HEAD or OPTIONS (a form being sent);
- the rest of any request, from its first write of content on (caching a
  page is not one).

A request is recognised from request_started's WSGI environ or ASGI scope,
not a middleware: the router needs no entry in MIDDLEWARE, and management
commands, which have no request, read from the primary too.

The cache table (if a database cache is configured), sessions and the sign-in
throttle always live on the primary: a stale read there would serve an old
page, forget a sign-in or miss a failed password.
"""

import contextvars
import random

from django.conf import settings
from django.core.signals import request_started
from django.dispatch import receiver

PRIMARY = "default"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# django_cache is the app label of DatabaseCache's rows.
PRIMARY_ONLY_APPS = {"django_cache", "sessions", "axes"}

# True: read from the primary. Outside a request (commands, the shell) it is
# never unset.
_on_primary = contextvars.ContextVar("sergesite_reads_on_primary", default=True)


def replicas():
    # Imported here: settings import this module, before django.db may be.
    from django.db import connections

    return [alias for alias in connections if alias.startswith("replica")]


def reads_on_primary():
    return _on_primary.get()


def _has_session_cookie(cookie_header):
    name = settings.SESSION_COOKIE_NAME
    return any(part.strip().startswith(f"{name}=") for part in cookie_header.split(";"))


@receiver(request_started, dispatch_uid="sergesite.db_router.request_started")
def _choose_for_request(sender, environ=None, scope=None, **kwargs):
    if environ is not None:
        method = environ.get("REQUEST_METHOD", "GET")
        cookies = environ.get("HTTP_COOKIE", "")
    elif scope is not None:
        method = scope.get("method", "GET")
        headers = dict(scope.get("headers") or [])
        cookies = headers.get(b"cookie", b"").decode("latin-1")
    else:
        _on_primary.set(True)
        return
    _on_primary.set(method.upper() not in SAFE_METHODS or _has_session_cookie(cookies))


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        if _on_primary.get() or model._meta.app_label in PRIMARY_ONLY_APPS:
            return PRIMARY
        # Spread the request's reads over the replicas; one request may read
        # from several, which is harmless as they all follow one primary.
        choices = replicas()
        return random.choice(choices) if choices else PRIMARY

    def db_for_write(self, model, **hints):
        # Django also asks this before reads it means to write after
        # (get_or_create, select_for_update): both want the primary from now
        # on. Writing a cache entry (a page being cached) changes no content
        # a later read could miss, so it leaves the request's reads alone.
        if model._meta.app_label not in PRIMARY_ONLY_APPS:
            _on_primary.set(True)
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias is the same data, so objects from any of them may be linked.
        ours = {PRIMARY, *replicas()}
        if obj1._state.db in ours and obj2._state.db in ours:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # Replicas copy the primary's schema through replication.
        return db == PRIMARY
