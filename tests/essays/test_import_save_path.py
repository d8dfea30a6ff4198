"""The importer writes each essay's search document once, with its tags."""

import pytest

from essays.models import Essay
from search import index
from search.models import Document
from tests.essays.import_helpers import FIXTURES, run_import
from tests.factories import make_essay, make_section

pytestmark = pytest.mark.django_db


@pytest.fixture
def writes(monkeypatch):
    written = []
    update_for, update_many = index.update_for, index.update_many

    def counting(obj):
        # Only essays: the byline's person is indexed when it is created.
        if isinstance(obj, Essay):
            written.append(obj.pk)
        return update_for(obj)

    def counting_many(model, pks):
        # New essays of an import are indexed a batch at a time.
        if model is Essay:
            written.extend(pks)
        return update_many(model, pks)

    monkeypatch.setattr(index, "update_for", counting)
    monkeypatch.setattr(index, "update_many", counting_many)
    return written


def test_an_imported_essay_with_tags_is_indexed_once_and_its_document_has_the_tags(writes):
    make_section(title="Research", slug="research")

    run_import(FIXTURES / "front-matter.md")

    document = Document.objects.get(kind="essay")
    assert len(writes) == 1
    assert document.tags == "Council communism Karl Korsch"
    assert "|karl-korsch|" in document.tag_slugs


def test_an_import_that_changes_nothing_writes_no_document(writes):
    make_section(title="Research", slug="research")
    run_import(FIXTURES / "front-matter.md")
    writes.clear()

    run_import(FIXTURES / "front-matter.md")

    assert writes == []


def test_saving_an_essay_elsewhere_still_indexes_it(writes):
    essay = make_essay(title="Korsch in exile", body="Karl Korsch wrote from Boston.")

    assert writes.count(essay.pk) >= 1
    assert Document.objects.get(kind="essay", object_id=essay.pk).title == "Korsch in exile"
