"""
The report of searches that found nothing, counted without a database write
per search.

A search is a read: under load, an UPDATE for each one that finds nothing
would queue readers behind each other (on SQLite, behind the one writer).
So each such search only adds to a tally in the shared cache, and the tally
is written to the UnansweredQuery table in one transaction:

- when an editor opens the report in the admin;
- by the first search after FLUSH_SECONDS since the last write, or once the
  tally holds MAX_PENDING different searches;
- by `manage.py flush_search_report` (for cron on a quiet site).

Two workers adding to the tally at the same instant can lose one count;
losing the cache (a Redis restart) loses at most FLUSH_SECONDS of counts.
The report ranks what readers look for, so neither matters.
"""

import re
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .query import fold

TALLY_KEY = "search:unanswered:tally"
LOCK_KEY = "search:unanswered:flushing"
FLUSH_SECONDS = 5 * 60
MAX_PENDING = 500

_EMAIL = re.compile(r"\S+@\S+")
_LONG_NUMBER = re.compile(r"\d[\d ]{5,}\d")


def clean(text):
    # Readers sometimes paste an address or a phone number into the box;
    # the report is for what people look for, not who they are.
    return _LONG_NUMBER.sub("[number]", _EMAIL.sub("[email]", fold(text)))[:200]


def _empty_tally():
    return {"since": time.time(), "counts": {}}


def record(text):
    """Count a search that found nothing."""
    text = clean(text)
    tally = cache.get(TALLY_KEY) or _empty_tally()
    count, _ = tally["counts"].get(text, (0, None))
    tally["counts"][text] = (count + 1, timezone.now())
    cache.set(TALLY_KEY, tally, None)
    if len(tally["counts"]) >= MAX_PENDING or time.time() - tally["since"] >= FLUSH_SECONDS:
        flush()


def flush():
    """Write the tally to the report table; returns the number of searches written."""
    if not cache.add(LOCK_KEY, True, 60):
        return 0  # another process is writing it now
    try:
        tally = cache.get(TALLY_KEY)
        cache.set(TALLY_KEY, _empty_tally(), None)
    finally:
        cache.delete(LOCK_KEY)
    if not tally or not tally["counts"]:
        return 0
    from .models import UnansweredQuery  # models imports clean() from here

    with transaction.atomic():
        for text, (count, seen) in tally["counts"].items():
            updated = UnansweredQuery.objects.filter(text=text).update(
                count=F("count") + count, last_seen=seen
            )
            if not updated:
                UnansweredQuery.objects.create(text=text, count=count, last_seen=seen)
    return len(tally["counts"])
