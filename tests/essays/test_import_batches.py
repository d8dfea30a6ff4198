"""New essays of an import are written a batch at a time (essays/importing/bulk.py)."""

import re
import threading

import pytest
import reversion
from django.conf import settings
from django.contrib.redirects.models import Redirect
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from reversion.models import Version
from taggit.models import Tag

from essays import mentions
from essays.importing import batch, behind, bulk, store, workers
from essays.models import Essay, Mention, Section
from people.models import Person
from search import index as search_index
from search.models import Document
from sergesite import versions
from sergesite.markup import render
from tests.essays.import_helpers import run_import
from tests.factories import make_essay, make_person, make_section

pytestmark = pytest.mark.django_db(transaction=True)

MENTION_LINK = re.compile(r'<a href="/people/[^"]+" class="mention"[^>]*>([^<]*)</a>')

BODY = """\
## Exile

Victor Serge wrote from Mexico.[^1] Trotsky was murdered there in 1940.

## Return

> Everything is at stake.

## Legacy

The essay ends here.

[^1]: His last years.
"""


def write_essays(folder, count, *, tags="[Marxism, exile]", author="Susan Weissman"):
    for number in range(count):
        (folder / f"essay-{number:02d}.md").write_text(
            "---\n"
            f"title: Serge in exile, part {number}\n"
            f"date: 2001-05-{number % 28 + 1:02d}\n"
            f"tags: {tags}\n"
            f"author: {author}\n"
            f"legacy_url: /old/serge-{number}.html\n"
            "---\n\n" + BODY,
            encoding="utf-8",
        )


def stored(essay):
    """What an import writes for one essay, without ids and times."""
    document = Document.objects.get(kind="essay", object_id=essay.pk)
    return {
        "body_html": essay.body_html,
        "toc": essay.toc,
        "status": essay.status,
        "published_at": essay.published_at,
        "tags": sorted(tag.name for tag in essay.tags.all()),
        "authors": essay.author_names(),
        "mentions": sorted(
            (m.phrase, m.position, m.anchor, m.status, m.person.name if m.person else "")
            for m in essay.mentions.select_related("person")
        ),
        "redirects": list(
            Redirect.objects.filter(new_path=essay.get_absolute_url()).values_list(
                "old_path", flat=True
            )
        ),
        "document": (document.title, document.other_names, document.body, document.tags),
        "versions": Version.objects.get_for_object(essay).count(),
    }


@pytest.fixture
def serge():
    make_section(title="Research", slug="research")
    return make_person(name="Victor Serge")


def test_a_batch_import_stores_each_essay_as_importing_it_on_its_own_does(
    serge, tmp_path, monkeypatch
):
    write_essays(tmp_path, 3)
    run_import(tmp_path, section="research")
    batched = {essay.slug: stored(essay) for essay in Essay.objects.all()}

    Essay.objects.all().delete()
    Redirect.objects.all().delete()

    def one_by_one(items, *, options, address_of, progress=None):
        return [store.store(item, options=options, address_of=address_of) for item in items]

    monkeypatch.setattr(batch, "store_new", one_by_one)
    run_import(tmp_path, section="research")
    alone = {essay.slug: stored(essay) for essay in Essay.objects.all()}

    assert len(batched) == 3
    assert batched == alone
    first = batched["serge-in-exile-part-0"]
    assert '<a href="/people/' in first["body_html"]
    assert first["tags"] == ["Marxism", "exile"]
    assert first["authors"] == ["Susan Weissman"]
    assert first["redirects"] == ["/old/serge-0.html"]
    assert first["versions"] == 1


@pytest.fixture
def with_workers(monkeypatch):
    monkeypatch.setattr(workers, "MIN_FOR_WORKERS", 2)
    monkeypatch.setattr(workers, "_processors", lambda: 2)


def test_worker_processes_render_and_link_the_essays_as_this_process_would(
    serge, tmp_path, monkeypatch, with_workers
):
    def not_here(essays):
        raise AssertionError("the workers scan for mentions")

    monkeypatch.setattr(mentions, "link_new", not_here)
    write_essays(tmp_path, 4, author="")

    output = run_import(tmp_path, section="research")

    assert "4 files: 4 created" in output
    expected = render(BODY, anchors=True).html
    for essay in Essay.objects.all():
        assert 'class="mention"' in essay.body_html
        # The mention links are added to the rendered text afterwards.
        assert MENTION_LINK.sub(r"\1", essay.body_html) == expected
    assert Mention.objects.filter(person=serge, status="accepted").count() == 4


def test_a_name_that_arrives_during_an_import_is_found_in_the_essays_after_it(
    serge, tmp_path, with_workers
):
    write_essays(tmp_path, 4, author="Susan Weissman")
    for path in tmp_path.iterdir():
        path.write_text(path.read_text() + "\nSusan Weissman wrote his biography.\n")

    run_import(tmp_path, section="research")

    weissman = Mention.objects.filter(person__name="Susan Weissman")
    assert weissman.count() == 4
    for essay in Essay.objects.all():
        assert f'<a href="/people/{weissman[0].person.slug}/" class="mention"' in essay.body_html


def test_each_imported_essay_keeps_a_version_of_its_own_that_restores_alone(serge, tmp_path):
    write_essays(tmp_path, 2)
    run_import(tmp_path, section="research")
    first, second = Essay.objects.order_by("slug")
    first.title = "Edited later"
    first.save()
    second.title = "Also edited"
    second.save()

    imported = Version.objects.get_for_object(first).order_by("pk").first()
    assert imported.field_dict["title"] == "Serge in exile, part 0"
    imported.revision.revert()

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.title == "Serge in exile, part 0"
    assert second.title == "Also edited"


def test_tags_are_matched_to_existing_ones_whatever_their_case(serge, tmp_path):
    Tag.objects.create(name="marxism")
    write_essays(tmp_path, 2, tags="[Marxism, MARXISM, Exile]")

    run_import(tmp_path, section="research")

    assert sorted(Tag.objects.values_list("name", flat=True)) == ["Exile", "marxism"]
    for essay in Essay.objects.all():
        assert sorted(tag.name for tag in essay.tags.all()) == ["Exile", "marxism"]


def test_a_batch_the_database_refuses_is_stored_file_by_file_and_only_the_culprit_fails(
    serge, tmp_path, monkeypatch
):
    write_essays(tmp_path, 3)
    monkeypatch.setattr(bulk, "BATCH_SIZE", 1)
    written = []

    def progress(description, total):
        class Bar:
            def update(self, n=1):
                written.append(n)
                if len(written) == 1:
                    # Another editor takes the next file's planned address meanwhile.
                    make_essay(title="Taken", slug="serge-in-exile-part-1")

            def close(self):
                pass

        return Bar()

    options = batch.ImportOptions(section=Section.objects.get())
    reports = batch.run_import([tmp_path], options, progress=progress)

    outcomes = {report.label.rsplit("/", 1)[-1]: report.outcome for report in reports}
    assert outcomes == {"essay-00.md": "created", "essay-01.md": "failed", "essay-02.md": "created"}
    assert Essay.objects.get(slug="serge-in-exile-part-1").title == "Taken"
    assert not Redirect.objects.filter(old_path="/old/serge-1.html").exists()
    assert Essay.objects.filter(import_source="/old/serge-2.html").exists()
    assert written == [1, 1, 1]


def test_an_address_another_page_holds_is_reported_and_the_essay_still_imported(serge, tmp_path):
    other = make_essay(title="Another", slug="another")
    Redirect.objects.create(
        site_id=settings.SITE_ID, old_path="/old/serge-0.html", new_path=other.get_absolute_url()
    )
    write_essays(tmp_path, 1)
    (tmp_path / "essay-00.md").write_text(
        (tmp_path / "essay-00.md")
        .read_text()
        .replace(
            "legacy_url: /old/serge-0.html",
            "legacy_url: /new/serge.html\nold_urls: [/old/serge-0.html]",
        )
    )

    output = run_import(tmp_path, section="research")

    essay = Essay.objects.get(import_source="/new/serge.html")
    assert "old address /old/serge-0.html not redirected" in output
    assert Redirect.objects.get(old_path="/old/serge-0.html").new_path == "/essays/another/"
    assert Redirect.objects.get(old_path="/new/serge.html").new_path == essay.get_absolute_url()


def test_mentions_found_in_a_batch_are_stored_for_review(serge, tmp_path):
    write_essays(tmp_path, 2)

    run_import(tmp_path, section="research")

    assert Mention.objects.filter(person=serge, status="accepted").count() == 2


def test_when_the_workers_die_the_essays_are_rendered_and_scanned_here(serge, with_workers):
    expected = render(BODY, anchors=True).html
    with workers.Workers(total=2) as pool:
        done, scan = pool.results(pool.submit([BODY, BODY]))
        assert scan is not None and [linked for _, linked, _ in done] != [None, None]
        for process in list(pool.pool._processes.values()):
            process.kill()
            process.join()

        done, scan = pool.results(pool.submit([BODY, BODY]))

    assert scan is None
    assert [(rendered.html, linked) for rendered, linked, _ in done] == [(expected, None)] * 2


@pytest.fixture
def small_batches(monkeypatch):
    # Several batches from a few files, and each batch's documents in several
    # chunks: on PostgreSQL a second connection then writes them (behind.py).
    monkeypatch.setattr(bulk, "BATCH_SIZE", 2)
    monkeypatch.setattr(behind, "CHUNK", 1)


@pytest.fixture
def writers(monkeypatch):
    """The names of the threads that wrote search documents."""
    names = []
    update_many = search_index.update_many

    def recorded(model, pks):
        names.append(threading.current_thread().name)
        return update_many(model, pks)

    monkeypatch.setattr(search_index, "update_many", recorded)
    return names


ON_POSTGRES = connection.vendor == "postgresql"
postgres_only = pytest.mark.skipif(not ON_POSTGRES, reason="only PostgreSQL writes behind")


def indexed_essays():
    return sorted(Document.objects.filter(kind="essay").values_list("object_id", flat=True))


def test_an_import_of_many_batches_leaves_every_essay_searchable_with_one_version(
    serge, tmp_path, small_batches, writers, client
):
    write_essays(tmp_path, 7)

    output = run_import(tmp_path, section="research", status="published")

    assert "7 files: 7 created" in output
    essays = list(Essay.objects.all())
    assert len(essays) == 7
    assert indexed_essays() == sorted(essay.pk for essay in essays)
    for essay in essays:
        assert Version.objects.get_for_object(essay).count() == 1
    page = client.get(reverse("search"), {"q": "Mexico"}).content.decode()
    for number in range(7):
        assert f"Serge in exile, part {number}<" in page
    # On PostgreSQL a second connection wrote them; elsewhere each batch did.
    assert ("import-behind" in writers) == ON_POSTGRES


@postgres_only
def test_documents_the_second_connection_fails_to_write_are_written_at_the_end(
    serge, tmp_path, small_batches, monkeypatch
):
    failed = []
    update_many = search_index.update_many

    def first_fails_behind(model, pks):
        if threading.current_thread().name == "import-behind" and not failed:
            failed.append(pks)
            raise DatabaseError("the connection was lost")
        return update_many(model, pks)

    monkeypatch.setattr(search_index, "update_many", first_fails_behind)
    write_essays(tmp_path, 5)

    run_import(tmp_path, section="research")

    assert failed, "a second connection wrote documents"
    assert indexed_essays() == sorted(Essay.objects.values_list("pk", flat=True))
    assert Version.objects.get_for_object(Essay.objects.get(pk=failed[0][0])).count() == 1


@postgres_only
def test_an_essay_whose_version_cannot_be_written_is_imported_with_a_warning(
    serge, tmp_path, small_batches, monkeypatch
):
    write_essays(tmp_path, 5)
    record_each = versions.record_each

    def refuses_part_3(model, pks):
        for pk in pks:
            if Essay.objects.get(pk=pk).title.endswith("part 3"):
                raise DatabaseError("value too long")
        return record_each(model, pks)

    monkeypatch.setattr(versions, "record_each", refuses_part_3)

    output = run_import(tmp_path, section="research")

    assert "5 files: 5 created" in output
    assert "its search document or first version could not be written" in output
    for essay in Essay.objects.all():
        expected = 0 if essay.title.endswith("part 3") else 1
        assert Version.objects.get_for_object(essay).count() == expected
    assert indexed_essays() == sorted(Essay.objects.values_list("pk", flat=True))


def test_an_import_that_fails_midway_keeps_the_batches_before_searchable(
    serge, tmp_path, small_batches, monkeypatch
):
    write_essays(tmp_path, 6)
    stored = bulk._Batch.store
    calls = []

    def third_batch_crashes(self, *args):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("the disk is full")
        return stored(self, *args)

    monkeypatch.setattr(bulk._Batch, "store", third_batch_crashes)

    with pytest.raises(RuntimeError, match="the disk is full"):
        run_import(tmp_path, section="research")

    essays = list(Essay.objects.all())
    assert len(essays) == sum(bulk.batch_sizes(6)[:2])
    assert indexed_essays() == sorted(essay.pk for essay in essays)
    for essay in essays:
        assert Version.objects.get_for_object(essay).count() == 1


def test_documents_and_versions_an_interrupted_import_left_unwritten_are_written_by_the_next(
    serge, tmp_path
):
    write_essays(tmp_path, 2)
    run_import(tmp_path, section="research")
    no_document, no_version = Essay.objects.order_by("pk")
    Document.objects.filter(kind="essay", object_id=no_document.pk).delete()
    Version.objects.get_for_object(no_version).delete()
    later = tmp_path / "later"
    later.mkdir()
    (later / "kronstadt.md").write_text("---\ntitle: Kronstadt\n---\n\nThe sailors rose in 1921.\n")

    run_import(later, section="research")

    assert Document.objects.get(kind="essay", object_id=no_document.pk).title == no_document.title
    assert Version.objects.get_for_object(no_version).count() == 1
    assert Version.objects.get_for_object(no_document).count() == 1


def test_a_byline_that_arrives_late_is_found_in_the_batches_before_it(
    serge, tmp_path, small_batches
):
    write_essays(tmp_path, 5, author="")
    for path in sorted(tmp_path.iterdir()):
        path.write_text(path.read_text() + "\nSusan Weissman wrote his biography.\n")
    last = sorted(tmp_path.iterdir())[-1]
    last.write_text(last.read_text().replace("legacy_url:", "author: Susan Weissman\nlegacy_url:"))

    run_import(tmp_path, section="research")

    weissman = Person.objects.get(name="Susan Weissman")
    assert Mention.objects.filter(person=weissman).count() == 5
    for essay in Essay.objects.all():
        assert f'<a href="/people/{weissman.slug}/" class="mention"' in essay.body_html


def test_inside_a_transaction_or_a_revision_each_batch_writes_its_own_documents():
    assert not behind.Behind(batches=1).active
    with transaction.atomic():
        assert not behind.Behind(batches=3).active
    with reversion.create_revision():
        assert not behind.Behind(batches=3).active
    assert behind.Behind(batches=3).active == ON_POSTGRES


@pytest.mark.parametrize("total", [1, 3, 24, 100, 151, 300, 1001])
def test_batches_take_every_file_once_and_are_short_at_both_ends(total):
    sizes = bulk.batch_sizes(total)

    assert sum(sizes) == total
    assert min(sizes) > 0 and max(sizes) <= bulk.BATCH_SIZE
    if total > bulk.BATCH_SIZE:
        assert sizes[0] <= bulk.BATCH_SIZE // 4 and sizes[-1] <= bulk.BATCH_SIZE // 4
