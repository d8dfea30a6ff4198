"""
An old page's title: from its <h1>, its <title> without the site's name, or
a heading that shows it; and the element showing it, dropped from the text.
"""

import re

from .html_tree import drop, key
from .parsed import clean_line

# "Serge | Roger's site", "Roger's site - Serge", "Serge - right on the losing
# side": which part is the site's name is told by what repeats across the
# batch (see html.shared_across). A bar, "::", "·" or "»" never opens a subtitle, so
# with no part known, the page's own title is the part before the first one.
TITLE_SEPARATORS = re.compile(r"(\s+[|\-–—:·»]\s+|\s*::\s*|\s*\|\s*)")
SITE_SEPARATOR = re.compile(r"\||::|·|»")
CONTAINERS = ("body", "div", "td", "th", "center", "form")


def title_parts(text):
    # [part, separator, part, ...]
    return TITLE_SEPARATORS.split(clean_line(text))


def page_title(tree, site_names):
    """(title, the element showing it in the page, or None)."""
    for heading in list(tree.iter("h1")):
        text = clean_line(heading.text_content())
        if key(text) in site_names:
            drop(heading)  # a banner: the site's name over every page
        elif text:
            return text, heading
    title = tree.find(".//title")
    text = _own_title(title.text_content() if title is not None else "", site_names)
    first = next((h for h in tree.iter("h2", "h3", "h4") if clean_line(h.text_content())), None)
    if first is not None and (key(text) in site_names or key(first.text_content()) == key(text)):
        # <title>Serge</title> over <h2>Serge</h2>: the heading shows the
        # title; under a <title> that is only the site's name, it is the title.
        return clean_line(first.text_content()), first
    return text, _shown_title(tree, text)


def _shown_title(tree, title):
    # <center><font size="+2"><b>Serge</b></font></center> above the text of a
    # page titled Serge: the page's way of showing its title.
    body = tree.find(".//body")
    if body is None or not title:
        return None
    for element in body.iterdescendants("p", "center", "div", "font", "b", "strong", "span"):
        text = key(element.text_content())
        if text == key(title):
            while (
                element.getparent() is not None and key(element.getparent().text_content()) == text
            ):
                element = element.getparent()
            # Alone in its block, not a word of a sentence that names the title.
            if element.getparent() is None or element.getparent().tag in CONTAINERS:
                return element
        if element.tag == "p" and len(text) > 200:
            return None  # the text has begun
    return None


def _own_title(text, site_names):
    parts = title_parts(text)
    while len(parts) > 2 and key(parts[0]) in site_names:
        parts = parts[2:]
    while len(parts) > 2 and key(parts[-1]) in site_names:
        parts = parts[:-2]
    if len(parts) > 1 and len(parts) == len(title_parts(text)):
        # No part known as the site's: a bar and the like part a site name
        # from the title, a dash or a colon a title from its subtitle.
        for index in range(1, len(parts), 2):
            if SITE_SEPARATOR.search(parts[index]):
                parts = parts[:index]
                break
    return "".join(parts).strip()
