"""
One search engine per database, with the same methods: the rest of the app
never knows which database it runs on. Every engine method takes a parsed
Query (never raw reader text) and a Filters, and returns plain rows.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from taggit.models import Tag, TaggedItem

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
    exclude_ids: tuple = ()

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
        if self.exclude_ids:
            clauses.append(f"d.id NOT IN ({', '.join(['%s'] * len(self.exclude_ids))})")
            params += list(self.exclude_ids)
        return " AND ".join(clauses), params


_TAGGED = TaggedItem._meta.db_table
_TAG = Tag._meta.db_table


def tag_facet_sql(matching_sql):
    """Tag counts over the essays among the matches: tags live in taggit's own tables."""
    return (
        f"SELECT t.slug, t.name, COUNT(*) AS n FROM {_TAGGED} ti JOIN {_TAG} t ON t.id = ti.tag_id"
        f" WHERE ti.content_type_id = %s AND ti.object_id IN ({matching_sql})"
        " GROUP BY t.slug, t.name ORDER BY n DESC, t.name LIMIT %s"
    )


def essay_content_type_id():
    from essays.models import Essay

    return ContentType.objects.get_for_model(Essay).pk


def like_escape(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def get_engine():
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    from . import sqlite

    return sqlite
