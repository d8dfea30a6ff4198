"""
The one Markdown renderer. Every piece of editor Markdown on the site, and
markdownx's live preview in the admin, goes through render_markdown(); its
output is the only HTML templates may mark safe.

Paragraph anchors are in sergesite/paragraphs.py, the text the mention
detector reads and the links it adds in sergesite/mention_links.py.
"""

import html
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass

import markdown
import nh3
from django.utils.text import slugify
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from sergesite.paragraphs import paragraph_anchors

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
