from django.db.models import F, Prefetch
from django.db.models.functions import Coalesce, Lower
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from sergesite.citations import responses as citations
from works.models import Contribution, Work

from . import timeline
from .models import Person

# Every letter gets a place in the jump links, so the bar does not shift about
# as people are added; letters with nobody under them are shown but not linked.
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@require_safe
def index(request):
    people = Person.objects.only(
        "name",
        "sort_name",
        "slug",
        "description",
        "birth_date",
        "birth_precision",
        "death_date",
        "death_precision",
    )
    groups = people.by_initial()
    present = {initial for initial, _ in groups}
    letters = [(letter, letter in present) for letter in ALPHABET]
    letters += [(initial, True) for initial, _ in groups if initial not in ALPHABET]
    return render(
        request,
        "people/index.html",
        {"groups": groups, "letters": letters, "count": sum(len(p) for _, p in groups)},
    )


@require_safe
def detail(request, slug):
    person = get_object_or_404(Person.objects.prefetch_related("other_names"), slug=slug)
    contributions = list(
        Contribution.objects.filter(person=person)
        .select_related("work", "work__part_of")
        # Each work's COinS names all its contributors: one query for all of them.
        .prefetch_related(
            Prefetch("work__contributions", Contribution.objects.select_related("person"))
        )
        .annotate(year=Coalesce("work__year_published", "work__year_written"))
        .order_by(F("year").asc(nulls_last=True), Lower("work__title"), "pk")
    )
    works_by_role = []
    for role in Contribution.Role:
        in_role = [c for c in contributions if c.role == role]
        if in_role:
            works_by_role.append((Contribution.ROLE_HEADINGS[role], in_role))
    # Reached through the reverse relations: people knows nothing of essays.
    ticked = person.essays.published().only("title", "slug", "published_at", "summary")
    mentioned_in = person.mentions.public().by_essay(also=ticked)
    unique_works = list({c.work_id: c.work for c in contributions}.values())
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "works_by_role": works_by_role,
            "mentioned_in": mentioned_in,
            "timeline": timeline.build(
                person,
                works=unique_works,
                essays=[group.essay for group in mentioned_in],
            ),
            "alongside": person.mentions.people_alongside(),
            "downloads": citations.links("people:works", slug=person.slug),
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
