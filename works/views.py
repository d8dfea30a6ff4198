from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from essays.models import Essay

from .models import Contribution, Work


@require_safe
def index(request):
    works = (
        Work.objects.with_year()
        .order_by("sort_year", "title")
        .prefetch_related("contributions__person")
    )
    return render(request, "works/index.html", {"works": works})


@require_safe
def detail(request, slug):
    work = get_object_or_404(Work.objects.select_related("part_of", "translation_of"), slug=slug)
    contributions = Contribution.objects.filter(work=work).select_related("person")
    essays = Essay.objects.published().filter(works=work).select_related("section")
    return render(
        request,
        "works/detail.html",
        {
            "work": work,
            "contributions": contributions,
            "parts": work.parts.all(),
            "translations": work.translations.all(),
            "essays": essays,
        },
    )
