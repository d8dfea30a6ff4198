"""
Old addresses that lead to current pages, stored as django.contrib.redirects rows.

Three ways in, one set of rules:
- editors type old addresses in the admin (the essay's "Old addresses" field,
  the Redirect admin and its CSV upload, `manage.py import_redirects`);
- importers call add_old_address(old_path, obj);
- essays, sections, people and works call tracking_address(self) around
  their save(), so changing a slug leaves a permanent redirect behind.

Rules: an old address is a bare path (no scheme, host, query or fragment);
a target is a page of this site; chains collapse (A→B then B→C gives A→C);
a redirect never hides a live page and never loops.

Why our own middleware rather than Django's RedirectFallbackMiddleware:
installing django.contrib.sites makes get_current_site() return the Site
row, whose domain is a placeholder ("example.com") that the deployment
never sets. We match on the path for the one configured SITE_ID and never
read that row, and the pages that build absolute addresses (the sitemap,
the feeds, "View on site") keep using the host each request came to. And
Django's middleware would redirect to a draft essay, telling anyone its
new slug; ours redirects only to a page the visitor could open.
"""

from contextlib import contextmanager
from urllib.parse import quote, unquote, urlsplit

from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponsePermanentRedirect
from django.http.request import validate_host
from django.urls import Resolver404, resolve
from django.utils.http import RFC3986_SUBDELIMS

# Both columns of django_redirect are this long.
MAX_LENGTH = Redirect._meta.get_field("old_path").max_length


def normalise_path(value):
    """
    The path a request for this old address would have, as request.path
    gives it: a leading slash, percent-escapes decoded, and no scheme,
    host, query string or fragment. Raises ValidationError for junk.
    """
    text = (value or "").strip()
    if not text:
        raise ValidationError("An address is empty.")
    parts = urlsplit(text)
    if parts.scheme and parts.scheme not in ("http", "https"):
        raise ValidationError(f"{text!r} is not a web address.")
    path = unquote(parts.path)
    if not path.startswith("/"):
        path = "/" + path
    if any(ord(char) < 32 or ord(char) == 127 for char in path):
        raise ValidationError(f"{text!r} contains control characters.")
    segments = path.split("/")
    if "." in segments or ".." in segments:
        # Browsers resolve these before asking, so such a path never arrives.
        raise ValidationError(f"{text!r} contains . or .. segments.")
    if len(path) > MAX_LENGTH:
        raise ValidationError(f"{text!r} is longer than {MAX_LENGTH} characters.")
    return path


def normalise_target(value):
    """
    A page of this site, written as reverse() writes it (non-ASCII
    percent-escaped), so it compares equal to get_absolute_url(). A full
    URL is accepted only with one of this site's own hosts.
    """
    host = urlsplit((value or "").strip()).hostname
    if host and not validate_host(host, settings.ALLOWED_HOSTS):
        raise ValidationError(f"{value.strip()!r} is not an address on this site.")
    path = normalise_path(value)
    try:
        resolve(path)
    except Resolver404:
        raise ValidationError(f"{value.strip()!r} is not an address on this site.") from None
    return quote(path, safe=RFC3986_SUBDELIMS + "/~:@")


def _redirects():
    return Redirect.objects.filter(site_id=settings.SITE_ID)


def add_old_address(old_path, obj):
    """
    Make old_path lead to obj's page (anything with get_absolute_url).
    Safe to call again with the same pair. Raises ValidationError for junk,
    for the page's own address and for an address that leads elsewhere.
    """
    return add_redirect(old_path, obj.get_absolute_url(), replace=False)[0]


def add_redirect(old_path, new_path, *, replace):
    """
    Store old_path → new_path. Returns (redirect, "created" | "changed" |
    "unchanged"). An old address that already leads elsewhere is re-pointed
    only with replace=True, otherwise it is a ValidationError.
    """
    old = normalise_path(old_path)
    new = normalise_target(new_path)
    if unquote(new) == old:
        raise ValidationError(f"{old} would lead to itself.")
    with transaction.atomic():
        redirect, created = (
            _redirects()
            .select_for_update()
            .get_or_create(old_path=old, defaults={"site_id": settings.SITE_ID, "new_path": new})
        )
        if created:
            return redirect, "created"
        if redirect.new_path == new:
            return redirect, "unchanged"
        if not replace:
            raise ValidationError(f"{old} already leads to {redirect.new_path}.")
        redirect.new_path = new
        redirect.save(update_fields=["new_path"])
        return redirect, "changed"


def add_old_addresses(pairs):
    """
    add_old_address() for many (old_path, obj) pairs at once, for a batch
    import: the same rules in two queries. Returns {index of a pair: the
    ValidationError that kept it out}; the other pairs are stored.
    """
    errors, wanted = {}, {}
    for index, (old_path, obj) in enumerate(pairs):
        try:
            old = normalise_path(old_path)
            new = normalise_target(obj.get_absolute_url())
            if unquote(new) == old:
                raise ValidationError(f"{old} would lead to itself.")
            if wanted.get(old, (None, new))[1] != new:
                raise ValidationError(f"{old} already leads to {wanted[old][1]}.")
        except ValidationError as error:
            errors[index] = error
            continue
        wanted.setdefault(old, (index, new))
    with transaction.atomic():
        stored = dict(
            _redirects()
            .select_for_update()
            .filter(old_path__in=list(wanted))
            .values_list("old_path", "new_path")
        )
        for old, (index, new) in wanted.items():
            if old in stored and stored[old] != new:
                errors[index] = ValidationError(f"{old} already leads to {stored[old]}.")
        Redirect.objects.bulk_create(
            Redirect(site_id=settings.SITE_ID, old_path=old, new_path=new)
            for old, (_, new) in wanted.items()
            if old not in stored
        )
    return errors


def pages_added(urls):
    """moved(None, url) for many new pages: a live page wins over a redirect from its address."""
    _redirects().filter(old_path__in=[unquote(url) for url in urls]).delete()


def old_addresses(obj):
    """The old addresses that lead to obj's page, in order."""
    return list(
        _redirects()
        .filter(new_path=obj.get_absolute_url())
        .order_by("old_path")
        .values_list("old_path", flat=True)
    )


def remove_old_address(old_path, obj):
    """Forget old_path if it leads to obj's page; other redirects are left alone."""
    _redirects().filter(old_path=normalise_path(old_path), new_path=obj.get_absolute_url()).delete()


@contextmanager
def tracking_address(obj, url_fields=("slug",), stored=None):
    """
    Wrap a model's super().save(): when the save changes the object's
    address, the old one becomes a permanent redirect. url_fields are the
    fields get_absolute_url() reads. Costs one query by primary key on
    every save of an existing object, unless the caller has already read
    the stored row (with those fields) and passes it as `stored`.
    """
    before = None
    if obj.pk is not None and not obj._state.adding:
        if stored is None:
            stored = type(obj)._base_manager.filter(pk=obj.pk).only(*url_fields).first()
        before = stored.get_absolute_url() if stored is not None else None
    yield
    after = obj.get_absolute_url()
    if before != after:
        moved(before, after)


def moved(old_url, new_url):
    """A page now lives at new_url; it lived at old_url (None when it is new)."""
    with transaction.atomic():
        # A live page wins over any redirect from its address. This also
        # breaks a loop: moving back from B to A deletes the A → B left before.
        _redirects().filter(old_path=unquote(new_url)).delete()
        if old_url is None or max(len(old_url), len(new_url)) > MAX_LENGTH:
            return
        # Whatever led to the old address now leads straight to the new one.
        _redirects().filter(new_path=old_url).update(new_path=new_url)
        _redirects().update_or_create(
            old_path=unquote(old_url),
            defaults={"site_id": settings.SITE_ID, "new_path": new_url},
        )


def redirect_for(request):
    """The permanent redirect for this request's path, or None."""
    path = request.path
    # PostgreSQL refuses NUL bytes in a query; no stored path is that long.
    if "\x00" in path or len(path) > MAX_LENGTH:
        return None
    target = _redirects().filter(old_path=path).values_list("new_path", flat=True).first()
    if not target or not _visible(request, target):
        return None
    return HttpResponsePermanentRedirect(target)


def _visible(request, target):
    # The target's own view decides, as this visitor: a draft essay answers
    # 404 to a reader and 200 to staff. That renders the target page once
    # more on each redirect followed, which only old addresses pay for.
    try:
        match = resolve(unquote(urlsplit(target).path))
        response = match.func(request, *match.args, **match.kwargs)
    except (Resolver404, Http404):
        return False
    return response.status_code < 400


class RedirectMiddleware:
    """Answers a 404 for GET or HEAD with the stored redirect, DEBUG on or off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            return redirect_for(request) or response
        return response
