from django.db import models
from django.utils import timezone

from . import registry


class Document(models.Model):
    """
    One searchable thing (an essay, a person, a work: any model registered in
    search.registry), copied out of its own table so that one query can rank
    them all together. The full-text columns
    live beside this table and are created per database in migration 0002:
    FTS5 tables kept in step by triggers on SQLite, tsvector columns on
    PostgreSQL (generated, or set by a trigger: migration 0007). Rows are
    written only by search.index.
    """

    # The registered model's search_kind. Longer kinds would need a wider
    # column, which on SQLite means rebuilding the table (see README.md).
    kind = models.CharField(max_length=6, choices=registry.kind_choices)
    object_id = models.PositiveBigIntegerField()
    # Visibility is decided when searching, never when indexing, so that a
    # scheduled essay appears on its date without a reindex.
    is_published = models.BooleanField(default=True)
    published_at = models.DateTimeField(null=True, blank=True)
    decade = models.PositiveSmallIntegerField(null=True, blank=True)
    section = models.CharField(max_length=120, blank=True)
    section_title = models.CharField(max_length=120, blank=True)
    title = models.CharField(max_length=300)
    # Folded names and titles, "|victor serge|kibalchich|": exact-name checks,
    # typo-tolerant trigram matching and suggestions all read this column.
    names = models.TextField(blank=True)
    # "|stalinism|exile|": the tag facet is counted from the hits themselves.
    tag_slugs = models.TextField(blank=True, db_default="")
    url = models.CharField(max_length=300)
    meta = models.CharField(max_length=300, blank=True)
    # The long text comes last, and the order matters on SQLite: a column
    # stored after a 30 KB body is reached only by reading the body's
    # overflow pages, which made filtering 1,000 hits cost 40 ms.
    other_names = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.title}"


class UnansweredQuery(models.Model):
    """A search that found nothing. Only the words and a count: no reader is identified."""

    text = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=1)
    last_seen = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-last_seen"]
        verbose_name = "search that found nothing"
        verbose_name_plural = "searches that found nothing"

    def __str__(self):
        return self.text
