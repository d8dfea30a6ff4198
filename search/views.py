import hashlib
from functools import partial
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from taggit.models import Tag

from sergesite.numbers import page_number, parse_int

from . import registry, unanswered
from .engines import Filters
from .models import Document
from .query import clean, words
from .results import search as run_search
from .results import suggestions

SUGGEST_CACHE_SECONDS = 300
FACET_VALUE_MAX_LENGTH = 120


def _filters(params):
    def value(name):
        return clean(params.get(name, ""))[:FACET_VALUE_MAX_LENGTH]

    kind = value("kind")
    return Filters(
        kind=kind if kind in registry.kinds() else "",
        section=value("section"),
        tag=value("tag"),
        decade=parse_int(value("decade"), minimum=0, maximum=9999),
    )


FACET_HEADINGS = {"kind": "Kind", "section": "Section", "tag": "Tag", "decade": "Decade"}


def _facet_url(request, name, value=None):
    """This search with one facet set to value (or dropped), from its first page."""
    params = request.GET.copy()
    params.pop("page", None)
    params.pop(name, None)
    if value is not None:
        params[name] = value
    return "?" + params.urlencode()


def _facet_groups(request, results, filters):
    """Links that add or drop one facet and keep the query and every other facet."""
    url = partial(_facet_url, request)
    groups = []
    for name, heading in FACET_HEADINGS.items():
        current = getattr(filters, name)
        current = "" if current is None else str(current)
        facets = results.facets.get(name, [])
        for facet in facets:
            facet.selected = facet.value == current
            facet.url = url(name, facet.value)
        groups.append(
            {"heading": heading, "facets": facets, "clear_url": url(name, None) if current else ""}
        )
    return groups


def _active_filters(request, results, filters):
    """The filters in force, each with a link that drops it and keeps the rest."""
    active = []
    for name, heading in FACET_HEADINGS.items():
        current = getattr(filters, name)
        if current in ("", None):
            continue
        current = str(current)
        labels = {facet.value: facet.label for facet in results.facets.get(name, [])}
        active.append(
            {
                "heading": heading,
                "label": labels.get(current) or _filter_label(name, current),
                "remove_url": _facet_url(request, name),
            }
        )
    return active


def _filter_label(name, value):
    # For a value the facets do not list, mostly a filter that matched
    # nothing: then one small query, on a page with no hits to fetch.
    if name == "kind":
        return dict(registry.kind_choices()).get(value, value)
    if name == "decade":
        return f"{value}s"
    if name == "section":
        found = Document.objects.filter(section=value).values_list("section_title", flat=True)
    else:
        found = Tag.objects.filter(slug=value).values_list("name", flat=True)
    return found.first() or value


@require_safe
def search(request):
    filters = _filters(request.GET)
    results = run_search(
        request.GET.get("q", ""),
        filters=filters,
        page=page_number(request.GET.get("page")),
        record=unanswered.record,
    )
    response = render(
        request,
        "search.html",
        {
            "query": results.text,
            "results": results,
            "filters": filters,
            "facet_groups": _facet_groups(request, results, filters) if results.page else [],
            "active_filters": _active_filters(request, results, filters),
            "clear_filters_url": "?" + urlencode({"q": results.text}),
        },
    )
    patch_cache_control(response, private=True)
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def suggest(request):
    folded = " ".join(words(clean(request.GET.get("q", ""))))
    key = "search-suggest:" + hashlib.sha256(folded.encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = suggestions(folded)
        cache.set(key, found, SUGGEST_CACHE_SECONDS)
    response = JsonResponse(found, safe=False)
    patch_cache_control(response, public=True, max_age=SUGGEST_CACHE_SECONDS)
    return response
