"""
The text of an essay's rendered HTML as the mention detector reads it, and
links to the people and works it names.

The mention detector reads an essay's text from its sanitized HTML, through
essay_text(); link_mentions() walks the same HTML the same way, so a
position found in one is the same place in the other. Links it adds carry
class="mention" and are taken out again before every new scan.
"""

import bisect
import re
from dataclasses import dataclass, field

from sergesite.markup import sanitize
from sergesite.paragraphs import is_navigation, parse, serialize

_BLOCKS = frozenset(
    [
        "address",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "ol",
        "p",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ]
)
_HEADINGS = frozenset(["h1", "h2", "h3", "h4", "h5", "h6"])
_UNREAD = frozenset(["code", "kbd", "pre", "script", "style"])  # never mentions, never linked
_EMPHASIS = frozenset(["em", "i", "cite"])
_BLOCK_BREAK = "\n\n"
MENTION_CLASS = "mention"
# Any element whose class list holds "mention" (nh3 writes double quotes).
_MENTION_LINK = re.compile(rf'class="(?:[^"]*\s)?{MENTION_CLASS}[\s"]')


@dataclass
class Segment:
    """One text node of the essay, and what surrounds it."""

    start: int
    end: int
    anchor: str  # the id of the nearest enclosing paragraph, list item or heading
    section: int  # 0 before the first h2, then 1, 2...
    in_heading: bool
    in_link: bool
    node: object = field(repr=False, default=None)
    attribute: str = "text"  # the node's "text" or its "tail"

    @property
    def linkable(self):
        return not (self.in_heading or self.in_link)


@dataclass
class EssayText:
    text: str
    segments: list  # in order; blocks are separated by a blank line
    emphasis: list  # (start, end) of each italic or cited span
    _starts: list = field(default_factory=list, repr=False)

    def segment_at(self, start, end):
        """The one text node holding text[start:end], or None if it spans several."""
        if len(self._starts) != len(self.segments):
            self._starts = [segment.start for segment in self.segments]
        index = bisect.bisect_right(self._starts, start) - 1
        if index >= 0 and self.segments[index].end >= end:
            return self.segments[index]
        return None


def _unwrap_mention_links(root):
    for link in list(root.iter("a")):
        if MENTION_CLASS in (link.get("class") or "").split():
            link.drop_tag()


def _walk(root):
    parts, segments, emphasis = [], [], []
    state = {"position": 0, "section": 0}

    def emit(text, node, attribute, anchor, in_heading, in_link):
        if not text:
            return
        start = state["position"]
        parts.append(text)
        state["position"] += len(text)
        segments.append(
            Segment(start, state["position"], anchor, state["section"], in_heading, in_link)
        )
        segments[-1].node, segments[-1].attribute = node, attribute

    def block_break():
        if parts and parts[-1] != _BLOCK_BREAK:
            parts.append(_BLOCK_BREAK)
            state["position"] += len(_BLOCK_BREAK)

    def visit(element, anchor, in_heading, in_link):
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag and is_navigation(element):
            return  # "Trotsky[^1]" reads as "Trotsky", not "Trotsky1"
        if tag in _UNREAD or not tag:
            if tag:
                block_break()
            return
        if tag in _BLOCKS:
            block_break()
            if tag == "h2" or tag == "h1":
                state["section"] += 1
            anchor = element.get("id") or anchor
        in_heading = in_heading or tag in _HEADINGS
        in_link = in_link or tag == "a"
        first = state["position"]
        emit(element.text, element, "text", anchor, in_heading, in_link)
        for child in element:
            visit(child, anchor, in_heading, in_link)
            emit(child.tail, child, "tail", anchor, in_heading, in_link)
        if tag in _EMPHASIS:
            emphasis.append((first, state["position"]))
        if tag in _BLOCKS:
            block_break()

    emit(root.text, root, "text", "", False, False)
    for child in root:
        visit(child, "", False, False)
        emit(child.tail, child, "tail", "", False, False)
    return EssayText("".join(parts), segments, emphasis)


def essay_text(body_html):
    """The text of rendered HTML as the mention detector reads it (without code)."""
    root = parse(body_html)
    _unwrap_mention_links(root)
    return _walk(root)


def link_mentions(body_html, links):
    """
    body_html with links added at (start, end, href) places in essay_text()'s
    coordinates; earlier mention links are dropped first. A place inside a
    heading, a link or across markup is left alone. Sanitized again on the way out.
    """
    if not links and not _MENTION_LINK.search(body_html):
        # Nothing to add or take out. Parsing, serializing and sanitizing
        # again would give the same HTML (the renderer's output is already
        # nh3's) at about 3 ms for 5,000 words: most essays on first save.
        return body_html
    root = parse(body_html)
    _unwrap_mention_links(root)
    text = _walk(root)
    by_segment = {}
    for start, end, href in sorted(links):
        segment = text.segment_at(start, end)
        if segment is not None and segment.linkable:
            by_segment.setdefault(id(segment), (segment, []))[1].append((start, end, href))
    for segment, places in by_segment.values():
        _wrap(segment, places)
    return sanitize(serialize(root))


def _wrap(segment, places):
    # Here rather than at the top: the app's ready() imports this module, and
    # a worker that only serves pages never adds links (sergesite/paragraphs.py).
    import lxml.html

    node, value = segment.node, getattr(segment.node, segment.attribute)
    links, cursor, before = [], 0, None
    for start, end, href in places:
        start, end = start - segment.start, end - segment.start
        if start < cursor:
            continue  # overlapping places: the first wins
        piece = value[cursor:start]
        if links:
            links[-1].tail = piece
        else:
            before = piece
        link = lxml.html.Element("a", {"href": href, "class": MENTION_CLASS})
        link.text = value[start:end]
        links.append(link)
        cursor = end
    links[-1].tail = value[cursor:]
    setattr(node, segment.attribute, before)
    if segment.attribute == "text":
        for index, link in enumerate(links):
            node.insert(index, link)
    else:
        parent = node.getparent()
        at = parent.index(node)
        for index, link in enumerate(links):
            parent.insert(at + 1 + index, link)
