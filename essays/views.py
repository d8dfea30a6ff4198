import hashlib

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from taggit.models import Tag

from sergesite import page_cache
from sergesite.citations import responses as citations
from sergesite.numbers import page_number
from works.models import Contribution

from .citation import Citation
from .models import Essay, EssayAuthor, Section

ESSAYS_PER_PAGE = 20


def _visible_essays(request):
    # Staff see drafts and scheduled essays too, marked as a preview.
    return Essay.objects.all() if request.user.is_staff else Essay.objects.published()


def _mark_preview(response, essay):
    # A preview must never be indexed or kept by a shared cache.
    if not essay.is_public:
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        patch_cache_control(response, private=True, no_store=True)
    return response


def _paginator(request, essays, name):
    # Counting a large section's essays costs more than reading the page of
    # them; the count is kept until the next change (sergesite/page_cache.py).
    paginator = Paginator(essays, ESSAYS_PER_PAGE)
    paginator.count = page_cache.remember(request, f"count:{name}", essays.count)
    return paginator


@require_safe
def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    essays = Essay.objects.published().filter(section=section).for_listing()
    paginator = _paginator(request, essays, f"section:{section.pk}")
    page = paginator.get_page(page_number(request.GET.get("page")))
    return render(
        request,
        "essays/section.html",
        {"section": section, "page": page, "current_section_slug": section.slug},
    )


def _neighbours_name(slug):
    # Kept under the page cache's generation, which every save and every
    # scheduled publication retires (sergesite/page_cache.py): never stale.
    # The slug hashed: an address may be longer than a cache key should be.
    return "neighbours:" + hashlib.blake2b(slug.encode(), digest_size=16).hexdigest()


@require_safe
def detail(request, slug):
    # Four queries: the essay (with its section and book), then the people,
    # the works and the tags it links (Essay.load_links). Its neighbours
    # are read in the essay's query and then kept until the next change:
    # building their four subqueries costs more than the rest of the query.
    essays = _visible_essays(request).select_related("section", "part_of")
    neighbours = page_cache.recall(request, _neighbours_name(slug))
    essay = get_object_or_404(essays if neighbours else essays.with_neighbours(), slug=slug)
    if neighbours:
        for name, value in neighbours.items():
            setattr(essay, name, value)
    else:
        fields = {name: getattr(essay, name) for name in Essay.NEIGHBOUR_FIELDS}
        page_cache.keep(request, _neighbours_name(slug), fields)
    essay.load_links()
    previous, following = essay.neighbours()
    response = render(
        request,
        "essays/detail.html",
        {
            "essay": essay,
            "citation": Citation(essay, request),
            "previous": previous,
            "next": following,
            "current_section_slug": essay.section.slug,
        },
    )
    return _mark_preview(response, essay)


def _citable(essays):
    # What csl_item() reads: the authors, tags, and the book's contributors.
    return essays.select_related("section", "part_of").prefetch_related(
        "tags",
        Prefetch("essay_authors", EssayAuthor.objects.select_related("person")),
        Prefetch("part_of__contributions", Contribution.objects.select_related("person")),
    )


@require_safe
def cite(request, slug, fmt):
    essay = get_object_or_404(_citable(_visible_essays(request)), slug=slug)
    item = essay.csl_item(request.build_absolute_uri("/"))
    return _mark_preview(citations.download([item], name=essay.slug, fmt=fmt), essay)


@require_safe
def works_cited(request, slug, fmt):
    """The works an essay discusses or names, as one citation file."""
    essay = get_object_or_404(_visible_essays(request), slug=slug)
    works = essay.works_in_essay()
    models.prefetch_related_objects(
        works, Prefetch("contributions", Contribution.objects.select_related("person"))
    )
    items = [work.csl_item() for work in works]
    return _mark_preview(citations.download(items, name=f"{essay.slug}-works", fmt=fmt), essay)


@require_safe
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    essays = Essay.objects.published().filter(tags=tag).for_listing()
    paginator = _paginator(request, essays, f"tag:{tag.pk}")
    # A tag used only on drafts would give away what is being written.
    if paginator.count == 0:
        raise Http404("No published essays have this tag.")
    page = paginator.get_page(page_number(request.GET.get("page")))
    return render(request, "essays/tag.html", {"tag": tag, "page": page})
