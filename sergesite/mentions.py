"""
Finding known names in text: one pass of an Aho-Corasick automaton over a
folded copy of the text, then a few checks on each hit.

Knows no app by name. Callers describe what can be mentioned as Targets (a
key and the Names it goes by) and get back Matches with positions in the
original text. The apps that own the names announce changes through
names_changed(); whoever keeps mentions up to date listens with
on_names_changed(). This keeps people and works from importing essays.
"""

import bisect
import re
from dataclasses import dataclass, field

import ahocorasick

from sergesite.mention_context import (
    CONTEXT_CHARS,
    HONORIFICS,
    context,
    crowded,
    sentence_boundaries,
    sentence_span,
    typographic_mark,
)
from sergesite.name_folding import TITLE_SMALL_WORDS, fold, is_common_title

# Callers import these from here.
__all__ = [
    "CONTEXT_CHARS", "FULL", "HONORIFICS", "SHORT", "TITLE_SMALL_WORDS", "WEAK", "Match",
    "Matcher", "Name", "Target", "context", "fold", "is_common_title", "names_changed",
    "on_names_changed",
]  # fmt: skip

# How strongly a name points at its target.
FULL = "full"  # a whole name or title: "Leon Trotsky", "Darkness at Noon"
SHORT = "short"  # a surname or a one-word other name: "Trotsky", "Trotzki"
WEAK = "weak"  # a common-word title: "Mother". Found only where the text marks it

_STRENGTH = {FULL: 3, SHORT: 2, WEAK: 1}

_INITIAL = re.compile(r"^\w\.$")


@dataclass(frozen=True)
class Name:
    text: str
    kind: str = FULL


@dataclass(frozen=True)
class Target:
    key: object  # hashable: the caller's way of naming the person or work
    names: tuple
    # Keys of other targets (a work's authors) whose mention in the same
    # sentence marks a WEAK name as meant: "Gorky's Mother".
    companions: frozenset = frozenset()


@dataclass(frozen=True)
class Match:
    start: int
    end: int
    phrase: str
    keys: tuple  # several when the phrase names several targets equally well
    kind: str
    # Why a WEAK name counts: "italics", "quotes" or "year" (how the text sets
    # it), "companion" (an author named in the same sentence), or one of the
    # first three with "+companion"; "" for other names.
    marked: str = ""
    # A SHORT name right beside another capitalised word ("Henry James"):
    # perhaps part of a name the site does not know.
    crowded: bool = False
    sentence: tuple = (0, 0)

    @property
    def ambiguous(self):
        return len(self.keys) > 1


def _forms(text):
    """The ways a name is written: "C. L. R. James" also as "C.L.R. James" and "C L R James"."""
    text = " ".join(text.split())
    forms = {text}
    words = text.split(" ")
    if any(_INITIAL.match(w) for w in words):
        compact, bare = [], []
        for word in words:
            if _INITIAL.match(word) and compact and compact[-1].endswith("."):
                compact[-1] += word
            else:
                compact.append(word)
            bare.append(word.rstrip(".") if _INITIAL.match(word) else word)
        forms |= {" ".join(compact), " ".join(bare)}
    return [form for form in forms if form.strip()]


@dataclass
class _Entry:
    kinds: dict = field(default_factory=dict)  # key -> strongest kind
    capitals: dict = field(default_factory=dict)  # key -> offsets that must be capitals


class Matcher:
    """Built once from every target (10,000 names in well under a second), then reused."""

    def __init__(self, targets):
        entries = {}
        self.companions = {}
        for target in targets:
            if target.companions:
                self.companions[target.key] = target.companions
            for name in target.names:
                for form in _forms(name.text):
                    folded = fold(form)
                    entry = entries.setdefault(folded, _Entry())
                    old = entry.kinds.get(target.key)
                    if old is None or _STRENGTH[name.kind] > _STRENGTH[old]:
                        entry.kinds[target.key] = name.kind
                        # Capitalised words of the name must be capitalised in
                        # the text: "Finance Capital", not "finance capital".
                        entry.capitals[target.key] = tuple(
                            i
                            for i, char in enumerate(form)
                            if char.isupper() and (i == 0 or not form[i - 1].isalnum())
                        )
        self.automaton = ahocorasick.Automaton()
        for folded, entry in entries.items():
            self.automaton.add_word(folded, (len(folded), entry))
        self.size = len(entries)
        if entries:
            self.automaton.make_automaton()

    def find(self, text, *, emphasis=()):
        """
        Every mention in text, longest first where names overlap. emphasis
        lists (start, end) spans the caller knows are in italics (from HTML).
        """
        if not self.size or not text:
            return []
        folded = fold(text)
        emphasised = set(emphasis)
        boundaries = sentence_boundaries(text)
        candidates = []
        for end_index, (length, entry) in self.automaton.iter(folded):
            end = end_index + 1
            start = end - length
            # Whole words only: "Stalinist" and "Trotskyism" are not people.
            if (start > 0 and text[start - 1].isalnum()) or (
                end < len(text) and text[end].isalnum()
            ):
                continue
            keys = [
                key
                for key, capitals in entry.capitals.items()
                if all(text[start + i].isupper() for i in capitals)
            ]
            if not keys:
                continue
            best = max(_STRENGTH[entry.kinds[key]] for key in keys)
            keys = tuple(key for key in keys if _STRENGTH[entry.kinds[key]] == best)
            kind = entry.kinds[keys[0]]
            marked = typographic_mark(text, start, end, emphasised) if kind == WEAK else ""
            candidates.append((start, end, keys, kind, marked))

        chosen = _longest_first([c for c in candidates if c[3] != WEAK or c[4]])
        # A common-word title is also marked when one of its authors is named
        # in the same sentence; that needs the other matches first.
        named = {}
        for start, _end, keys, _, _ in chosen:
            sentence = sentence_span(boundaries, start, len(text))
            named.setdefault(sentence, set()).update(keys)
        chosen = [c for c in chosen if c[3] != WEAK]
        weak = []
        for start, end, keys, kind, marked in candidates:
            if kind != WEAK:
                continue
            sentence = named.get(sentence_span(boundaries, start, len(text)), set())
            by_author = tuple(key for key in keys if self.companions.get(key, set()) & sentence)
            if by_author:
                marked = f"{marked}+companion" if marked else "companion"
                keys = by_author
            if marked:
                weak.append((start, end, keys, kind, marked))
        for candidate in _longest_first(weak):
            if not _overlaps(chosen, candidate[0], candidate[1]):
                chosen.append(candidate)
        chosen.sort()
        return [
            Match(
                start=start,
                end=end,
                phrase=text[start:end],
                keys=keys,
                kind=kind,
                marked=marked,
                crowded=kind == SHORT and crowded(text, start, end, boundaries),
                sentence=sentence_span(boundaries, start, len(text)),
            )
            for start, end, keys, kind, marked in chosen
        ]


def _longest_first(candidates):
    # Longest names win, and a shorter name inside a longer one never does:
    # "James Burnham" is Burnham, never C. L. R. James.
    chosen, taken = [], []  # taken: sorted, non-overlapping (start, end)
    for candidate in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        start, end = candidate[0], candidate[1]
        index = bisect.bisect_left(taken, (start, end))
        if index > 0 and taken[index - 1][1] > start:
            continue
        if index < len(taken) and taken[index][0] < end:
            continue
        taken.insert(index, (start, end))
        chosen.append(candidate)
    return chosen


def _overlaps(chosen, start, end):
    return any(s < end and start < e for s, e, *_ in chosen)


# The registry: apps that own names announce changes; listeners rescan.

_listeners = []


def on_names_changed(listener):
    """listener(names) is called with the old and new names of whatever changed."""
    if listener not in _listeners:
        _listeners.append(listener)


def names_changed(names):
    names = sorted({" ".join(name.split()) for name in names if name and name.strip()})
    for listener in list(_listeners):
        listener(names)
