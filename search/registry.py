"""
The models that have search documents. Each app registers its own from its
AppConfig.ready(), so search imports none of them: a new searchable type is
a change in its own app. A registered model has:

- `search_kind`, a class attribute: the short name stored in Document.kind
  and used in the kind facet's links ("essay"); the facet's label is the
  model's verbose_name;
- `search_document()`, a method: the Document fields of one object (title,
  other_names, summary, body, names, meta...; see search.models.Document);
- `for_search_index()`, a method of its default manager: every object, drafts
  included, with what search_document() reads fetched in bulk;
- optionally `search_suggest = True`: offered as a suggestion while typing;
- optionally `with_search_names_of(obj)`, a method of its default manager:
  those of its objects whose documents carry the names of obj, another
  searchable object. They are reindexed when those names change.
"""

from django.core.exceptions import ImproperlyConfigured

_models = {}  # search_kind -> model, in the order registered


def register(model):
    from .models import Document

    kind = getattr(model, "search_kind", "")
    longest = Document._meta.get_field("kind").max_length
    if not kind or len(kind) > longest:
        raise ImproperlyConfigured(
            f"{model._meta.label}.search_kind must be 1 to {longest} characters."
        )
    if not callable(getattr(model, "search_document", None)) or not hasattr(
        model._default_manager, "for_search_index"
    ):
        raise ImproperlyConfigured(
            f"{model._meta.label} needs search_document() and its manager for_search_index()."
        )
    if _models.get(kind, model) is not model:
        raise ImproperlyConfigured(
            f"{model._meta.label} and {_models[kind]._meta.label} share search_kind {kind!r}."
        )
    _models[kind] = model


def models():
    return list(_models.values())


def kind_of(model):
    kind = getattr(model, "search_kind", None)
    if _models.get(kind) is not model:
        raise LookupError(f"{model._meta.label} is not registered for search.")
    return kind


def kinds():
    return list(_models)


def kind_choices():
    """(kind, label) for Document.kind and the kind facet, in the order of their labels."""
    choices = [
        (kind, str(model._meta.verbose_name).capitalize()) for kind, model in _models.items()
    ]
    return sorted(choices, key=lambda choice: choice[1])


def suggested_kinds():
    return [kind for kind, model in _models.items() if getattr(model, "search_suggest", False)]
