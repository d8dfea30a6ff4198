"""
Mentions of known people and works in essays: what can be mentioned, scanning
an essay, keeping editors' decisions across rescans, linking, and rescanning
the essays a changed name could appear in.

The detector itself (sergesite.mentions) knows no app; this module feeds it
from Person.mention_names() and Work.mention_names() and stores the result.
"""

import uuid

from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from people.models import Person
from search import index as search_index
from search.engines import Filters, get_engine
from search.models import Document
from search.query import Query, Term, words
from sergesite import mention_links, page_cache
from sergesite import mentions as detector
from works.models import Contribution, Work

from . import mention_scan
from .models import Essay, Mention, UnlinkedPhrase

# Bumped whenever a name changes; each process rebuilds its matcher when the
# number it holds differs. A cache read per scan is the whole cost of checking.
VERSION_KEY = "mentions:names-version"
# Every essay that could hold a name, however many.
ALL_HITS = 10**9

_matcher = {"version": None, "matcher": None}


def _person(pk):
    return ("person", pk)


def _work(pk):
    return ("work", pk)


def targets():
    """Every person and work, as the detector's Targets (three queries)."""
    for person in Person.objects.only("name", "sort_name").prefetch_related("other_names"):
        yield detector.Target(_person(person.pk), person.mention_names())
    authors = {}
    for work_id, person_id in Contribution.objects.filter(
        role=Contribution.Role.AUTHOR
    ).values_list("work_id", "person_id"):
        authors.setdefault(work_id, set()).add(_person(person_id))
    for work in Work.objects.only("title", "original_title"):
        yield detector.Target(
            _work(work.pk), work.mention_names(), frozenset(authors.get(work.pk, ()))
        )


def names_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version


def matcher(*, fresh=False):
    """The matcher for every known name, built once per process and again after a change."""
    version = names_version()
    if fresh or _matcher["matcher"] is None or _matcher["version"] != version:
        _matcher["matcher"] = detector.Matcher(targets())
        _matcher["version"] = version
    return _matcher["matcher"]


def detect(body_html, *, unlinked=frozenset(), using=None):
    """Every mention in an essay's rendered HTML (links it made earlier are ignored)."""
    return mention_scan.find(body_html, using=using or matcher(), unlinked=unlinked)


def unlinked_phrases():
    return frozenset(
        detector.fold(p) for p in UnlinkedPhrase.objects.values_list("phrase", flat=True)
    )


def _key_of(mention):
    return _person(mention.person_id) if mention.person_id else _work(mention.work_id)


def _carry_decisions(existing, found):
    """
    Pair stored mentions with new ones. The same target, phrase and place is
    the same row; an editor's decision whose place moved goes to the nearest
    new mention of the same target and phrase, in the same paragraph first.
    Returns ({index in found: row kept}, {index in found: (status, by editor)}).
    """
    by_place = {(f.key, f.phrase, f.position): i for i, f in enumerate(found)}
    kept, decided = {}, {}
    for row in existing:
        index = by_place.get((_key_of(row), row.phrase, row.position))
        if index is not None and index not in kept:
            kept[index] = row
    for row in existing:
        if not row.decided_by_editor or row in kept.values():
            continue
        phrase = detector.fold(row.phrase)
        candidates = [
            i
            for i, f in enumerate(found)
            if f.key == _key_of(row)
            and detector.fold(f.phrase) == phrase
            and i not in kept
            and i not in decided
        ]
        if candidates:
            best = min(
                candidates,
                key=lambda i: (
                    found[i].anchor != row.anchor,
                    abs(found[i].position - row.position),
                ),
            )
            decided[best] = (row.status, True)
    return kept, decided


def scan(essay, *, using=None, unlinked=None):
    """
    Detect the essay's mentions, store them keeping editors' decisions, and
    link the accepted ones in body_html. Called by Essay.save() after the row
    is written; the caller updates the search document afterwards. Returns
    whether anything changed.
    """
    unlinked = unlinked_phrases() if unlinked is None else unlinked
    found = detect(essay.body_html, unlinked=unlinked, using=using)
    urls = _target_urls({item.key for item in found})
    if any(item.key not in urls for item in found):
        # Someone was deleted without save() or delete() (a bulk delete, a
        # rolled-back transaction): the matcher is stale. Drop those, rebuild next time.
        found = [item for item in found if item.key in urls]
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    with transaction.atomic():
        existing = list(essay.mentions.all())
        kept, decided = _carry_decisions(existing, found)
        statuses = {}
        updates, creates = [], []
        for index, item in enumerate(found):
            row = kept.get(index)
            if row is not None and row.decided_by_editor:
                status, by_editor = row.status, True
            else:
                status, by_editor = decided.get(index, (item.status, False))
            statuses[index] = status
            fields = _fields(item, status, by_editor)
            if row is None:
                creates.append(_new_row(essay, item, fields))
            elif any(getattr(row, name) != value for name, value in fields.items()):
                for name, value in fields.items():
                    setattr(row, name, value)
                updates.append(row)
        kept_pks = {row.pk for row in kept.values()}
        stale = [row.pk for row in existing if row.pk not in kept_pks]
        if stale:
            Mention.objects.filter(pk__in=stale).delete()
        if updates:
            Mention.objects.bulk_update(
                updates, ["anchor", "context", "status", "ambiguous", "decided_by_editor"]
            )
        if creates:
            Mention.objects.bulk_create(creates)
        links = mention_scan.links(found, statuses, urls)
        html = mention_links.link_mentions(essay.body_html, links)
        changed = bool(stale or updates or creates or html != essay.body_html)
        if html != essay.body_html:
            essay.body_html = html
            type(essay).objects.filter(pk=essay.pk).update(body_html=html)
    if changed:
        page_cache.changed()  # mentions are not watched by the page cache's receivers
    return changed


def _fields(item, status, by_editor):
    return {
        "anchor": item.anchor,
        "context": item.context[:500],
        "status": status,
        "ambiguous": item.ambiguous,
        "decided_by_editor": by_editor,
    }


def _new_row(essay, item, fields):
    kind, pk = item.key
    return Mention(
        essay=essay,
        person_id=pk if kind == "person" else None,
        work_id=pk if kind == "work" else None,
        phrase=item.phrase[:300],
        position=item.position,
        **fields,
    )


def link_new(essays):
    """
    scan() for essays not written yet (a batch import), which have no stored
    mentions and so no editors' decisions to keep: link the accepted
    mentions in each essay's body_html, and return the Mention rows to
    create once the essays have ids. Two queries for the whole batch.
    """
    using, unlinked = matcher(), unlinked_phrases()
    found_in = [detect(essay.body_html, unlinked=unlinked, using=using) for essay in essays]
    urls = _target_urls({item.key for found in found_in for item in found})
    if any(item.key not in urls for found in found_in for item in found):
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)  # a stale matcher: see scan()
    rows = []
    for essay, found in zip(essays, found_in, strict=True):
        found = [item for item in found if item.key in urls]
        essay.body_html = mention_scan.linked_as_found(essay.body_html, found, urls)
        rows += new_rows(essay, found)
    return rows


def scan_is_current(scan):
    """Whether a NewScan still holds every name (none changed since it was read)."""
    return scan.version == names_version()


def new_scan():
    version = names_version()
    urls = {
        _person(pk): reverse("people:detail", kwargs={"slug": slug})
        for pk, slug in Person.objects.values_list("pk", "slug")
    }
    urls |= {
        _work(pk): reverse("works:detail", kwargs={"slug": slug})
        for pk, slug in Work.objects.values_list("pk", "slug")
    }
    return mention_scan.NewScan(version, matcher(), unlinked_phrases(), urls)


def new_rows(essay, found):
    """The Mention rows for what mention_scan.link_in() found, to create once the essay has
    an id."""
    return [_new_row(essay, item, _fields(item, item.status, False)) for item in found]


def _target_urls(keys):
    """The address of each person and work still there, by key: two small queries."""
    people = [pk for kind, pk in keys if kind == "person"]
    works = [pk for kind, pk in keys if kind == "work"]
    urls = {}
    if people:
        for person in Person.objects.filter(pk__in=people).only("slug"):
            urls[_person(person.pk)] = person.get_absolute_url()
    if works:
        for work in Work.objects.filter(pk__in=works).only("slug"):
            urls[_work(work.pk)] = work.get_absolute_url()
    return urls


def rescan(essays, *, progress=None):
    """Scan each essay again and refresh its search document if that changed anything."""
    current, unlinked = matcher(), unlinked_phrases()
    for essay in essays:
        # The search document is rewritten only when the mentions changed:
        # on SQLite it is a third of the cost of a rescan.
        if scan(essay, using=current, unlinked=unlinked):
            search_index.update_for(essay)
        if progress:
            progress(essay)


def essays_naming(names):
    """
    The ids of the essays whose text could contain any of these names, from the
    search index: every word of a name (the letters of initials aside), so
    that spelling and punctuation never hide an essay.
    """
    engine = get_engine()
    filters = Filters(kind=Essay.search_kind, public=False)
    documents = set()
    with engine.session():
        for name in names:
            terms = [Term((word,)) for word in words(name) if len(word) > 1]
            if terms:
                query = Query(groups=[[term] for term in terms])
                documents.update(engine.hits(query, filters, ALL_HITS).ids)
    return set(Document.objects.filter(pk__in=documents).values_list("object_id", flat=True))


def names_changed(names):
    """A person's or work's names changed: rescan only the essays that could hold them."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    ids = essays_naming(names)
    if ids:
        rescan(Essay.objects.filter(pk__in=ids).select_related("section"))
