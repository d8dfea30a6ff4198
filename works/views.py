import hashlib

from django.core.paginator import Paginator
from django.db.models import F, Prefetch, prefetch_related_objects
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from people.views import mentioned_in_page
from sergesite import page_cache
from sergesite.citations import responses as citations
from sergesite.citations import styles, tags
from sergesite.numbers import page_number

from . import years
from .forms import WorkFilterForm
from .models import Contribution, Work

WORKS_PER_PAGE = 50
INDEX_FIELDS = ("title", "slug", "kind", "year_published", "year_written")


def _with_contributors(works):
    return works.prefetch_related(
        Prefetch("contributions", queryset=Contribution.objects.select_related("person"))
    )


def _filtered(request):
    form = WorkFilterForm(request.GET)
    form.is_valid()  # Invalid filters are shown as errors and left out; the list still shows.
    # In the order of the work_list_order index (see Work.Meta).
    works = form.filter(Work.objects.with_year()).order_by(
        F("sort_year").asc(nulls_last=True), Lower("title"), "pk"
    )
    return form, works


@require_safe
def index_cite(request, fmt):
    """The filtered works list, every page of it, as one citation file."""
    _, works = _filtered(request)
    works = _with_contributors(works).select_related("part_of")
    return citations.download([work.csl_item() for work in works], name="works", fmt=fmt)


@require_safe
def cite(request, slug, fmt):
    work = get_object_or_404(_with_contributors(Work.objects.select_related("part_of")), slug=slug)
    return citations.download([work.csl_item()], name=work.slug, fmt=fmt)


@require_safe
def index(request):
    form, works = _filtered(request)
    # Only what a line of the list shows: title, year, kind and the authors,
    # handed to each work as a list (Work.all_contributions()).
    works = works.only(*INDEX_FIELDS).prefetch_related(
        Prefetch(
            "contributions",
            Contribution.objects.filter(role=Contribution.Role.AUTHOR)
            .select_related("person")
            .only("work_id", "person_id", "role", "order", "person__name", "person__slug"),
            to_attr="given_contributions",
        )
    )
    paginator = Paginator(works, WORKS_PER_PAGE)
    # A count over every work the filters let through: kept until the next
    # change to the site, under the filters' own key.
    filters = hashlib.sha256(form.query_string().encode()).hexdigest()[:32]
    paginator.count = page_cache.remember(request, f"works:count:{filters}", works.count)
    page = paginator.get_page(page_number(request.GET.get("page")))
    return render(
        request,
        "works/index.html",
        {
            "form": form,
            "author": form.cleaned_data.get("author"),
            "page": page,
            "filtered": bool(form.query_string()),
            "extra_query": form.query_string(),
            "without_author": form.query_string_without("author"),
        },
    )


@require_safe
def detail(request, slug):
    try:
        work, parts, translations = Work.objects.page_of(slug)
    except Work.DoesNotExist:
        raise Http404("No such work.") from None
    prefetch_related_objects(
        [work], Prefetch("contributions", Contribution.objects.select_related("person"))
    )
    page_url = request.build_absolute_uri(work.get_absolute_url())
    item = work.csl_item()
    essays = list(work.essays_about())
    # Chapters are listed newest first, as the essays are everywhere else.
    chapters_here = [essay for essay in essays if essay.part_of_id == work.pk]
    return render(
        request,
        "works/detail.html",
        {
            "work": work,
            "parts": parts,
            "translations": translations,
            "mentioned_in": mentioned_in_page(
                request,
                [essay for essay in essays if essay.discusses or essay.named],
                work.mentions.public(),
            ),
            "chapters_here": chapters_here,
            "json_ld": work.json_ld(absolute_uri=request.build_absolute_uri),
            "page_url": page_url,
            "item": item,
            "styles": styles.render_all(item),
            "meta_tags": tags.highwire(item, page_url=page_url),
            "downloads": citations.links("works:cite", slug=work.slug),
        },
    )


@require_safe
def year_index(request):
    tally = years.counts()
    return render(
        request,
        "years/index.html",
        {"decades": years.by_decade(tally), "year_count": len(tally)},
    )


@require_safe
def year_detail(request, year):
    happened = years.happenings(year)
    if not happened:
        raise Http404("Nothing is recorded for that year.")
    earlier, later = years.neighbours(year, years.counts())
    return render(
        request,
        "years/detail.html",
        {"happened": happened, "year": year, "earlier": earlier, "later": later},
    )
