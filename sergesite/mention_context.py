"""
What the text around a name says about it: the sentence it is in, whether it
is set as a title (italics, quotes, a year after it), and whether it stands
beside another capitalised word. Used by the Matcher in sergesite/mentions.py.
"""

import bisect
import re

from sergesite.name_folding import word_set

# Before a surname these are part of the reference, not another person's name.
HONORIFICS = word_set(
    "Comrade Comrades General President Professor Dr Mr Mrs Ms Madame Monsieur "
    "Herr Frau Citizen Chairman Secretary Saint St"
)

# Words that begin sentences ("When Trotsky left"), unlike first names ("Henry James").
_SENTENCE_OPENERS = word_set(
    "a after against all already also although among an and as at because before between "
    "both but by during each even every few for from had has he her his how however i if "
    "in indeed into is it its later like many meanwhile most neither nor not now of on once "
    "only or perhaps she since so some still that the their then there these they this "
    "though thus to under unlike until was we what when where whereas whether which while "
    "who why with within without yet"
)

# "St. Petersburg" or "cf. Trotsky" does not end a sentence.
_ABBREVIATIONS = word_set(
    "st dr mr mrs ms mme cf eg ie vol vols p pp ed eds trans tr no nos ch c ca op cit"
)
_LONGEST_ABBREVIATION = max(map(len, _ABBREVIATIONS))

_OPENING_QUOTES = "\"'\u201c\u2018\u00ab\u201e"
_CLOSING_QUOTES = "\"'\u201d\u2019\u00bb"
_MARKDOWN_EMPHASIS = "*_"
_YEAR_AFTER = re.compile(r"[ \u00a0]?\((?:c\. ?)?\d{4}")
_SENTENCE_END = re.compile(r"([.!?\u2026])[\"'\u201d\u2019)\]]*\s+|\n[ \t]*\n")
CONTEXT_CHARS = 300


def typographic_mark(text, start, end, emphasised):
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


def sentence_boundaries(text):
    """Offsets where a sentence starts, after the first."""
    starts = []
    for found in _SENTENCE_END.finditer(text):
        # "C. L. R. James", "St. Petersburg": an initial or an abbreviation.
        if found.group(1) == "." and _shortened(text, found.start()):
            continue
        starts.append(found.end())
    return starts


def _shortened(text, stop):
    """Whether the word ending at stop (before a full stop) is an initial or an abbreviation."""
    # Read back at most one letter more than the longest abbreviation: a
    # regex search here, once per full stop, was most of the cost of a scan.
    start, longest = stop, _LONGEST_ABBREVIATION + 1
    while (
        start > 0
        and stop - start < longest
        and (text[start - 1].isalnum() or text[start - 1] == "_")
    ):
        start -= 1
    length = stop - start
    if length == 0 or length == longest:
        return False
    return length == 1 or text[start:stop].lower() in _ABBREVIATIONS


def sentence_span(boundaries, position, length):
    index = bisect.bisect_right(boundaries, position)
    start = boundaries[index - 1] if index else 0
    end = boundaries[index] if index < len(boundaries) else length
    return start, end


def crowded(text, start, end, boundaries):
    before = re.search(r"(\w+) $", text[max(0, start - 40) : start])
    if before:
        word_start = start - len(before.group(0))
        sentence_start = sentence_span(boundaries, start, len(text))[0]
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
