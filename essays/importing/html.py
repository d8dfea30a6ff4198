"""
Old HTML pages: readability-lxml finds the main content, markdownify writes it
as Markdown. What we add around them is structural, not a list of boilerplate:
the title and date come from the whole page (readability can drop the <h1>),
layout tables become plain blocks before readability scores them (else it can
pick the whole table, menu cell and all), and note links become Markdown
footnotes. This module runs the steps; each topic has a module of its own:
html_titles.py, html_layout.py, html_notes.py and html_markdown.py, with
html_tree.py for the small helpers they share.
"""

import re
from collections import Counter
from dataclasses import dataclass

import lxml.html
from django.conf import settings
from lxml import etree
from readability import Document
from readability.readability import Unparseable

from .html_layout import (
    LINK_ROWS,
    bold_paragraphs_to_headings,
    drop_menus,
    indented_tables_to_quotations,
    keep_heading_anchors,
    link_row,
    trim_link_rows,
    unwrap_layout_tables,
    wrap_loose_lines,
)
from .html_markdown import tidy, to_markdown
from .html_notes import take_footnotes
from .html_titles import SITE_SEPARATOR, page_title, title_parts
from .html_tree import drop, key
from .parsed import ImportFailure, Parsed, clean_line, parse_date

DATE_META = [
    "article:published_time", "og:published_time", "date", "dc.date", "dc.date.created",
    "dc.date.issued", "dcterms.created", "dcterms.date", "dcterms.issued", "pubdate",
    "publish-date", "publication_date", "created",
]  # fmt: skip
# lxml refuses a decoded string that still declares its encoding; the text is
# decoded already, so the declaration says nothing more.
XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*>")


@dataclass(frozen=True)
class Shared:
    """What repeats across the pages of one import: the site's name, its menus."""

    names: frozenset = frozenset()
    menus: frozenset = frozenset()  # link_row keys


def shared_across(pages):
    """
    A Shared for the batch's HTML pages. A <title> part or an <h1> found on a
    quarter of them is the site's name or banner, not the title of each, when
    three pages have it, or two and one of them sets it apart with a bar
    ("Serge | Roger's site"): the two parts of a series share a name too.
    """
    names, barred, menus = Counter(), set(), Counter()
    for text in pages:
        try:
            tree = lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1))
        except (etree.ParserError, ValueError):
            continue
        found = {key(heading.text_content()) for heading in tree.iter("h1")}
        title = tree.find(".//title")
        if title is not None:
            parts = title_parts(title.text_content())
            found.update(key(part) for part in parts[::2])
            for index in range(1, len(parts), 2):
                if SITE_SEPARATOR.search(parts[index]):
                    barred.update({key(parts[index - 1]), key(parts[index + 1])})
        names.update(found - {""})
        menus.update({link_row(element) for element in tree.iter(*LINK_ROWS)} - {None})
    return Shared(
        names=frozenset(
            name
            for name, count in names.items()
            if count * 4 >= len(pages) and (count >= 3 or (count == 2 and name in barred))
        ),
        # Links alone, the same on two pages: the site's navigation.
        menus=frozenset(menu for menu, count in menus.items() if count >= 2),
    )


def parse(text, *, fallback_title, shared=Shared()):
    try:
        tree = lxml.html.document_fromstring(XML_DECLARATION.sub("", text, count=1))
    except (etree.ParserError, ValueError) as error:
        raise ImportFailure(f"the HTML could not be read ({error})") from None
    warnings = []
    for element in tree.xpath("//script|//style|//noscript|//comment()"):
        drop(element)
    title, title_element = page_title(tree, _site_names(shared))
    if title_element is not None:
        drop(title_element)  # the page shows the title itself
    if not title:
        title = fallback_title
        warnings.append("no <h1> or <title>: named after the file")
    notes = take_footnotes(tree)
    drop_menus(tree, shared.menus)
    bold_paragraphs_to_headings(tree)
    keep_heading_anchors(tree)
    indented_tables_to_quotations(tree)
    for anchor in list(tree.iter("a")):
        if not anchor.get("href"):
            # <h2><a name="x">Heading</a></h2>: readability counts a heading
            # made of a link as navigation and drops it; a bare anchor is no link.
            anchor.drop_tag()
    unwrap_layout_tables(tree)
    wrap_loose_lines(tree)
    try:
        content = Document(lxml.html.tostring(tree, encoding="unicode")).summary(
            html_partial=True, keep_all_images=True
        )
    except Unparseable as error:
        raise ImportFailure(f"no main text could be found in the page ({error})") from None
    body = tidy(trim_link_rows(tidy(to_markdown(content))))
    if notes:
        body += "\n\n" + "\n".join(f"[^{number}]: {note}" for number, note in notes) + "\n"
    if not body.strip():
        raise ImportFailure("the page has no text once its menus are dropped")
    return Parsed(
        title=title,
        body=body,
        format="html",
        date=_date(tree, warnings),
        summary=_meta(tree, "description"),
        author=_meta(tree, "author"),
        warnings=warnings,
    )


def _site_names(shared):
    return shared.names | {key(settings.SITE_NAME)}


def _meta(tree, *names):
    wanted = {name.lower() for name in names}
    for meta in tree.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if key in wanted and clean_line(meta.get("content")):
            return clean_line(meta.get("content"))
    return ""


def _date(tree, warnings):
    unread = None
    for name in DATE_META:
        value = _meta(tree, name)
        date = parse_date(value)
        if date:
            return date
        unread = unread or value
    if unread:
        warnings.append(f"the date '{unread}' could not be read: the essay is dated on import")
    return None
