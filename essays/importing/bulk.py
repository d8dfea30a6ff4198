"""
New essays written a batch at a time: the fast path of an import.

store() writes one file in its own transaction through Essay.save(), and
each part of the essay (tags, byline, mentions, old address, search
document, version) is written by the code that owns it: some fifty queries
and a commit per essay. A batch of new essays needs the same rows, so here
each kind is written once per batch by the same owners' batch functions
(mentions.link_new, redirects.add_old_addresses, search.index.update_many,
versions.record_each), in a few queries per batch.

Each file is still checked on its own before anything is written, and a
file that fails its checks is reported and left out. If the database
refuses the batch anyway (a constraint, a row another process wrote), the
whole batch is rolled back and its files go through store() one by one,
which reports the culprit and keeps the rest: a file is never half-written.
The search documents and first versions are written with the batch, or on
PostgreSQL just behind it (behind.py).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.db.models.functions import Lower
from taggit.models import Tag, TaggedItem

from people.models import Person
from sergesite import page_cache, redirects

from .. import mentions
from ..models import Essay, EssayAuthor, Mention
from . import behind
from .parsed import ImportFailure
from .report import CREATED, FAILED, count_parts
from .store import (
    _author,
    _describe,
    _fields,
    _message,
    byline_name,
    new_report,
    rewritten_body,
    store,
)
from .workers import Workers

BATCH_SIZE = 100


def store_new(items, *, options, address_of, progress=None):
    """Reports for planned files that have no essay yet, written BATCH_SIZE at a time."""
    if not items:
        return []
    behind.write_missing()
    reports, tags = [], _TagCache()
    batches, start = [], 0
    for size in batch_sizes(len(items)):
        batches.append(items[start : start + size])
        start += size
    with Workers(len(items)) as workers, behind.Behind(len(batches)) as written:
        ahead = None
        for number, batch in enumerate(batches):
            current = ahead or _Batch(batch, options, address_of, workers)
            # The workers render the next batch while this one is written.
            if number + 1 < len(batches):
                ahead = _Batch(batches[number + 1], options, address_of, workers)
            reports += current.store(workers, tags, written)
            if progress:
                progress(len(batch))
    return reports


def batch_sizes(total):
    """
    BATCH_SIZE at a time, but shorter at both ends (a quarter, then a half):
    this process waits while the workers render the first batch, and the
    last batch's search documents are written after everything else.
    """
    head, tail = [], []
    for size in (BATCH_SIZE // 4, BATCH_SIZE // 2):
        for end in (head, tail):
            taken = min(size, total)
            if taken:
                end.append(taken)
                total -= taken
    count = -(-total // BATCH_SIZE)  # the middle in equal parts, none over BATCH_SIZE
    middle = [total // count + (number < total % count) for number in range(count)]
    return head + middle + tail[::-1]


class _Batch:
    """Files checked one by one, their bodies sent to be rendered."""

    def __init__(self, items, options, address_of, workers):
        self.options, self.address_of = options, address_of
        self.failed, self.checked = [], []
        for item in items:
            report = new_report(item)
            try:
                essay, tag_names = _checked_essay(item, report, options, address_of)
            except (ImportFailure, ValidationError) as error:
                report.outcome, report.reason = FAILED, _message(error)
                self.failed.append(report)
                continue
            self.checked.append((item, report, essay, tag_names))
        self.work = workers.submit([essay.body for _, _, essay, _ in self.checked])

    def store(self, workers, tags, written):
        done, scan = workers.results(self.work)
        for (_, _, essay, _), (rendered, _, _) in zip(self.checked, done, strict=True):
            essay.render_body(rendered)
        if written.active and _brings_new_people(self.checked):
            # A new person's mentions are looked for in the essays whose
            # search documents name them: the batches before must have theirs.
            written.flush()
        try:
            with transaction.atomic():
                _write(self.checked, tags, done, scan, written.active)
        except DatabaseError:
            # Someone else's row or a rule only the database knows: find the
            # file it comes from by storing each on its own.
            tags.forget()
            return self.failed + [
                store(item, options=self.options, address_of=self.address_of)
                for item, *_ in self.checked
            ]
        page_cache.changed()
        written.add([(essay.pk, report) for _, report, essay, _ in self.checked])
        return self.failed + [report for _, report, _, _ in self.checked]


def _checked_essay(item, report, options, address_of):
    """The essay for one file, checked as store() checks it, not written yet."""
    body, warnings = rewritten_body(item, options=options, address_of=address_of, write_images=True)
    report.warnings += warnings
    essay = Essay(import_source=item.key, slug=item.slug)
    essay.status = item.parsed.status or options.status or Essay.Status.DRAFT
    for name, value in _fields(item, body, options).items():
        setattr(essay, name, value)
    # Uniqueness was settled when the batch was planned (free slugs, one
    # file per key), and the section is one the plan read from the database,
    # so checking it again would be a query per file; the database's
    # constraints have the last word.
    essay.full_clean(
        exclude=["body_html", "toc", "section"], validate_unique=False, validate_constraints=False
    )
    return essay, list(dict.fromkeys(item.parsed.tags))


def _brings_new_people(checked):
    names = {byline_name(item.parsed.author) for item, *_ in checked} - {""}
    return any(not Person.objects.filter(name__iexact=name).exists() for name in names)


def _write(checked, tags, done, scan, written_behind=False):
    essays = [essay for _, _, essay, _ in checked]
    # Bylines first: a person created now is then known to the mention scan.
    people = {name: _author(name) for name in {item.parsed.author for item, *_ in checked}}
    authors = {id(essay): people[item.parsed.author] for item, _, essay, _ in checked}
    if scan is not None and mentions.scan_is_current(scan):
        found = []
        for essay, (_, linked, in_essay) in zip(essays, done, strict=True):
            essay.body_html = linked
            found += mentions.new_rows(essay, in_essay)
    else:
        # No workers, or the names changed since they read them (this
        # batch's new authors, an editor meanwhile): scan here.
        found = mentions.link_new(essays)
    Essay.objects.bulk_create(essays)
    EssayAuthor.objects.bulk_create(
        EssayAuthor(essay=essay, person=authors[id(essay)], order=0)
        for essay in essays
        if authors[id(essay)] is not None
    )
    essay_type = ContentType.objects.get_for_model(Essay)
    TaggedItem.objects.bulk_create(
        TaggedItem(content_type=essay_type, object_id=essay.pk, tag=tag)
        for _, _, essay, names in checked
        for tag in tags.of(names)
    )
    Mention.objects.bulk_create(found)
    redirects.pages_added([essay.get_absolute_url() for essay in essays])
    pairs = [(url, essay) for item, _, essay, _ in checked for url in item.parsed.old_urls]
    refused = redirects.add_old_addresses(pairs)
    by_essay = {id(essay): report for _, report, essay, _ in checked}
    for index, error in sorted(refused.items()):
        url, essay = pairs[index]
        by_essay[id(essay)].warnings.append(
            f"old address {url} not redirected: {' '.join(error.messages)}"
        )
    if not written_behind:
        behind.write([essay.pk for essay in essays])
    for _, report, essay, _ in checked:
        _describe(report, essay, CREATED)
        report.counts = count_parts(essay.body_html)
        report.preview_html = essay.body_html


class _TagCache:
    """Tags by folded name, found or created once per import (names are case-insensitive)."""

    def __init__(self):
        self.known = {}

    def of(self, names):
        missing = [name for name in names if name.lower() not in self.known]
        if missing:
            folded = {name.lower() for name in missing}
            for tag in Tag.objects.annotate(folded=Lower("name")).filter(folded__in=folded):
                self.known.setdefault(tag.folded, tag)
            for name in missing:
                if name.lower() not in self.known:
                    # SQLite folds ASCII letters only: ask as taggit asks, then
                    # create as taggit creates (Tag.save() makes a unique slug).
                    tag = Tag.objects.filter(name__iexact=name).order_by("pk").first()
                    self.known[name.lower()] = tag or Tag.objects.create(name=name)
        tags = [self.known[name.lower()] for name in names]
        return list({tag.pk: tag for tag in tags}.values())

    def forget(self):
        # Tags created in a rolled-back batch are gone.
        self.known.clear()
