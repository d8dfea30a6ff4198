from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from taggit.models import Tag

from .models import Essay, Section

ESSAYS_PER_PAGE = 20


@require_safe
def section(request, slug):
    section = get_object_or_404(Section, slug=slug)
    essays = Essay.objects.published().filter(section=section).for_listing()
    page = Paginator(essays, ESSAYS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "essays/section.html", {"section": section, "page": page})


@require_safe
def detail(request, slug):
    # Staff see drafts and scheduled essays, marked as a preview.
    essays = Essay.objects.all() if request.user.is_staff else Essay.objects.published()
    essay = get_object_or_404(
        essays.select_related("section", "part_of").prefetch_related("tags", "people", "works"),
        slug=slug,
    )
    return render(request, "essays/detail.html", {"essay": essay})


@require_safe
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    essays = Essay.objects.published().filter(tags=tag).for_listing()
    page = Paginator(essays, ESSAYS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "essays/tag.html", {"tag": tag, "page": page})
