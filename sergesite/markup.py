"""
The one Markdown renderer. Every piece of editor Markdown on the site, and
markdownx's live preview in the admin, goes through render_markdown(); its
output is the only HTML templates may mark safe.

It is markdown-it-py, with the rules in sergesite/markdown_rules.py that make
it give the HTML the site had from Python-Markdown (extra, sane_lists,
smarty, toc) in a third to a half of the time: footnotes numbered, laid out
and linked the same way, Python-Markdown's smart-punctuation rules, the same
heading ids and table of contents.
bench/render_bench.py compares the two on the project's essays; the
differences left are listed in docs/PERFORMANCE.md ("Rendering").

Paragraph anchors are in sergesite/paragraphs.py, the text the mention
detector reads and the links it adds in sergesite/mention_links.py.
"""

import functools
import html
from dataclasses import dataclass

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


@functools.cache
def _parser():
    # Built once per process, at the first render rather than at start-up:
    # workers that only serve pages never build it. Parsing keeps its state
    # in a fresh state object and the env dict of each call, never on the
    # parser, so threads can share it.
    from sergesite import markdown_rules

    return markdown_rules.build_parser()


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
    from sergesite import markdown_rules
    from sergesite.paragraphs import paragraph_anchors

    env = {}
    raw_html = _parser().render(markdown_rules.clean_source(text), env)
    # Python-Markdown's output had no final newline; keep the stored HTML the same.
    raw_html = raw_html.removesuffix("\n")
    if anchors:
        raw_html = paragraph_anchors(raw_html)
    return Rendered(html=sanitize(raw_html), toc=_toc(env.get("toc", [])))


def sanitize(raw_html):
    """nh3 with the site's allow-list: the last step before any HTML is stored."""
    import nh3

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


def _toc(headings):
    from sergesite import markdown_rules

    # Names are stored as plain text, which the template escapes again when
    # it shows them.
    def plain(items):
        return [
            {**item, "name": html.unescape(item["name"]), "children": plain(item["children"])}
            for item in items
        ]

    return plain(markdown_rules.nest(headings))
