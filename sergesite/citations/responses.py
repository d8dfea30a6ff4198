"""Download responses and URL patterns for citation files, shared by the apps."""

from django.http import HttpResponse
from django.urls import path
from django.utils.http import content_disposition_header

from . import files

FORMATS = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}


def download(items, *, name, fmt):
    """A citation file of these CSL-JSON items, offered for saving as <name>.<fmt>."""
    return HttpResponse(
        files.write(fmt, items),
        content_type=files.CONTENT_TYPES[fmt],
        headers={"Content-Disposition": content_disposition_header(True, f"{name}.{fmt}")},
    )


def patterns(route, view, name):
    """route.bib, route.ris and route.json, each calling view(request, ..., fmt=...)."""
    return [path(f"{route}.{fmt}", view, {"fmt": fmt}, name=f"{name}-{fmt}") for fmt in FORMATS]


def links(name, **kwargs):
    """[(label, url), ...] for the three files, for a template."""
    from django.urls import reverse

    return [(label, reverse(f"{name}-{fmt}", kwargs=kwargs)) for fmt, label in FORMATS.items()]
