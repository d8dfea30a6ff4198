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
            moment = _loose_date(text)
            if moment is None:
                return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return moment


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


def clean_line(text):
    return re.sub(r"\s+", " ", text or "").strip()
