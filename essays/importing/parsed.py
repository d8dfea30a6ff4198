"""What every reader of a format produces, and the small helpers they share."""

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone


class ImportFailure(Exception):
    """A file cannot be imported; the message is shown to the editor as is."""


@dataclass
class Parsed:
    title: str
    body: str  # Markdown
    format: str
    slug: str = ""
    date: datetime.datetime | None = None
    section: str = ""  # a Section slug named by the file itself
    tags: list = field(default_factory=list)
    summary: str = ""
    author: str = ""
    status: str = ""  # empty: the import's default
    old_urls: list = field(default_factory=list)
    warnings: list = field(default_factory=list)


_YEAR_MONTH_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_YEAR = re.compile(r"^(\d{4})$")
# What the author's pages write by hand: 14/09/2008, 14.9.08, 12 March 2005,
# March 12, 2005, "Sat, 12 Mar 2005 10:00:00 GMT", March 2005.
_NUMERIC = re.compile(r"^(\d{1,4})[/.-]\d{1,2}[/.-]\d{2,4}\b")
_MONTH_NAME = re.compile(
    r"\b(jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sept?(ember)?"
    r"|oct(ober)?|nov(ember)?|dec(ember)?)\b",
    re.I,
)
# A day, a word and a year, either way round: the shape of a written date.
_DAY_WORD_YEAR = re.compile(
    r"^([^\W\d_]+,?\s+)?\d{1,2}(st|nd|rd|th)?\s+[^\W\d_]{3,}\.?,?\s+\d{4}$"
    r"|^[^\W\d_]{3,}\.?\s+\d{1,2}(st|nd|rd|th)?,?\s+\d{4}$"
)
_FOUR_DIGIT_YEAR = re.compile(r"\b(1[5-9]|20)\d\d\b")


def parse_date(value):
    """A datetime from the forms old pages and front matter use, or None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, datetime.date):
        moment = datetime.datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        try:
            moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            moment = _loose_date(text) or _written_date(text)
            if moment is None:
                return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


def looks_like_date(text):
    """Whether text is written as a date, readable or not (31/02/2005, 12 Mars 2005):
    worth a warning when parse_date cannot read it."""
    text = clean_line(text)
    return bool(_NUMERIC.match(text) or _DAY_WORD_YEAR.match(text))


def _loose_date(text):
    for pattern, parts in ((_YEAR_MONTH_DAY, 3), (_YEAR_MONTH, 2), (_YEAR, 1)):
        match = pattern.search(text) if parts == 3 else pattern.match(text)
        if match:
            numbers = [int(n) for n in match.groups()] + [1] * (3 - parts)
            try:
                return datetime.datetime(*numbers)
            except ValueError:
                return None
    return None


def _written_date(text):
    # dateutil reads almost anything, and fills what is missing from a
    # default: only a text with its year and a month (named, or in a numeric
    # date) is given to it, so "Part 2" or "12 March" never become dates.
    numeric = _NUMERIC.match(text)
    if not numeric and not (_MONTH_NAME.search(text) and _FOUR_DIGIT_YEAR.search(text)):
        return None
    if len(text) > 60:
        return None
    from dateutil import parser

    # Day first, as in Britain (14/09/2008), unless the year comes first (2008/09/14).
    year_first = bool(numeric) and len(numeric.group(1)) == 4
    try:
        return parser.parse(
            text,
            dayfirst=not year_first,
            yearfirst=year_first,
            default=datetime.datetime(2000, 1, 1),
        )
    except (ValueError, OverflowError):
        return None


def clean_line(text):
    return re.sub(r"\s+", " ", text or "").strip()
