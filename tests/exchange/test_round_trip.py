import re

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import reverse

from essays import mentions
from essays.models import Essay, Mention, Section, UnlinkedPhrase
from people.models import Person
from search.models import Document
from works.models import Work

from .conftest import archive_contents, run, wipe_content

pytestmark = pytest.mark.django_db

# Per-request noise a page may carry; none of it is content.
NOISE = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*|(nonce=")[^"]*')


def public_urls():
    urls = [
        reverse("home"),
        reverse("people:index"),
        reverse("works:index"),
        reverse("essays:feed"),
        reverse("essays:feed-atom"),
        reverse("sitemap"),
        reverse("sitemap-xml"),
        reverse("search") + "?q=serge",
        reverse("search") + "?q=mother",
    ]
    urls += [section.get_absolute_url() for section in Section.objects.all()]
    tags = set()
    for essay in Essay.objects.published():
        urls += [essay.get_absolute_url()]
        urls += [reverse(f"essays:cite-{fmt}", args=[essay.slug]) for fmt in ("bib", "ris", "json")]
        tags.update(essay.tags.values_list("slug", flat=True))
    urls += [reverse("essays:tag", args=[slug]) for slug in sorted(tags)]
    urls += [person.get_absolute_url() for person in Person.objects.all()]
    urls += [work.get_absolute_url() for work in Work.objects.all()]
    return urls


def old_addresses():
    if not apps.is_installed("django.contrib.redirects"):
        return []
    from django.contrib.redirects.models import Redirect

    return list(Redirect.objects.values_list("old_path", flat=True))


def render_all(client):
    pages = {}
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = NOISE.sub(rb"\1\2", response.content)
    for url in old_addresses():
        response = client.get(url)
        pages[url] = (response.status_code, response.get("Location"))
    return pages


@pytest.fixture
def demo(settings):
    call_command("load_demo", stdout=None)
    serge = Person.objects.get(slug="victor-serge")
    trotsky = Person.objects.get(slug="leon-trotsky")
    # The first essay of the demo: Serge's dissident Marxism.
    essay = Essay.objects.published().order_by("published_at").first()
    # What editors and the importer add on top of the demo: decisions on
    # mentions, a phrase never linked, where an essay came from, an upload.
    # load_demo's saves ran the detector; an editor then rejects one name
    # throughout the essay and confirms one mention of another.
    essay.mentions.filter(person=trotsky).decide(Mention.Status.REJECTED)
    first_serge = essay.mentions.filter(person=serge).order_by("position")[:1]
    Mention.objects.filter(pk__in=list(first_serge.values_list("pk", flat=True))).decide(
        Mention.Status.ACCEPTED
    )
    # As the admin does after a decision: link the essay again.
    mentions.rescan([essay])
    UnlinkedPhrase.objects.create(phrase="Mother", note="Too common a word")
    Essay.objects.filter(pk=essay.pk).update(import_source="/serge.html")
    uploads = settings.MEDIA_ROOT / "uploads"
    uploads.mkdir(parents=True)
    (uploads / "portrait.png").write_bytes(b"\x89PNG not really an image")


def test_every_public_page_is_the_same_after_export_wipe_and_import(
    demo, client, archive_path, settings
):
    before = render_all(client)

    run("export_site", str(archive_path))
    wipe_content()
    (settings.MEDIA_ROOT / "uploads" / "portrait.png").unlink()
    assert client.get(reverse("people:detail", args=["victor-serge"])).status_code == 404
    run("import_site", str(archive_path))

    after = render_all(client)
    assert after.keys() == before.keys()
    for url, content in before.items():
        assert after[url] == content, url


def test_an_export_of_an_imported_site_holds_the_same_records(demo, tmp_path, settings):
    first, second = tmp_path / "first.zip", tmp_path / "second.zip"
    run("export_site", str(first))
    stamps = dict(Essay.objects.values_list("slug", "updated_at"))
    wipe_content()

    run("import_site", str(first))
    run("export_site", str(second))

    assert archive_contents(second) == archive_contents(first)
    assert dict(Essay.objects.values_list("slug", "updated_at")) == stamps
    assert (settings.MEDIA_ROOT / "uploads" / "portrait.png").read_bytes().startswith(b"\x89PNG")


def mention_rows():
    return list(
        Mention.objects.order_by("essay__slug", "position").values_list(
            "essay__slug", "person__slug", "work__slug", "phrase", "anchor", "position",
            "context", "status", "ambiguous", "decided_by_editor", "updated_at",
        )
    )  # fmt: skip


def test_the_import_restores_mentions_with_the_editors_decisions(demo, archive_path):
    expected = mention_rows()
    run("export_site", str(archive_path))
    wipe_content()

    run("import_site", str(archive_path))

    assert mention_rows() == expected
    decided = Mention.objects.filter(decided_by_editor=True)
    assert decided.filter(person__slug="leon-trotsky", status="rejected").exists()
    assert decided.filter(person__slug="victor-serge", status="accepted").count() == 1
    assert list(UnlinkedPhrase.objects.values_list("phrase", "note")) == [
        ("Mother", "Too common a word")
    ]


def test_the_search_index_is_complete_after_an_import(demo, archive_path, client):
    documents = Document.objects.count()
    run("export_site", str(archive_path))
    wipe_content()

    run("import_site", str(archive_path))

    assert (
        Document.objects.count()
        == documents
        == (Essay.objects.count() + Person.objects.count() + Work.objects.count())
    )
    found = client.get(reverse("search"), {"q": "Kronstadt sailors"}).content.decode()
    assert Essay.objects.get(body__contains="Kronstadt sailors").title in found
