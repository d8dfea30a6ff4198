"""
What changed between two versions of a record, for the admin's compare page.

Long text (an essay's Markdown body, a summary, a biography) is compared word
by word with difflib; other fields are shown before and after, with the names
of what they point at; parts (tags, other names, contributors) as the ones
taken away and added. Nothing here is HTML: the template escapes every piece
and wraps changed words in <ins> and <del> itself, so a body full of markup
is shown as the text the editor typed.
"""

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from django.db import models
from reversion.models import Version

from . import versions

# A word with the white space after it.
TOKEN = re.compile(r"\s*\S+\s*|\s+")
# Unchanged stretches longer than this many words are cut down to their
# ends: a 50,000-character chapter with one sentence changed stays readable.
CONTEXT_WORDS = 25


@dataclass
class Segment:
    kind: str  # "same", "ins", "del" or "gap" (unchanged words left out)
    text: str = ""


@dataclass
class FieldChange:
    label: str
    before: str = ""
    after: str = ""
    words: list = field(default_factory=list)  # [Segment], for long text


@dataclass
class PartChange:
    label: str
    removed: list
    added: list
    kept: int


@dataclass
class Comparison:
    fields: list
    parts: list
    unchanged: int  # fields with the same value in both versions

    @property
    def changed(self):
        return bool(self.fields) or any(part.removed or part.added for part in self.parts)


def compare(old, new):
    """A Comparison of two Version objects of the same record, old first."""
    model = old._model
    before, after = old.field_dict, new.field_dict
    names = _Names()
    changes, unchanged = [], 0
    for model_field in _shown_fields(model):
        key = model_field.attname
        if key not in before and key not in after:
            continue
        old_value, new_value = before.get(key), after.get(key)
        if _same(old_value, new_value):
            unchanged += 1
            continue
        label = str(model_field.verbose_name).capitalize()
        if isinstance(model_field, models.TextField):
            changes.append(FieldChange(label, words=word_diff(old_value or "", new_value or "")))
        else:
            changes.append(
                FieldChange(
                    label,
                    before=names.show(model_field, old_value),
                    after=names.show(model_field, new_value),
                )
            )
    parts = _compare_parts(old, new, names)
    return Comparison(changes, parts, unchanged)


def _shown_fields(model):
    # What editors type or pick; not the HTML rendered from it, nor timestamps.
    opts = model._meta
    return [
        f
        for f in [*opts.concrete_fields, *opts.many_to_many]
        if f.editable and not f.primary_key and getattr(f, "serialize", True)
    ]


def _same(a, b):
    if isinstance(a, list) and isinstance(b, list):
        return sorted(map(str, a)) == sorted(map(str, b))
    return (a in (None, "")) and (b in (None, "")) or a == b


def word_diff(before, after):
    """[Segment] turning `before` into `after`, word by word."""
    # Paragraphs first, then words inside the paragraphs that changed: the
    # whole of a long chapter compared word by word would take seconds.
    old_lines, new_lines = before.splitlines(keepends=True), after.splitlines(keepends=True)
    pieces = []  # (kind, [tokens])
    lines = SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in lines.get_opcodes():
        old, new = _tokens(old_lines[i1:i2]), _tokens(new_lines[j1:j2])
        if op == "equal":
            pieces.append(("same", old))
        elif op == "replace":
            pieces.extend(_word_pieces(old, new))
        else:
            pieces.extend([("del", old), ("ins", new)])
    return _segments(pieces)


def _tokens(lines):
    return TOKEN.findall("".join(lines))


def _word_pieces(old, new):
    # Compared on the words and whether a line ends after them, so that a
    # changed paragraph break shows but a changed run of spaces does not.
    matcher = SequenceMatcher(None, _keys(old), _keys(new))
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            yield "same", old[i1:i2]
        else:
            yield "del", old[i1:i2]
            yield "ins", new[j1:j2]


def _segments(pieces):
    merged = []  # neighbours of one kind joined, empty ones dropped
    for kind, tokens in pieces:
        if not tokens:
            continue
        if merged and merged[-1][0] == kind:
            merged[-1][1].extend(tokens)
        elif kind == "del" and merged and merged[-1][0] == "ins":
            # A changed stretch reads "taken out, then put in".
            if len(merged) > 1 and merged[-2][0] == "del":
                merged[-2][1].extend(tokens)
            else:
                merged.insert(len(merged) - 1, (kind, list(tokens)))
        else:
            merged.append((kind, list(tokens)))
    segments = []
    for n, (kind, tokens) in enumerate(merged):
        if kind == "same":
            segments.extend(_shortened(tokens, first=n == 0, last=n == len(merged) - 1))
        else:
            segments.append(Segment(kind, "".join(tokens)))
    return segments


def _keys(tokens):
    return [(token.strip(), "\n" in token) for token in tokens]


def _shortened(tokens, *, first, last):
    keep_before = 0 if first else CONTEXT_WORDS
    keep_after = 0 if last else CONTEXT_WORDS
    if len(tokens) <= keep_before + keep_after + CONTEXT_WORDS:
        return [Segment("same", "".join(tokens))]
    pieces = []
    if keep_before:
        pieces.append(Segment("same", "".join(tokens[:keep_before])))
    pieces.append(Segment("gap"))
    if keep_after:
        pieces.append(Segment("same", "".join(tokens[-keep_after:])))
    return pieces


def _compare_parts(old, new, names):
    revision_versions = {}
    for version in (old, new):
        revision_versions[version.pk] = list(
            Version.objects.filter(revision_id=version.revision_id).exclude(pk=version.pk)
        )
    old_parts = versions.parts_of(old, revision_versions[old.pk])
    new_parts = versions.parts_of(new, revision_versions[new.pk])
    for part in old_parts:
        # The names the parts point at (tags, people), one query per kind.
        rows = [*old_parts[part], *new_parts[part]]
        for model_field in part.model._meta.concrete_fields:
            if model_field.is_relation and model_field.attname not in (
                part.owner_field,
                part.owner_type_field,
            ):
                ids = {row.field_dict.get(model_field.attname) for row in rows} - {None}
                names._read(model_field.related_model, ids)
    changes = []
    for part, old_rows in old_parts.items():
        before = [_describe(part, row, names) for row in old_rows]
        after = [_describe(part, row, names) for row in new_parts[part]]
        removed = [item for item in before if item not in after]
        added = [item for item in after if item not in before]
        changes.append(
            PartChange(part.label, sorted(removed), sorted(added), len(after) - len(added))
        )
    return changes


def _describe(part, version, names):
    """A part in words: "Kibalchich · Birth name", "Victor Serge · Author · 1", "anarchism"."""
    data = version.field_dict
    shown = []
    for model_field in part.model._meta.concrete_fields:
        key = model_field.attname
        if model_field.primary_key or key in (part.owner_field, part.owner_type_field):
            continue
        value = names.show(model_field, data.get(key))
        if value:
            shown.append(value)
    return " · ".join(shown)


class _Names:
    """Shows a stored value as an editor reads it; reads names of related rows once each."""

    def __init__(self):
        self.found = {}

    def show(self, model_field, value):
        if value in (None, "") or value == []:
            return ""
        if model_field.many_to_many:
            self._read(model_field.related_model, value)
            return ", ".join(sorted(self._name(model_field.related_model, pk) for pk in value))
        if model_field.is_relation:
            return self._name(model_field.related_model, value)
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return "yes" if value else "no"
        return str(value)

    def _read(self, model, pks):
        missing = [pk for pk in pks if (model, str(pk)) not in self.found]
        for pk, obj in model._base_manager.in_bulk(missing).items():
            self.found[(model, str(pk))] = str(obj)

    def _name(self, model, pk):
        key = (model, str(pk))
        if key not in self.found:
            obj = model._base_manager.filter(pk=pk).first()
            self.found[key] = str(obj) if obj is not None else f"#{pk} (deleted)"
        return self.found[key]
