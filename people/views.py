from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from essays.models import Essay
from works.models import Work

from .models import Person


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
    return render(request, "people/index.html", {"groups": people.by_initial()})


@require_safe
def detail(request, slug):
    person = get_object_or_404(Person.objects.prefetch_related("other_names"), slug=slug)
    works = Work.objects.by(person).with_year().order_by("sort_year", "title")
    essays = Essay.objects.published().filter(people=person).select_related("section")
    return render(
        request, "people/detail.html", {"person": person, "works": works, "essays": essays}
    )
