"""
The one Markdown renderer. Every piece of editor Markdown on the site, and
markdownx's live preview in the admin, goes through render_markdown(); its
output is the only HTML templates may mark safe.
"""

import bisect
import hashlib
import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import lxml.html
import markdown
import nh3
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["extra", "sane_lists", "smarty", "toc"]

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "div",
    "dl", "dt", "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i",
    "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "*": {"id", "title", "lang"},
    "a": {"href", "class"},  # class carries footnote-ref / footnote-backref
    "abbr": {"title"},
    "div": {"class", "tabindex"},  # the footnotes block, scrolling tables
    "img": {"src", "alt", "width", "height"},
    "li": {"id"},
    "ol": {"start"},
    "sup": {"id", "class"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan", "scope"},
}

# Anything else (javascript:, data:, vbscript:...) is dropped by nh3.
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


class _DemoteTopHeadings(Treeprocessor):
    # The page's title is its only <h1>: a "# Heading" in the body becomes an <h2>.
    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _ScrollableTables(Treeprocessor):
    # A wide table scrolls inside its own box instead of widening a phone's
    # page; the table itself keeps its display, and so its meaning to screen
    # readers. tabindex lets keyboard users scroll the box.
    def run(self, root):
        # Listed first: wrapping while walking the tree would find each table again.
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    wrapper = etree.Element("div", {"class": "table-scroll", "tabindex": "0"})
                    wrapper.tail, child.tail = child.tail, None
                    wrapper.append(child)
                    parent[index] = wrapper


class _SiteExtension(Extension):
    def extendMarkdown(self, md):
        # Priority above the table of contents, so it sees the demoted levels.
        md.treeprocessors.register(_DemoteTopHeadings(md), "demote_h1", 30)
        md.treeprocessors.register(_ScrollableTables(md), "scrollable_tables", 29)


def _slugify_heading(value, separator):
    return slugify(value, allow_unicode=True) or "section"


@dataclass(frozen=True)
class Rendered:
    html: str
    toc: list  # [{"id": ..., "name": ..., "level": ..., "children": [...]}]

    @property
    def heading_count(self):
        def count(items):
            return sum(1 + count(item["children"]) for item in items)

        return count(self.toc)


def render(text, *, anchors=False):
    """
    Markdown to sanitized HTML, plus the table of contents of its headings.
    With anchors, every paragraph gets an id made from its own words (see
    paragraph_anchors), so a link to it survives edits elsewhere.
    """
    md = markdown.Markdown(
        extensions=[*EXTENSIONS, _SiteExtension()],
        extension_configs={
            "toc": {"slugify": _slugify_heading},
        },
        output_format="html",
    )
    raw_html = md.convert(text or "")
    if anchors:
        raw_html = paragraph_anchors(raw_html)
    return Rendered(html=sanitize(raw_html), toc=_clean_toc(md.toc_tokens))


def sanitize(raw_html):
    """nh3 with the site's allow-list: the last step before any HTML is stored."""
    return nh3.clean(
        raw_html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text):
    """The HTML alone: what markdownx's preview endpoint and most fields need."""
    return render(text).html


def _clean_toc(tokens):
    # toc_tokens hold heading names as escaped HTML; store plain text, which
    # the template escapes again when it shows it.
    return [
        {
            "id": token["id"],
            "name": html.unescape(re.sub(r"<[^>]*>", "", token["name"])),
            "level": token["level"],
            "children": _clean_toc(token["children"]),
        }
        for token in tokens
    ]


# --- Paragraph anchors and links to mentioned people and works -------------
#
# The mention detector reads an essay's text from its sanitized HTML, through
# essay_text(); link_mentions() walks the same HTML the same way, so a
# position found in one is the same place in the other. Links it adds carry
# class="mention" and are taken out again before every new scan.

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


def _parse(fragment):
    return lxml.html.fragment_fromstring(fragment or "", create_parent="div")


def _serialize(root):
    head = html.escape(root.text or "", quote=False)
    return head + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def _is_navigation(element):
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
        if not _is_navigation(child):
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
    root = _parse(raw_html)
    seen = {}
    for element in root.iter("p", "li"):
        if element.get("id") or (element.tag == "li" and element.find(".//p") is not None):
            continue
        anchor = _paragraph_id(element)
        seen[anchor] = seen.get(anchor, 0) + 1
        element.set("id", anchor if seen[anchor] == 1 else f"{anchor}-{seen[anchor]}")
    return _serialize(root)


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
        if tag and _is_navigation(element):
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
    root = _parse(body_html)
    _unwrap_mention_links(root)
    return _walk(root)


def link_mentions(body_html, links):
    """
    body_html with links added at (start, end, href) places in essay_text()'s
    coordinates; earlier mention links are dropped first. A place inside a
    heading, a link or across markup is left alone. Sanitized again on the way out.
    """
    root = _parse(body_html)
    _unwrap_mention_links(root)
    text = _walk(root)
    by_segment = {}
    for start, end, href in sorted(links):
        segment = text.segment_at(start, end)
        if segment is not None and segment.linkable:
            by_segment.setdefault(id(segment), (segment, []))[1].append((start, end, href))
    for segment, places in by_segment.values():
        _wrap(segment, places)
    return sanitize(_serialize(root))


def _wrap(segment, places):
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
