import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.test.utils import isolate_apps

import search
from search import index, registry
from search.models import Document
from tests.factories import make_section

SEARCH_DIR = Path(search.__file__).parent


def imported_modules(path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_the_search_app_imports_none_of_the_apps_it_indexes():
    indexed = {model._meta.app_label for model in registry.models()}
    found = {
        f"{path.relative_to(SEARCH_DIR)}: {name}"
        for path in SEARCH_DIR.rglob("*.py")
        for name in imported_modules(path)
        if name.split(".")[0] in indexed
    }

    assert indexed == {"essays", "people", "works"}
    assert found == set()


def test_each_app_registers_its_own_kind_with_its_label():
    assert registry.kind_choices() == [("essay", "Essay"), ("person", "Person"), ("work", "Work")]
    assert set(registry.suggested_kinds()) == {"person", "work"}
    assert registry.kind_of(apps.get_model("people", "Person")) == "person"


@isolate_apps("search")
def test_a_model_without_a_search_document_is_refused():
    class Pamphlet(models.Model):  # noqa: DJ008
        search_kind = "tract"

        class Meta:
            app_label = "search"

    with pytest.raises(ImproperlyConfigured, match="search_document"):
        registry.register(Pamphlet)
    assert "tract" not in registry.kinds()


@isolate_apps("search")
def test_a_kind_too_long_for_the_column_is_refused():
    class Pamphlet(models.Model):  # noqa: DJ008
        search_kind = "pamphlet"

        class Meta:
            app_label = "search"

        def search_document(self):
            return {}

    with pytest.raises(ImproperlyConfigured, match="1 to 6 characters"):
        registry.register(Pamphlet)


@isolate_apps("search")
def test_a_kind_already_taken_by_another_model_is_refused():
    class LeafletQuerySet(models.QuerySet):
        def for_search_index(self):
            return self

    class Leaflet(models.Model):  # noqa: DJ008
        search_kind = "essay"
        objects = LeafletQuerySet.as_manager()

        class Meta:
            app_label = "search"

        def search_document(self):
            return {}

    with pytest.raises(ImproperlyConfigured, match="share search_kind 'essay'"):
        registry.register(Leaflet)
    assert registry.kind_of(apps.get_model("essays", "Essay")) == "essay"


@pytest.mark.django_db
def test_indexing_a_model_that_is_not_registered_says_so():
    section = make_section()

    with pytest.raises(LookupError, match="essays.Section is not registered"):
        index.update_for(section)
    assert not Document.objects.exists()
