"""
How pages made before CSS laid out their text, made plain before readability
scores it: layout tables, loose lines ended by <br><br>, menus and rows of
links, bold paragraphs as headings, old heading anchors, and tables that
indent a quotation.
"""

import re

import lxml.html

from .html_tree import drop, key
from .parsed import clean_line

BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "pre", "dl"}
# What ends a run of loose text in a div.
BREAKS = BLOCKS | {"div", "center", "hr", "form", "address", "figure", "li"}
# Elements that can hold a menu, and what may stand between its links.
LINK_ROWS = ("p", "div", "center", "td", "ul", "ol", "font", "span", "nav", "table")
LINK_SEPARATORS = re.compile(r"[\s|·•/\\\-–—:\[\]()]*")
MARKDOWN_LINK = re.compile(r"(?<!!)\[(?:\\.|[^\]\\])*\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")
LIST_ITEM = re.compile(r"^\s*([-*+]|\d+\.)\s", re.M)
HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ANCHOR_NAME = re.compile(r"[A-Za-z][\w.:-]*")


def bold_paragraphs_to_headings(tree):
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
            paragraph.insert(0, anchor)  # for keep_heading_anchors


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


def keep_heading_anchors(tree):
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


def indented_tables_to_quotations(tree):
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


def link_row(element):
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
    return "|".join(key(link.text_content()) for link in links)


def drop_menus(tree, menus):
    if not menus:
        return
    for element in list(tree.iter(*LINK_ROWS)):
        if element.getparent() is not None and link_row(element) in menus:
            drop(element)


def trim_link_rows(markdown):
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


def unwrap_layout_tables(tree):
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
                drop(cell)


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


def wrap_loose_lines(tree):
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
