"""
Reader query syntax, parsed once and translated for each engine.

Readers may type words, "quoted phrases", OR between alternatives and a
leading minus to exclude. Anything else is treated as plain words, so no
input can produce a syntax error in the database.
"""

import re
import unicodedata
from dataclasses import dataclass, field

MAX_LENGTH = 200
MIN_LENGTH = 2
# Letters the Unicode decomposition leaves alone but readers type without accent.
_UNDECOMPOSABLE = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i", "’": "'"}
)
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")
_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text):
    """Lower case, without accents: "Lévi-Strauss" → "levi-strauss"."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold().translate(_UNDECOMPOSABLE))
    # A regular expression, not a loop over characters: snippets fold whole essays.
    return _COMBINING.sub("", decomposed)


def clean(raw):
    """Printable text, single-spaced and capped: the only form of a query that is stored."""
    printable = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in raw)
    return " ".join(printable.split())[:MAX_LENGTH].strip()


@dataclass(frozen=True)
class Term:
    words: tuple  # several words make a phrase

    @property
    def text(self):
        return " ".join(self.words)


@dataclass
class Query:
    groups: list = field(default_factory=list)  # AND of groups; each group is OR of terms
    excluded: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.groups)

    @property
    def terms(self):
        return [term for group in self.groups for term in group]

    @property
    def is_simple(self):
        """Plain words only: the kind of query a misspelled name arrives as."""
        return not self.excluded and all(
            len(group) == 1 and len(group[0].words) == 1 for group in self.groups
        )

    @property
    def plain_text(self):
        return " ".join(term.text for term in self.terms)

    def to_fts5(self, columns=None):
        # Every term is a quoted FTS5 string, so operators and punctuation in
        # what the reader typed are never interpreted by SQLite.
        def phrase(term):
            return '"' + " ".join(term.words).replace('"', '""') + '"'

        parts = ["(" + " OR ".join(phrase(t) for t in group) + ")" for group in self.groups]
        expression = "(" + " AND ".join(parts) + ")"
        if self.excluded:
            expression += " NOT (" + " OR ".join(phrase(t) for t in self.excluded) + ")"
        if columns:
            expression = "{" + " ".join(columns) + "} : (" + expression + ")"
        return expression

    def to_websearch(self):
        def phrase(term):
            return '"' + " ".join(term.words) + '"' if len(term.words) > 1 else term.words[0]

        parts = [" or ".join(phrase(t) for t in group) for group in self.groups]
        parts += ["-" + phrase(t) for t in self.excluded]
        return " ".join(parts)


def words(text):
    # Hyphens, apostrophes and other punctuation split words, as the
    # tokenizers do: "Levi-Strauss" is the phrase "levi strauss".
    return tuple(_WORD.findall(fold(text)))


def parse(text):
    query = Query()
    pending_or = False
    for match in _TOKEN.finditer(text):
        minus, quoted, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                pending_or = bool(query.groups)
                continue
            minus = "-" if bare.startswith("-") and len(bare) > 1 else ""
            found = words(bare[1:] if minus else bare)
        else:
            found = words(quoted)
        if not found:
            continue
        term = Term(found)
        if minus:
            query.excluded.append(term)
        elif pending_or:
            query.groups[-1].append(term)
        else:
            query.groups.append([term])
        pending_or = False
    return query
