"""
Hand-made footnotes in old pages: a numbered link to a note further down
becomes a Markdown footnote.
"""

import re

import lxml.html

from .html_markdown import NOTE_HEADING, tidy, to_markdown
from .html_tree import drop, key
from .parsed import clean_line

NOTE_NUMBER = re.compile(r"^\[?\(?(\d{1,3}|[*†‡]|[ivx]{1,4})\)?\]?$")


def take_footnotes(tree):
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
        and NOTE_HEADING.match(key(previous.text_content()))
    ):
        drop(previous)


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
    markdown = tidy(to_markdown(lxml.html.tostring(block, encoding="unicode")))
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
