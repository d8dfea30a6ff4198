"""
Folding names and text for matching: lower case, no accents, hyphens as
spaces, and always the same length, so a position in the folded text is the
same position in the original.
"""

import re
import unicodedata


def word_set(text):
    return frozenset(text.split())


# Words that do not make a title distinctive: "The Mother" is as common as "Mother".
TITLE_SMALL_WORDS = word_set(
    "a an and at by for from in into of on or the to with "
    "l la le les un une des du de der die das ein eine el il lo"
)

_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_APOSTROPHES = "'\u2018\u2019\u02bc\u02bb`\u00b4"


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


# What str.lower() leaves to fold: ASCII spaces and hyphens, the backtick,
# and every run of other characters (accents, typographic quotes and dashes).
_LEFT_TO_FOLD = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1f`-]|[^\x00-\x7f]+")


def fold(text):
    """Lower case, no accents, the same length as the text."""
    # str.translate() looks up every character of a long essay in _FOLD,
    # which is slow; lower() does most of the work in C, and the few
    # characters it leaves (one in a hundred in English prose) go through
    # _FOLD. Both give the same text: tests/mentions/test_folding.py.
    lowered = text.lower()
    if len(lowered) != len(text):  # a character that lowers to two ("İ")
        return text.translate(_FOLD)
    # Positions match, so each run is folded from the original characters.
    return _LEFT_TO_FOLD.sub(
        lambda found: text[found.start() : found.end()].translate(_FOLD), lowered
    )


def is_common_title(title):
    """A title of fewer than two distinctive words, which prose uses as ordinary words."""
    words = [w for w in re.findall(r"\w+", title.lower()) if w not in TITLE_SMALL_WORDS]
    return len(words) < 2
