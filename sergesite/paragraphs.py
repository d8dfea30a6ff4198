"""
Paragraph anchors, and the lxml helpers the essay's HTML is walked with.

lxml is imported by the functions that parse, not at the top: every model
module imports this one through sergesite.markup, and a worker that only
serves pages never parses HTML (about 5 MB and 20 ms of its start-up).
"""

import hashlib
import html
import re


def parse(fragment):
    import lxml.html

    return lxml.html.fragment_fromstring(fragment or "", create_parent="div")


def serialize(root):
    import lxml.html

    head = html.escape(root.text or "", quote=False)
    return head + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def is_navigation(element):
    # Footnote numbers and back-links: renumbered whenever a footnote is added.
    return (element.tag == "sup" and (element.get("id") or "").startswith("fnref")) or (
        "footnote-backref" in (element.get("class") or "")
    )


def _own_words(element):
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):
            parts.append(child.tail or "")
            continue
        if not is_navigation(child):
            parts.append(_own_words(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _paragraph_id(element):
    words = re.findall(r"\w+", _own_words(element).casefold())
    if not words:
        # An image alone: its address is the nearest thing to words it has.
        words = [img.get("src", "") for img in element.iter("img")]
    return "p-" + hashlib.sha1(" ".join(words).encode()).hexdigest()[:8]


def paragraph_anchors(raw_html):
    """
    Give every paragraph (and list item without paragraphs) an id made from a
    hash of its own words: "p-3f2a91c0". It depends on nothing else in the
    document, so editing one paragraph never moves another's anchor; the
    second of two identical paragraphs gets "-2".
    """
    root = parse(raw_html)
    seen = {}
    for element in root.iter("p", "li"):
        if element.get("id") or (element.tag == "li" and element.find(".//p") is not None):
            continue
        anchor = _paragraph_id(element)
        seen[anchor] = seen.get(anchor, 0) + 1
        element.set("id", anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}")
    return serialize(root)
