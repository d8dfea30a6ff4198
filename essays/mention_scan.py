"""
Finding mentions in an essay's HTML once the names are known, and linking
the ones that are accepted: no database, no models and no app registry, so
import workers (essays/importing/workers.py) run it without setting Django
up. essays/mentions.py reads the names, and stores and reconciles what is
found here.
"""

from dataclasses import dataclass

from sergesite import mention_links
from sergesite import mentions as detector

# Mention.Status's values: essays/mention_models.py takes them from here.
PROPOSED, ACCEPTED, REJECTED = "proposed", "accepted", "rejected"


@dataclass
class Found:
    """One mention as detected, before it is stored."""

    key: tuple
    phrase: str
    position: int
    end: int
    anchor: str
    section: int
    linkable: bool
    context: str
    status: str
    ambiguous: bool


def default_status(match, unlinked):
    """
    What a mention becomes without an editor: a full name, or a surname that
    stands alone, is accepted, and so is a common-word title both set as a
    title and named beside its author ("Gorky's *Mother*"); a phrase that could
    name several known people or works, a surname beside another capitalised
    word ("Henry James") and a title with only one sign that it is meant wait
    for review.
    """
    if detector.fold(match.phrase) in unlinked:
        return REJECTED
    if match.ambiguous:
        return PROPOSED
    if match.kind == detector.FULL:
        return ACCEPTED
    if match.kind == detector.SHORT:
        return PROPOSED if match.crowded else ACCEPTED
    if "+" in match.marked:
        return ACCEPTED
    return PROPOSED


def find(body_html, *, using, unlinked=frozenset()):
    """Every mention in an essay's rendered HTML (links it made earlier are ignored)."""
    text = mention_links.essay_text(body_html)
    found = []
    for match in using.find(text.text, emphasis=text.emphasis):
        segment = text.segment_at(match.start, match.end)
        first = segment or text.segment_at(match.start, match.start + 1)
        status = default_status(match, unlinked)
        for key in match.keys:
            found.append(
                Found(
                    key=key,
                    phrase=match.phrase,
                    position=match.start,
                    end=match.end,
                    anchor=first.anchor if first else "",
                    section=first.section if first else 0,
                    linkable=bool(segment and segment.linkable),
                    context=detector.context(text.text, match),
                    status=status,
                    ambiguous=match.ambiguous,
                )
            )
    return found


@dataclass(frozen=True)
class NewScan:
    """
    What scanning essays that have no stored mentions needs, read once
    (essays.mentions.new_scan()), in a form worker processes can take.
    """

    version: str  # the names' version when they were read
    matcher: object
    unlinked: frozenset
    urls: dict  # the address of every person and work, by key


def link_in(body_html, scan):
    """(body_html with its accepted mentions linked, [Found]), for an essay with no mentions
    stored yet."""
    found = [
        item
        for item in find(body_html, unlinked=scan.unlinked, using=scan.matcher)
        if item.key in scan.urls
    ]
    return linked_as_found(body_html, found, scan.urls), found


def linked_as_found(body_html, found, urls):
    """body_html with the found mentions linked, each keeping its detected status
    (no editor has decided anything yet)."""
    statuses = [item.status for item in found]
    return mention_links.link_mentions(body_html, links(found, statuses, urls))


def links(found, statuses, urls):
    """The first accepted, linkable mention of each target in each section."""
    first = {}
    for index, item in enumerate(found):
        if statuses[index] == ACCEPTED and item.linkable:
            first.setdefault((item.section, item.key), item)
    return [(item.position, item.end, urls[item.key]) for item in first.values()]
