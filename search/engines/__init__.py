"""
One search engine per database, with the same methods: the rest of the app
never knows which database it runs on. Every engine method takes a parsed
Query (never raw reader text) and a Filters, and returns plain rows.
"""

from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from taggit.models import Tag

# How similar a misspelled name must be to a real one (pg_trgm's
# word_similarity; the SQLite engine computes the same measure itself).
NAME_SIMILARITY = 0.5
TAG_SLICE = 5000


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


def tag_facets(tag_slugs, limit):
    """The most frequent tags among the hits, from their "|a|b|" columns."""
    counts = Counter(slug for slugs in tag_slugs if slugs for slug in slugs.strip("|").split("|"))
    top = counts.most_common(limit)
    names = dict(Tag.objects.filter(slug__in=[slug for slug, _ in top]).values_list("slug", "name"))
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
