from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.db.models.functions import Lower
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from sergesite import page_cache
from sergesite.citations import responses as citations
from sergesite.numbers import page_number
from works.models import Contribution, Work

from . import timeline
from .models import Person, filing_initial

# What a line of the A–Z list shows: the name, its dates and description.
INDEX_FIELDS = (
    "sort_name", "slug", "description",
    "birth_date", "birth_precision", "death_date", "death_precision",
)  # fmt: skip

# Every letter gets a place in the jump links, so the bar does not shift about
# as people are added; letters with nobody under them are shown but not linked.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# One letter is shown at a time, in pages of this many people.
PEOPLE_PER_PAGE = 100
# "Mentioned in" on a person's or a work's page, newest first: a famous name
# is in hundreds of essays, and the page should not grow with the archive.
MENTIONS_PER_PAGE = 20


def mentioned_in_page(request, essays, mentions):
    """
    One page (?page=) of "Mentioned in" on a person's or a work's page:
    `essays`, newest first, as the by_essay() groups of `mentions`.
    """
    page = Paginator(essays, MENTIONS_PER_PAGE).get_page(page_number(request.GET.get("page")))
    # Only this page's mentions are read and quoted.
    page.object_list = mentions.by_essay(page.object_list)
    return page


def _letter_asked(request, counts):
    """The initial ?letter= names (any case, accents folded), the first one without it."""
    asked = request.GET.get("letter")
    if asked is None:
        return next(iter(counts))
    initial = filing_initial(asked) if len(asked) == 1 else None
    if initial not in counts:
        raise Http404("Nobody is filed under that letter.")
    return initial


@require_safe
def index(request):
    # A count over every person: kept until the next change to the site.
    counts = page_cache.remember(request, "people:initials", Person.objects.initial_counts)
    if not counts:
        return render(request, "people/index.html", {"count": 0})
    letter = _letter_asked(request, counts)
    people = Person.objects.filed_under(letter).only(*INDEX_FIELDS)
    paginator = Paginator(people, PEOPLE_PER_PAGE)
    # Known from the letter bar's query: Paginator would count them again.
    paginator.count = counts[letter]
    page = paginator.get_page(page_number(request.GET.get("page")))
    letters = [(initial, counts.get(initial, 0)) for initial in ALPHABET]
    letters += [(initial, n) for initial, n in counts.items() if initial not in ALPHABET]
    # Each letter and page is a page of its own to search engines; the
    # first letter's first page is /people/ itself.
    canonical = {"letter": letter} if letter != next(iter(counts)) or page.number > 1 else {}
    if page.number > 1:
        canonical["page"] = page.number
    return render(
        request,
        "people/index.html",
        {
            "letters": letters,
            "letter": letter,
            "page": page,
            "count": sum(counts.values()),
            "canonical_query": urlencode(canonical),
        },
    )


@require_safe
def detail(request, slug):
    try:
        person = Person.objects.get_with_other_names(slug=slug)
    except Person.DoesNotExist:
        raise Http404("No such person.") from None
    contributions = Contribution.objects.to_works_of(person)
    works_by_role = []
    for role in Contribution.Role:
        in_role = [c for c in contributions if c.role == role]
        if in_role:
            works_by_role.append((Contribution.ROLE_HEADINGS[role], in_role))
    essays = list(person.essays_about())
    unique_works = list({c.work_id: c.work for c in contributions}.values())
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "works_by_role": works_by_role,
            "mentioned_in": mentioned_in_page(request, essays, person.mentions.public()),
            "timeline": timeline.build(person, works=unique_works, essays=essays),
            # An aggregate over every essay that names the person: kept
            # until the next change to the site (sergesite/page_cache.py).
            "alongside": page_cache.remember(
                request,
                f"alongside:{person.pk}",
                lambda: list(person.mentions.people_alongside()),
            ),
            "downloads": citations.links("people:works", slug=person.slug),
            "wrote_works": any(c.role == Contribution.Role.AUTHOR for c in contributions),
            "json_ld": person.json_ld(url=request.build_absolute_uri(person.get_absolute_url())),
        },
    )


@require_safe
def works_cite(request, slug, fmt):
    """Every work the person contributed to, as one citation file."""
    person = get_object_or_404(Person, slug=slug)
    works = (
        Work.objects.by(person)
        .with_year()
        .select_related("part_of")
        .prefetch_related(Prefetch("contributions", Contribution.objects.select_related("person")))
        .order_by(F("sort_year").asc(nulls_last=True), Lower("title"), "pk")
    )
    return citations.download(
        [work.csl_item() for work in works], name=f"{person.slug}-works", fmt=fmt
    )
