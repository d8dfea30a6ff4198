"""
One search engine per database, with the same methods: the rest of the app
never knows which database it runs on. Every engine method takes a parsed
Query (never raw reader text) and a Filters, and returns plain rows.
"""

from collections import Counter
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from taggit.models import Tag, TaggedItem

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
            from essays.models import Essay

            clauses.append(
                f"d.kind = 'essay' AND d.object_id IN (SELECT ti.object_id FROM {_TAGGED} ti"
                f" JOIN {_TAG} t ON t.id = ti.tag_id WHERE ti.content_type_id = %s AND t.slug = %s)"
            )
            params += [ContentType.objects.get_for_model(Essay).pk, self.tag]
        return " AND ".join(clauses), params


_TAGGED = TaggedItem._meta.db_table
_TAG = Tag._meta.db_table


def tag_facets(essay_ids, limit):
    """Tag counts over the essays among the hits: tags live in taggit's own tables."""
    from essays.models import Essay

    content_type = ContentType.objects.get_for_model(Essay)
    counts, names = Counter(), {}
    # In slices: SQLite allows some thousands of parameters in one query, and
    # a common word at 100,000 essays has more hits than that.
    for start in range(0, len(essay_ids), TAG_SLICE):
        rows = (
            TaggedItem.objects.filter(
                content_type=content_type, object_id__in=essay_ids[start : start + TAG_SLICE]
            )
            .values_list("tag__slug", "tag__name")
            .annotate(n=Count("id"))
        )
        for slug, name, n in rows:
            counts[slug] += n
            names[slug] = name
    ranked = sorted(counts.items(), key=lambda item: (-item[1], names[item[0]]))[:limit]
    return [(slug, names[slug], n) for slug, n in ranked]


def like_escape(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_engine():
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    from . import sqlite

    return sqlite
