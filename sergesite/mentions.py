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
import unicodedata
from dataclasses import dataclass, field

import ahocorasick

# How strongly a name points at its target.
FULL = "full"  # a whole name or title: "Leon Trotsky", "Darkness at Noon"
SHORT = "short"  # a surname or a one-word other name: "Trotsky", "Trotzki"
WEAK = "weak"  # a common-word title: "Mother". Found only where the text marks it

_STRENGTH = {FULL: 3, SHORT: 2, WEAK: 1}


def _word_set(text):
    return frozenset(text.split())


# Words that do not make a title distinctive: "The Mother" is as common as "Mother".
TITLE_SMALL_WORDS = _word_set(
    "a an and at by for from in into of on or the to with "
    "l la le les un une des du de der die das ein eine el il lo"
)

# Before a surname these are part of the reference, not another person's name.
HONORIFICS = _word_set(
    "Comrade Comrades General President Professor Dr Mr Mrs Ms Madame Monsieur "
    "Herr Frau Citizen Chairman Secretary Saint St"
)

# Words that begin sentences ("When Trotsky left"), unlike first names ("Henry James").
_SENTENCE_OPENERS = _word_set(
    "a after against all already also although among an and as at because before between "
    "both but by during each even every few for from had has he her his how however i if "
    "in indeed into is it its later like many meanwhile most neither nor not now of on once "
    "only or perhaps she since so some still that the their then there these they this "
    "though thus to under unlike until was we what when where whereas whether which while "
    "who why with within without yet"
)

# "St. Petersburg" or "cf. Trotsky" does not end a sentence.
_ABBREVIATIONS = _word_set(
    "st dr mr mrs ms mme cf eg ie vol vols p pp ed eds trans tr no nos ch c ca op cit"
)

_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_APOSTROPHES = "'\u2018\u2019\u02bc\u02bb`\u00b4"
_OPENING_QUOTES = "\"'\u201c\u2018\u00ab\u201e"
_CLOSING_QUOTES = "\"'\u201d\u2019\u00bb"
_MARKDOWN_EMPHASIS = "*_"
_YEAR_AFTER = re.compile(r"[ \u00a0]?\((?:c\. ?)?\d{4}")
_SENTENCE_END = re.compile(r"([.!?\u2026])[\"'\u201d\u2019)\]]*\s+|\n[ \t]*\n")
_WORD_BEFORE = re.compile(r"(\w+)\.?$")
_INITIAL = re.compile(r"^\w\.$")
CONTEXT_CHARS = 300


class _FoldTable(dict):
    """
    For str.translate: each character to exactly one lower-case, unaccented
    character, so positions in the folded text are positions in the original.
    Hyphens fold to spaces ("Lévi-Strauss" is found as "levi strauss"), line
    breaks too (a name may wrap in Markdown source).
    """

    def __missing__(self, code):
        char = chr(code)
        if char in _HYPHENS or char.isspace():
            folded = " "
        elif char in _APOSTROPHES:
            folded = "'"
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
            lower = char.lower()
            folded = base if len(base) == 1 else lower if len(lower) == 1 else char
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold(text):
    """Lower case, no accents, the same length as the text."""
    return text.translate(_FOLD)


def is_common_title(title):
    """A title of fewer than two distinctive words, which prose uses as ordinary words."""
    words = [w for w in re.findall(r"\w+", title.lower()) if w not in TITLE_SMALL_WORDS]
    return len(words) < 2


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
        boundaries = _sentence_boundaries(text)
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
            marked = _typographic_mark(text, start, end, emphasised) if kind == WEAK else ""
            candidates.append((start, end, keys, kind, marked))

        chosen = _longest_first([c for c in candidates if c[3] != WEAK or c[4]])
        # A common-word title is also marked when one of its authors is named
        # in the same sentence; that needs the other matches first.
        named = {}
        for start, _end, keys, _, _ in chosen:
            sentence = _sentence(boundaries, start, len(text))
            named.setdefault(sentence, set()).update(keys)
        chosen = [c for c in chosen if c[3] != WEAK]
        weak = []
        for start, end, keys, kind, marked in candidates:
            if kind != WEAK:
                continue
            sentence = named.get(_sentence(boundaries, start, len(text)), set())
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
                crowded=kind == SHORT and _crowded(text, start, end, boundaries),
                sentence=_sentence(boundaries, start, len(text)),
            )
            for start, end, keys, kind, marked in chosen
        ]


def _typographic_mark(text, start, end, emphasised):
    if (start, end) in emphasised:
        return "italics"
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    if before and before in _MARKDOWN_EMPHASIS and after == before:
        return "italics"
    if before and before in _OPENING_QUOTES:
        closing = text[end : end + 2]
        first, second = closing[:1], closing[1:]
        if (first and first in _CLOSING_QUOTES) or (
            first and first in ",.;:!?" and second and second in _CLOSING_QUOTES
        ):
            return "quotes"
    if _YEAR_AFTER.match(text, end):
        return "year"
    return ""


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


def _sentence_boundaries(text):
    """Offsets where a sentence starts, after the first."""
    starts = []
    for found in _SENTENCE_END.finditer(text):
        if found.group(1) == ".":
            # A short window: searching from 0 would read the text once per full stop.
            word = _WORD_BEFORE.search(text, max(0, found.start() - 40), found.start() + 1)
            # "C. L. R. James", "St. Petersburg": an initial or an abbreviation.
            if word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS):
                continue
        starts.append(found.end())
    return starts


def _sentence(boundaries, position, length):
    index = bisect.bisect_right(boundaries, position)
    start = boundaries[index - 1] if index else 0
    end = boundaries[index] if index < len(boundaries) else length
    return start, end


def _crowded(text, start, end, boundaries):
    before = re.search(r"(\w+) $", text[max(0, start - 40) : start])
    if before:
        word_start = start - len(before.group(0))
        sentence_start = _sentence(boundaries, start, len(text))[0]
        at_sentence_start = text[sentence_start:word_start].strip(" \"'“‘(*_") == ""
        word = before.group(1)
        opener = at_sentence_start and word.lower() in _SENTENCE_OPENERS
        if word[0].isupper() and not opener and word not in HONORIFICS:
            return True
    after = re.match(r" (\w)", text[end : end + 2])
    return bool(after and after.group(1).isupper())


def context(text, match, limit=CONTEXT_CHARS):
    """The sentence around a match, on one line, cut to about `limit` characters."""
    start, end = match.sentence
    if end - start > limit:
        half = (limit - (match.end - match.start)) // 2
        start = max(start, match.start - half)
        end = min(end, match.end + half)
    snippet = " ".join(text[start:end].split())
    prefix = "…" if start > match.sentence[0] else ""
    suffix = "…" if end < match.sentence[1] else ""
    return f"{prefix}{snippet}{suffix}"


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
