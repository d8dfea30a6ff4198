"""
Old HTML pages: readability-lxml finds the main content, markdownify writes it
as Markdown. What we add around them is structural, not a list of boilerplate:
the title and date come from the whole page (readability can drop the <h1>),
layout tables become plain blocks before readability scores them (else it can
pick the whole table, menu cell and all), and note links become Markdown
footnotes.
"""

import re
from collections import Counter
from dataclasses import dataclass

import lxml.html
from django.conf import settings
from lxml import etree
from markdownify import MarkdownConverter
from readability import Document
from readability.readability import Unparseable

from .parsed import ImportFailure, Parsed, clean_line, parse_date

DATE_META = [
    "article:published_time", "og:published_time", "date", "dc.date", "dc.date.created",
    "dc.date.issued", "dcterms.created", "dcterms.date", "dcterms.issued", "pubdate",
    "publish-date", "publication_date", "created",
]  # fmt: skip
# "Serge | Roger's site", "Roger's site - Serge", "Serge - right on the losing
# side": which part is the site's name is told by what repeats across the
# batch (see shared_across). A bar, "::", "·" or "»" never opens a subtitle, so
# with no part known, the page's own title is the part before the first one.
TITLE_SEPARATORS = re.compile(r"(\s+[|\-–—:·»]\s+|\s*::\s*|\s*\|\s*)")
SITE_SEPARATOR = re.compile(r"\||::|·|»")
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "pre", "dl"}
# What ends a run of loose text in a div.
BREAKS = BLOCKS | {"div", "center", "hr", "form", "address", "figure", "li"}
# Elements that can hold a menu, and what may stand between its links.
LINK_ROWS = ("p", "div", "center", "td", "ul", "ol", "font", "span", "nav", "table")
LINK_SEPARATORS = re.compile(r"[\s|·•/\\\-–—:\[\]()]*")
MARKDOWN_LINK = re.compile(r"(?<!!)\[(?:\\.|[^\]\\])*\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
LIST_ITEM = re.compile(r"^\s*([-*+]|\d+\.)\s", re.M)
CONTAINERS = ("body", "div", "td", "th", "center", "form")
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ANCHOR_NAME = re.compile(r"[A-Za-z][\w.:-]*")
NOTE_HEADING = re.compile(r"^(foot)?notes?$|^references$|^sources$", re.I)
NOTE_NUMBER = re.compile(r"^\[?\(?(\d{1,3}|[*†‡]|[ivx]{1,4})\)?\]?$")
# lxml refuses a decoded string that still declares its encoding; the text is
# decoded already, so the declaration says nothing more.
XML_DECLARATION = re.compile(r"^\ufeff?\s*<\?xml[^>]*>")


class _Converter(MarkdownConverter):
    # Text that looks like a tag is written as an entity, so the Markdown
    # never carries raw HTML for the renderer to sanitize.
    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags)
        return text.replace("&", "&amp;").replace("<", "&lt;") if text else text

    def convert_hN(self, n, el, text, parent_tags):
        # An old anchor on the heading (<a name="x">) stays as an empty div
        # just before it: the only raw HTML written, its id checked by
        # ANCHOR_NAME; old links to #x still land here, and the heading keeps
        # the id the renderer makes from its words.
        heading = super().convert_hN(n, el, text, parent_tags)
        anchor = el.get("data-anchor")
        return f'\n\n<div id="{anchor}"></div>\n{heading}' if anchor else heading


def _to_markdown(html_text):
    converter = _Converter(
        heading_style="atx",
        bullets="-",
        strong_em_symbol="*",
        table_infer_header=True,
        escape_underscores=True,
    )
    return converter.convert(html_text)


@dataclass(frozen=True)
class Shared:
    """What repeats across the pages of one import: the site's name, its menus."""

    names: frozenset = frozenset()
    menus: frozenset = frozenset()  # _link_row keys


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
        found = {_key(heading.text_content()) for heading in tree.iter("h1")}
        title = tree.find(".//title")
        if title is not None:
            parts = _title_parts(title.text_content())
            found.update(_key(part) for part in parts[::2])
            for index in range(1, len(parts), 2):
                if SITE_SEPARATOR.search(parts[index]):
                    barred.update({_key(parts[index - 1]), _key(parts[index + 1])})
        names.update(found - {""})
        menus.update({_link_row(element) for element in tree.iter(*LINK_ROWS)} - {None})
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
        _drop(element)
    title, title_element = _title(tree, _site_names(shared))
    if title_element is not None:
        _drop(title_element)  # the page shows the title itself
    if not title:
        title = fallback_title
        warnings.append("no <h1> or <title>: named after the file")
    notes = _take_footnotes(tree)
    _drop_menus(tree, shared.menus)
    _bold_paragraphs_to_headings(tree)
    _keep_heading_anchors(tree)
    _indented_tables_to_quotations(tree)
    for anchor in list(tree.iter("a")):
        if not anchor.get("href"):
            # <h2><a name="x">Heading</a></h2>: readability counts a heading
            # made of a link as navigation and drops it; a bare anchor is no link.
            anchor.drop_tag()
    _unwrap_layout_tables(tree)
    _wrap_loose_lines(tree)
    try:
        content = Document(lxml.html.tostring(tree, encoding="unicode")).summary(
            html_partial=True, keep_all_images=True
        )
    except Unparseable as error:
        raise ImportFailure(f"no main text could be found in the page ({error})") from None
    body = _tidy(_trim_link_rows(_tidy(_to_markdown(content))))
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
    return shared.names | {_key(settings.SITE_NAME)}


def _key(text):
    return clean_line(text).casefold().strip(" .,;:|-–—")


def _title_parts(text):
    # [part, separator, part, ...]
    return TITLE_SEPARATORS.split(clean_line(text))


def _title(tree, site_names):
    """(title, the element showing it in the page, or None)."""
    for heading in list(tree.iter("h1")):
        text = clean_line(heading.text_content())
        if _key(text) in site_names:
            _drop(heading)  # a banner: the site's name over every page
        elif text:
            return text, heading
    title = tree.find(".//title")
    text = _own_title(title.text_content() if title is not None else "", site_names)
    first = next((h for h in tree.iter("h2", "h3", "h4") if clean_line(h.text_content())), None)
    if first is not None and (_key(text) in site_names or _key(first.text_content()) == _key(text)):
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
        text = _key(element.text_content())
        if text == _key(title):
            while (
                element.getparent() is not None and _key(element.getparent().text_content()) == text
            ):
                element = element.getparent()
            # Alone in its block, not a word of a sentence that names the title.
            if element.getparent() is None or element.getparent().tag in CONTAINERS:
                return element
        if element.tag == "p" and len(text) > 200:
            return None  # the text has begun
    return None


def _bold_paragraphs_to_headings(tree):
    # <p><b>Men in Prison</b></p>: how pages made before CSS marked a section.
    # A sentence in bold ends with a full stop and stays a paragraph.
    found = [p for p in tree.iter("p") if _is_bold_heading(p)]
    level = "h3" if any(clean_line(h.text_content()) for h in tree.iter("h2")) else "h2"
    for paragraph in found:
        text = paragraph.text_content()
        anchors = [a for a in paragraph.iter("a") if a.get("name") or a.get("id")]
        for child in list(paragraph):
            paragraph.remove(child)
        paragraph.tag, paragraph.text = level, clean_line(text)
        paragraph.attrib.clear()
        for anchor in anchors[:1]:
            anchor.text, anchor.tail = None, None
            paragraph.insert(0, anchor)  # for _keep_heading_anchors


def _is_bold_heading(paragraph):
    text = clean_line(paragraph.text_content())
    if not text or len(text) > 100 or text.endswith((".", ",", ";")) or clean_line(paragraph.text):
        return False
    parts = [child for child in paragraph if clean_line(child.text_content())]
    return (
        len(parts) == 1
        and not clean_line(parts[0].tail)
        and not paragraph.xpath(".//a[@href]|.//img")
        and any(
            clean_line(bold.text_content()) == text for bold in paragraph.xpath(".//b|.//strong")
        )
    )


def _keep_heading_anchors(tree):
    # <h2><a name="x">Heading</a></h2>, or <a name="x"></a> just before the
    # heading: old links to page.html#x pointed there.
    for anchor in list(tree.iter("a")):
        name = anchor.get("name") or anchor.get("id") or ""
        if anchor.get("href") or not ANCHOR_NAME.fullmatch(name):
            continue
        heading = next(anchor.iterancestors(*HEADINGS), None)
        following = anchor.getnext()
        if (
            heading is None
            and not clean_line(anchor.text_content())
            and not clean_line(anchor.tail)
        ):
            heading = following if following is not None and following.tag in HEADINGS else None
        if heading is not None and not heading.get("data-anchor"):
            heading.set("data-anchor", name)


def _indented_tables_to_quotations(tree):
    # <table><tr><td width="30">&nbsp;</td><td><i>words</i></td></tr></table>:
    # an empty first cell indents a quotation, as a blockquote would.
    for table in list(tree.iter("table")):
        rows = table.xpath("./tr|./tbody/tr")
        cells = rows[0].xpath("./td") if len(rows) == 1 else []
        if len(cells) not in (2, 3) or clean_line(cells[0].text_content()):
            continue
        quoted, *rest = cells[1:]
        text = clean_line(quoted.text_content())
        if (
            not text
            or len(text) > 2000
            or any(clean_line(cell.text_content()) for cell in rest)
            or quoted.xpath(".//table|.//h1|.//h2|.//h3|.//h4|.//ul|.//ol|.//img")
            or len(quoted.xpath(".//a[@href]")) > 2
        ):
            continue
        quoted.tag = "blockquote"
        quoted.attrib.clear()
        quoted.tail = table.tail
        table.getparent().replace(table, quoted)


def _own_title(text, site_names):
    parts = _title_parts(text)
    while len(parts) > 2 and _key(parts[0]) in site_names:
        parts = parts[2:]
    while len(parts) > 2 and _key(parts[-1]) in site_names:
        parts = parts[:-2]
    if len(parts) > 1 and len(parts) == len(_title_parts(text)):
        # No part known as the site's: a bar and the like part a site name
        # from the title, a dash or a colon a title from its subtitle.
        for index in range(1, len(parts), 2):
            if SITE_SEPARATOR.search(parts[index]):
                parts = parts[:index]
                break
    return "".join(parts).strip()


def _link_row(element):
    """
    A key for an element that holds nothing but links and separators
    ("Home | Books | Links", a list of links), or None.
    """
    links = element.xpath(".//a[@href]")
    if len(links) < 2 or any(child.tag in BLOCKS for child in element.iterdescendants()):
        return None
    rest = clean_line(element.text_content())
    for link in links:
        rest = rest.replace(clean_line(link.text_content()), "", 1)
    if not LINK_SEPARATORS.fullmatch(rest):
        return None
    return "|".join(_key(link.text_content()) for link in links)


def _drop_menus(tree, menus):
    if not menus:
        return
    for element in list(tree.iter(*LINK_ROWS)):
        if element.getparent() is not None and _link_row(element) in menus:
            _drop(element)


def _trim_link_rows(markdown):
    # A row of links opening or closing the text is the page's menu; one
    # inside it may be the writer's own (see shared_across for menus there).
    blocks = markdown.split("\n\n")
    while len(blocks) > 1 and _is_markdown_link_row(blocks[0]):
        blocks.pop(0)
    while len(blocks) > 1 and (_is_markdown_link_row(blocks[-1]) or blocks[-1] in ("---", "***")):
        blocks.pop()
    return "\n\n".join(blocks)


def _is_markdown_link_row(block):
    if LIST_ITEM.search(block):
        return False  # a list of readings is the writer's, even at the end
    rest, links = MARKDOWN_LINK.subn("", block)
    return links >= 2 and bool(LINK_SEPARATORS.fullmatch(clean_line(rest)))


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


def _drop(element):
    # Removes an element but keeps the text that follows it.
    if isinstance(element, lxml.html.HtmlElement):
        element.drop_tree()
    else:
        parent = element.getparent()
        if parent is not None:
            tail = element.tail
            previous = element.getprevious()
            if tail:
                if previous is not None:
                    previous.tail = (previous.tail or "") + tail
                else:
                    parent.text = (parent.text or "") + tail
            parent.remove(element)


def _unwrap_layout_tables(tree):
    # A table used for page layout holds blocks (paragraphs, headings, other
    # tables, or text parted by <br><br>) in its cells, or a menu; a data
    # table holds words. Layout tables become divs, so readability weighs the
    # content cell against the others; a menu cell beside text is dropped.
    for table in reversed(list(tree.iter("table"))):
        cells = table.xpath("./tr/td|./tbody/tr/td|./thead/tr/td")
        menus = [cell for cell in cells if _is_menu_cell(cell)]
        if not (menus or any(_holds_blocks(cell) for cell in cells) or _is_menu_grid(table)):
            continue
        for element in [table, *_own_parts(table)]:
            element.tag = "div"
            for attribute in list(element.attrib):
                if attribute not in ("id", "class"):
                    del element.attrib[attribute]
        texts = [cell for cell in cells if cell not in menus and clean_line(cell.text_content())]
        if texts:
            for cell in menus:
                _drop(cell)


def _own_parts(table):
    # Rows and cells of this table, not of a data table nested in a cell.
    for child in table:
        if child.tag in ("tbody", "thead", "tfoot", "tr", "td", "th"):
            yield child
            yield from _own_parts(child)


def _holds_blocks(cell):
    return any(
        child.tag in BLOCKS or _paragraph_break(child) for child in cell.iter() if child is not cell
    )


def _paragraph_break(element):
    # <br><br>: how hand-written pages ended a paragraph.
    following = element.getnext()
    return (
        element.tag == "br"
        and following is not None
        and following.tag == "br"
        and not clean_line(element.tail)
    )


def _is_menu_grid(table):
    # A table whose cells are all single links: a menu bar.
    cells = table.xpath(".//td")
    return bool(cells) and all(
        len(cell.xpath(".//a")) == 1 and clean_line(cell.text_content()) for cell in cells
    )


def _is_menu_cell(cell):
    # Links one under the other (<br>, list items) or in a row ("a | b"),
    # with little else: a menu, not a paragraph that cites a few pages.
    links = cell.xpath(".//a[@href]")
    text = clean_line(cell.text_content())
    if len(links) < 3 or not text:
        return False
    link_text = sum(len(clean_line(link.text_content())) for link in links)
    separators = len(cell.xpath(".//br|.//li")) + len(re.findall(r"[|·•]", text))
    return link_text * 2 > len(text) and separators >= len(links) - 1


def _wrap_loose_lines(tree):
    """
    Old pages wrote paragraphs as loose text ended by <br><br>, often beside
    real <p>s. Readability makes a paragraph of each loose run of text in a
    div that holds blocks, so a sentence broke at each link or italic in it:
    each run of text and inline tags between two blocks or two <br>s becomes
    one <p> first.
    """
    for div in list(tree.iter("div")):
        if not any(child.tag in BREAKS or _paragraph_break(child) for child in div):
            continue
        parts, paragraph = [], _new_paragraph(div.text)
        div.text = None
        for child in list(div):
            div.remove(child)  # its tail goes with it
            if child.tag in BREAKS:
                tail, child.tail = child.tail, None
                parts += [paragraph, child]
                paragraph = _new_paragraph(tail)
            elif child.tag == "br" and len(paragraph) and _ends_line(paragraph[-1]):
                paragraph.remove(paragraph[-1])
                parts.append(paragraph)
                paragraph = _new_paragraph(child.tail)
            else:
                paragraph.append(child)
        parts.append(paragraph)
        for part in parts:
            if part.get("data-loose") is None:
                div.append(part)
            elif clean_line(part.text_content()) or part.find(".//img") is not None:
                del part.attrib["data-loose"]
                while len(part) and part[-1].tag == "br" and not clean_line(part[-1].tail):
                    part.remove(part[-1])
                div.append(part)


def _new_paragraph(text):
    paragraph = lxml.html.Element("p", {"data-loose": ""})
    paragraph.text = text
    return paragraph


def _ends_line(element):
    return element.tag == "br" and not clean_line(element.tail)


def _take_footnotes(tree):
    """
    Old pages link a number in the text (<a href="#n1"><sup>1</sup></a>) to a
    note further down (<p><a name="n1">1</a>. The note.</p>). Each such pair
    becomes [^n] in the text and a definition at the end; anything less
    certain is left as an ordinary link.
    """
    targets = {}
    for element in tree.iter():
        for attribute in ("id", "name"):
            if isinstance(element.tag, str) and element.get(attribute):
                targets.setdefault(element.get(attribute), element)
    _split_note_lines(
        targets.get((link.get("href") or "#")[1:])
        for link in tree.iter("a")
        if NOTE_NUMBER.match(clean_line(link.text_content()))
    )
    order = {element: index for index, element in enumerate(tree.iter())}
    notes, seen = [], {}
    for link in list(tree.iter("a")):
        href = link.get("href") or ""
        if not href.startswith("#") or not NOTE_NUMBER.match(clean_line(link.text_content())):
            continue
        target = targets.get(href[1:])
        block = _note_block(target)
        if block is None or order.get(target, -1) < order.get(link, 0) or link in block.iter():
            continue
        if block not in seen:
            text = _note_text(block, target, link)
            if not text:
                continue
            seen[block] = len(notes) + 1
            notes.append((seen[block], text))
        marker = link.getparent() if _only_child_of_sup(link) else link
        _replace_with_text(marker, f"[^{seen[block]}]")
    for block in seen:
        _drop_note_heading(block)
        _drop_note_block(block)
    return notes


def _split_note_lines(targets):
    """
    <p>Notes<br><a name="n1"></a>[1] One.<br><a name="n2"></a>[2] Two.</p>:
    notes written as lines of one paragraph. Each line from a note's anchor
    to the next becomes a paragraph of its own, so each is a note.
    """
    by_block = {}
    for target in targets:
        block = _note_block(target)
        if block is not None and block.tag in ("p", "div", "td", "dd"):
            top = target
            while top.getparent() is not block:
                top = top.getparent()
            by_block.setdefault(block, []).append(top)
    for block, tops in by_block.items():
        tops = set(tops)
        starts = [child for child in block if child in tops]
        if len(starts) < 2:
            continue
        lines, line = [], _new_line(block.text)
        block.text = None
        for child in list(block):
            if child in starts:
                lines.append(line)
                line = _new_line(None)
            line.append(child)  # its tail goes with it
        lines.append(line)
        for line in reversed(lines):
            while len(line) and line[-1].tag == "br" and not clean_line(line[-1].tail):
                line.remove(line[-1])
            if clean_line(line.text_content()) or len(line):
                block.addnext(line)
        block.drop_tree()


def _new_line(text):
    line = lxml.html.Element("p")
    line.text = text
    return line


def _drop_note_heading(block):
    # "Notes" over the notes once they have moved: a heading, or a paragraph
    # in bold, just before the first note.
    previous = block.getprevious()
    if (
        previous is not None
        and previous.tag in ("p", "h2", "h3", "h4", "h5", "h6", "div", "b", "strong", "font")
        and NOTE_HEADING.match(_key(previous.text_content()))
    ):
        _drop(previous)


def _note_block(target):
    element = target
    while element is not None and element.tag not in ("p", "li", "dd", "div", "td"):
        element = element.getparent()
    return element


def _only_child_of_sup(link):
    parent = link.getparent()
    return (
        parent is not None
        and parent.tag == "sup"
        and len(parent) == 1
        and not clean_line(parent.text)
        and not clean_line(link.tail)
    )


def _note_text(block, target, reference):
    # The note's own number and its link back to the text are not part of it.
    back = {f"#{reference.get(a)}" for a in ("id", "name") if reference.get(a)}
    for link in list(block.iter("a")):
        if link is target or link.get("href") in back:
            if (
                link is target
                and clean_line(link.text_content())
                and not NOTE_NUMBER.match(clean_line(link.text_content()))
            ):
                continue  # the anchor wraps the note's words: keep them
            _replace_with_text(link, "")
    markdown = _tidy(_to_markdown(lxml.html.tostring(block, encoding="unicode")))
    markdown = re.sub(r"^\s*(\[?\(?\d{1,3}(?!\d)\)?\]?)?\s*[.):–-]?\s*", "", markdown, count=1)
    markdown = re.sub(r"\s*\[?(↩|\^|back|top)\]?(\(#[^)]*\))?\s*$", "", markdown, flags=re.I)
    return " ".join(line.strip() for line in markdown.splitlines() if line.strip())


def _drop_note_block(block):
    parent = block.getparent()
    block.drop_tree()
    if parent is not None and parent.tag in ("ol", "ul") and not len(parent):
        parent.drop_tree()


def _replace_with_text(element, text):
    tail = element.tail or ""
    element.tail = None
    previous = element.getprevious()
    parent = element.getparent()
    # A note marker sits against the word it follows.
    if previous is not None:
        before = previous.tail or ""
        previous.tail = (before.rstrip() if text else before) + text + tail
    else:
        before = parent.text or ""
        parent.text = (before.rstrip() if text else before) + text + tail
    parent.remove(element)


def _tidy(markdown):
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    # A rule or a "Notes" heading left at the end once the notes moved out.
    while True:
        trimmed = re.sub(r"(\n|^)(---|\*\*\*|#+ [^\n]*)\s*$", "", text).strip()
        last = text.rsplit("\n", 1)[-1].lstrip("# ").strip()
        if trimmed == text or not (text.endswith(("---", "***")) or NOTE_HEADING.match(last)):
            return text
        text = trimmed
