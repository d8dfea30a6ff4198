"""
What happened in each year, from the dates already recorded: people's births
and deaths, works' years of writing, first publication and first English
edition. Essays are not counted: their dates are this site's, not history's.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q

from people.models import Person

from .models import Contribution, Work

# A year in an address: no sign, no leading zero, at most four ASCII digits,
# so every value the converter lets through is a year `datetime.date` takes.
YEAR_PATTERN = "[1-9][0-9]{0,3}"


class YearConverter:
    regex = YEAR_PATTERN

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(int(value))


def counts():
    """{year: how many things happened in it}. Two queries, reading only dates."""
    tally = Counter()
    for born, died in Person.objects.values_list("birth_date", "death_date").order_by():
        for date in (born, died):
            if date:
                tally[date.year] += 1
    works = Work.objects.values_list(
        "year_written", "year_written_end", "year_published", "year_published_english"
    ).order_by()
    for written, written_end, published, english in works:
        if written:
            for year in range(written, (written_end or written) + 1):
                tally[year] += 1
        for year in (published, english):
            if year:
                tally[year] += 1
    return tally


def by_decade(tally):
    """[(decade, [(year, count), ...]), ...], oldest first."""
    decades = {}
    for year in sorted(tally):
        decades.setdefault(year // 10 * 10, []).append((year, tally[year]))
    return list(decades.items())


@dataclass
class Year:
    year: int
    born: list = field(default_factory=list)
    died: list = field(default_factory=list)
    written: list = field(default_factory=list)
    published: list = field(default_factory=list)
    in_english: list = field(default_factory=list)

    def __bool__(self):
        return any((self.born, self.died, self.written, self.published, self.in_english))


def happenings(year):
    """A Year of people and works: three queries (people, works, their contributors)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    found = Year(year)
    people = Person.objects.filter(
        Q(birth_date__range=(start, end)) | Q(death_date__range=(start, end))
    ).only(
        "name", "slug", "sort_name", "description", "birth_date", "birth_precision",
        "birth_place", "death_date", "death_precision", "death_place",
    )  # fmt: skip
    for person in people:
        if person.birth_date and person.birth_date.year == year:
            found.born.append(person)
        if person.death_date and person.death_date.year == year:
            found.died.append(person)
    works = Work.objects.filter(
        Q(year_published=year)
        | Q(year_published_english=year)
        | Q(year_written=year)
        | Q(year_written__lt=year, year_written_end__gte=year)
    ).prefetch_related(
        Prefetch("contributions", queryset=Contribution.objects.select_related("person"))
    )
    for work in works:
        if work.year_written and work.year_written <= year <= (
            work.year_written_end or work.year_written
        ):
            found.written.append(work)
        if work.year_published == year:
            found.published.append(work)
        if work.year_published_english == year:
            found.in_english.append(work)
    return found


def neighbours(year, tally):
    """The nearest earlier and later years with something in them, or None."""
    earlier = [other for other in tally if other < year]
    later = [other for other in tally if other > year]
    return (max(earlier) if earlier else None), (min(later) if later else None)
