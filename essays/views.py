from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe
from taggit.models import Tag

from sergesite.numbers import page_number

from .citation import Citation
from .models import Essay, Mention, Section

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


@require_safe
def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    essays = Essay.objects.published().filter(section=section).for_listing()
    page = Paginator(essays, ESSAYS_PER_PAGE).get_page(page_number(request.GET.get("page")))
    return render(
        request,
        "essays/section.html",
        {"section": section, "page": page, "current_section_slug": section.slug},
    )


def _accepted_mentions():
    # One query for the people and works the text names, however many.
    mentions = Mention.objects.accepted().select_related("person", "work").order_by("position")
    return Prefetch("mentions", queryset=mentions, to_attr="accepted_mentions")


@require_safe
def detail(request, slug):
    essay = get_object_or_404(
        _visible_essays(request)
        .select_related("section", "part_of")
        .prefetch_related("tags", "people", "works", _accepted_mentions()),
        slug=slug,
    )
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


@require_safe
def bibtex(request, slug):
    essay = get_object_or_404(
        _visible_essays(request).select_related("section", "part_of").prefetch_related("tags"),
        slug=slug,
    )
    response = HttpResponse(
        Citation(essay, request).bibtex(),
        content_type="application/x-bibtex; charset=utf-8",
        headers={"Content-Disposition": content_disposition_header(True, f"{essay.slug}.bib")},
    )
    return _mark_preview(response, essay)


@require_safe
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    essays = Essay.objects.published().filter(tags=tag).for_listing()
    paginator = Paginator(essays, ESSAYS_PER_PAGE)
    # A tag used only on drafts would give away what is being written.
    if paginator.count == 0:
        raise Http404("No published essays have this tag.")
    page = paginator.get_page(page_number(request.GET.get("page")))
    return render(request, "essays/tag.html", {"tag": tag, "page": page})
