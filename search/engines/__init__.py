"""
One search engine per database, with the same methods: the rest of the app
never knows which database it runs on. Every engine method takes a parsed
Query (never raw reader text) and a Filters, and returns plain rows.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import connection
from django.utils import timezone
from taggit.models import Tag

# How similar a misspelled name must be to a real one (pg_trgm's
# word_similarity; the SQLite engine computes the same measure itself).
NAME_SIMILARITY = 0.5


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    section: str = ""
    tag: str = ""
    decade: int | None = None
    public: bool = True  # False for editors: drafts and scheduled essays too

    def sql(self):
        """A WHERE fragment on search_document (alias d), with its parameters."""
        clauses, params = ["1 = 1"], []
        if self.public:
            # Decided at query time, so a scheduled essay appears on its date.
            clauses.append("d.is_published AND (d.published_at IS NULL OR d.published_at <= %s)")
            params.append(connection.ops.adapt_datetimefield_value(timezone.now()))
        for column in ("kind", "section", "decade"):
            value = getattr(self, column)
            if value not in ("", None):
                clauses.append(f"d.{column} = %s")
                params.append(value)
        if self.tag:
            clauses.append("d.tag_slugs LIKE %s ESCAPE '\\'")
            params.append("%|" + like_escape(self.tag) + "|%")
        return " AND ".join(clauses), params


@dataclass
class Counts:
    """What a search needs from its hits: the first ids in order, and the facet counts."""

    ids: list = field(default_factory=list)  # best first, as many as were asked for
    kind: Counter = field(default_factory=Counter)
    section: Counter = field(default_factory=Counter)  # by (slug, title)
    decade: Counter = field(default_factory=Counter)
    tag: Counter = field(default_factory=Counter)  # by slug

    @classmethod
    def from_rows(cls, rows):
        """From (facet, value, label, count) rows; a "hit" row has an id and its place."""
        counts, places = cls(), []
        for facet, value, label, n in rows:
            if facet == "hit":
                places.append((n, int(value)))
            elif facet == "section":
                counts.section[(value, label)] += n
            elif facet == "decade":
                counts.decade[int(value)] += n
            elif facet == "tags":  # one "|a|b|" and the hits that have exactly those tags
                for slug in value.strip("|").split("|"):
                    counts.tag[slug] += n
            else:
                getattr(counts, facet)[value] += n
        counts.ids = [pk for _, pk in sorted(places)]
        return counts

    @property
    def total(self):
        return self.kind.total()

    def add(self, kind, section, section_title, decade, tag_slugs):
        """Count one more hit, found some other way than the full-text index."""
        self.kind[kind] += 1
        if section:
            self.section[(section, section_title)] += 1
        if decade is not None:
            self.decade[decade] += 1
        for slug in tag_slugs.strip("|").split("|") if tag_slugs else ():
            self.tag[slug] += 1

    def top_tags(self, limit):
        """The most frequent tags, as (slug, name, count), most frequent first."""
        top = sorted(self.tag.items(), key=lambda item: (-item[1], item[0]))[:limit]
        slugs = [slug for slug, _ in top]
        names = dict(Tag.objects.filter(slug__in=slugs).values_list("slug", "name"))
        return sorted(
            ((slug, names.get(slug, slug), n) for slug, n in top), key=lambda t: (-t[2], t[1])
        )


def like_escape(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_engine():
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    from . import sqlite

    return sqlite
