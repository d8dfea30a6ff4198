"""
Plain text saved from a web page. Nothing marks what is a menu, a title, a
heading or a quotation, so this module reads the shape of the lines:

- the menu is the run of short lines at the top, recognised by the words in
  it (section titles, the usual navigation words, and lines that open other
  pages of the same batch); the first line after it is the title;
- a short line standing alone without final punctuation is a heading;
- an indented block, or a paragraph introduced by a sentence ending in a
  colon, is a quotation;
- [1]-style markers become footnotes only when a notes list at the end
  defines every one of them.
"""

import re
from dataclasses import dataclass

from .parsed import Parsed, clean_line, looks_like_date, parse_date

NAV_WORDS = {
    "home", "home page", "welcome", "index", "contents", "contact", "contact me", "links",
    "sitemap", "site map", "search", "feedback", "about", "about me", "menu", "top",
    "back", "back to top", "top of page", "next", "previous", "next page", "previous page",
    "skip to content", "print", "email", "guestbook", "news", "what's new",
}  # fmt: skip
MENU_SEPARATORS = re.compile(r"\s*(?:\||·|•|::|\u2022)\s*")
FOOTER_LINE = re.compile(
    r"^(©|\(c\)|copyright\b|last (updated|modified)\b|all rights reserved)", re.I
)
MAX_SHORT_WORDS = 6
MAX_HEADING_WORDS = 12
FINAL_PUNCTUATION = tuple(".,;:!?…")
OPENING_QUOTES = tuple("\"“‘'«„")
LIST_ITEM = re.compile(r"^\s*(?:[-*•·–]|\d{1,3}[.)])\s+")
NOTES_HEADING = re.compile(r"^(foot)?notes?:?$|^references:?$|^sources:?$", re.I)
NOTE_ENTRY = re.compile(r"^\s*\[(\d{1,3})\]\s*(.*)$|^\s*(\d{1,3})[.)]\s+(.*)$")
NOTE_MARKER = re.compile(r"(?<=\S)\[(\d{1,3})\]")
BYLINE = re.compile(r"^by\s+(.+)$", re.I)


@dataclass
class Block:
    lines: list  # with their indentation

    @property
    def text(self):
        return " ".join(line.strip() for line in self.lines)

    @property
    def indented(self):
        return all(line.startswith(("  ", "\t")) for line in self.lines)


def parse(text, *, fallback_title, menu_lines=frozenset()):
    """menu_lines: lower-cased lines known to be navigation (section titles...)."""
    warnings = []
    lines = [line.replace("\xa0", " ").expandtabs(4).rstrip() for line in text.splitlines()]
    lines = _drop_menu_at_end(lines, menu_lines)
    header, rest = _split_header(lines)
    menu_end = _menu_end(header, menu_lines)
    title, author, date, unread_date = "", "", None, ""
    kept = []
    for index, (line, starts_block) in enumerate(header[menu_end:]):
        byline = BYLINE.match(line.strip())
        if not title:
            title = line.strip()
        elif byline and not author:
            author = byline.group(1).strip()
        elif (
            date is None
            and not unread_date
            and (looks_like_date(line) or (len(line.split()) <= 4 and parse_date(line.strip())))
        ):
            date = parse_date(line.strip())
            if date is None:
                # Written as a date but not one (31/02/2005): not a heading either.
                unread_date = line.strip()
                warnings.append(f"the date line '{unread_date}' could not be read: no date taken")
        else:
            kept.append((line, starts_block or index == 0))
    if menu_end:
        warnings.append(f"dropped a menu of {menu_end} lines at the top")
    if not title:
        title = fallback_title
        warnings.append("no title line found: named after the file")

    blocks = _blocks(kept, rest)
    blocks, notes = _take_notes(blocks)
    body = _write(blocks, notes)
    return Parsed(
        title=title, body=body, format="text", author=author, date=date, warnings=warnings
    )


def is_short(line):
    words = line.split()
    return 0 < len(words) <= MAX_SHORT_WORDS and not line.strip().endswith(FINAL_PUNCTUATION)


def is_menu_line(line, menu_lines):
    key = clean_line(line).lower().strip("[]<>»«|·•-– ")
    if key in NAV_WORDS or key in menu_lines:
        return True
    parts = [p for p in MENU_SEPARATORS.split(clean_line(line)) if p]
    return len(parts) >= 3 and all(len(p.split()) <= 4 for p in parts)


def _split_header(lines):
    """The short lines before the first real paragraph, each marked if a blank line precedes it."""
    header, blank_before = [], True
    for index, line in enumerate(lines):
        if not line.strip():
            blank_before = True
            continue
        if not is_short(line) or LIST_ITEM.match(line) or line.startswith(("  ", "\t")):
            return header, lines[index:]
        header.append((line.strip(), blank_before))
        blank_before = False
    return header, []


def _menu_end(header, menu_lines):
    recognised = [i for i, (line, _) in enumerate(header) if is_menu_line(line, menu_lines)]
    if recognised:
        return recognised[-1] + 1
    # Nothing recognised: a first block of three or more short lines with no
    # blank line between them is still a menu, and the title starts the next block.
    first_block = 1
    while first_block < len(header) and not header[first_block][1]:
        first_block += 1
    if first_block >= 3 and first_block < len(header):
        return first_block
    return 0


def _drop_menu_at_end(lines, menu_lines):
    end = len(lines)
    while end and (
        not lines[end - 1].strip()
        or (is_short(lines[end - 1]) and is_menu_line(lines[end - 1], menu_lines))
        or FOOTER_LINE.match(lines[end - 1].strip())
    ):
        end -= 1
    return lines[:end]


def _blocks(header_lines, rest):
    blocks = []
    for line, starts_block in header_lines:
        if starts_block or not blocks:
            blocks.append(Block([line]))
        else:
            blocks[-1].lines.append(line)
    current = None
    for line in rest:
        if not line.strip():
            current = None
            continue
        if current is None or _stands_alone(current.lines[-1], line):
            current = Block([])
            blocks.append(current)
        current.lines.append(line)
    return blocks


def _stands_alone(previous, line):
    """Whether previous ends a block though no blank line follows it: a
    heading, "Notes", or a sentence ending in a colon that opens a quotation."""
    if previous.startswith(("  ", "\t")) or LIST_ITEM.match(previous):
        return False
    first = previous.strip()
    if NOTES_HEADING.match(first):
        return True
    if first.endswith(":"):
        return line.strip()[:1].isupper() or line.strip().startswith(OPENING_QUOTES)
    # A line of a paragraph wrapped by hand is about as long as the next one;
    # a heading is much shorter than the paragraph or list under it.
    return _is_heading(first) and (
        LIST_ITEM.match(line) is not None or len(first) < 0.6 * len(line.strip())
    )


def _take_notes(blocks):
    """Footnotes, only when every [n] in the text has a note n at the end."""
    start = None
    for index in range(len(blocks) - 1, -1, -1):
        if len(blocks[index].lines) == 1 and NOTES_HEADING.match(blocks[index].text):
            start = index
            break
    if start is None:
        return blocks, {}
    notes, number = {}, None
    for block in blocks[start + 1 :]:
        for line in block.lines:
            entry = NOTE_ENTRY.match(line)
            if entry:
                number = int(entry.group(1) or entry.group(3))
                notes[number] = (entry.group(2) or entry.group(4)).strip()
            elif number is not None:
                notes[number] += " " + line.strip()
            else:
                return blocks, {}
    used = {int(n) for block in blocks[:start] for n in NOTE_MARKER.findall(block.text)}
    if not notes or not used or not used <= set(notes):
        return blocks, {}
    return blocks[:start], notes


def _write(blocks, notes):
    out, previous, quoting_indented = [], None, False
    for block in blocks:
        text = block.text
        if LIST_ITEM.match(block.lines[0]) and all(
            LIST_ITEM.match(line) or line.startswith(" ") for line in block.lines
        ):
            out.append(_list(block, notes))
        elif len(block.lines) == 1 and _is_heading(text) and not block.indented:
            out.append("## " + _escape(text, notes))
        elif block.indented or _introduced_quotation(previous, text) or _set_quotation(text):
            quoted = "> " + _escape(text, notes)
            if block.indented and quoting_indented:
                # An indented passage over several blocks is one quotation.
                out[-1] += "\n>\n" + quoted
            else:
                out.append(quoted)
            quoting_indented = block.indented
            previous = text
            continue
        else:
            out.append(_escape(text, notes))
        previous, quoting_indented = text, False
    body = "\n\n".join(part for part in out if part)
    if notes:
        body += "\n\n" + "\n".join(
            f"[^{n}]: {_escape(clean_line(note), {})}" for n, note in sorted(notes.items())
        )
    return body.strip() + "\n"


def _is_heading(text):
    # "...recover.[1]": a sentence with its note marker is no heading.
    text = re.sub(r"(\[\d{1,3}\])+$", "", text).rstrip() or text
    words = text.split()
    return (
        0 < len(words) <= MAX_HEADING_WORDS
        and len(text) <= 90
        and not text.endswith(FINAL_PUNCTUATION)
        and not text[0].islower()
        and not text.startswith(OPENING_QUOTES)
        and not re.fullmatch(r"[\d\W]+", text)
    )


def _introduced_quotation(previous, text):
    return (
        bool(previous)
        and previous.endswith(":")
        and (text.startswith(OPENING_QUOTES) or len(text.split()) >= 15)
    )


def _set_quotation(text):
    # A whole long paragraph in quotation marks, perhaps with its source after it.
    return (
        text.startswith(OPENING_QUOTES)
        and len(text.split()) >= 40
        and re.search(r"[\"”’'»](\s*\([^)]{1,80}\))?\.?$", text) is not None
    )


def _list(block, notes):
    items = []
    for line in block.lines:
        marker = LIST_ITEM.match(line)
        if marker:
            bullet = marker.group(0).strip()
            bullet = bullet if bullet[0].isdigit() else "-"
            items.append(f"{bullet} {_escape(line[marker.end() :].strip(), notes)}")
        elif items:
            items[-1] += " " + _escape(line.strip(), notes)
    return "\n".join(items)


def _escape(text, notes):
    """Plain text as Markdown that shows exactly those characters."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*_`])", r"\\\1", text)
    text = re.sub(r"&(?=#?\w+;)", "&amp;", text).replace("<", "&lt;")
    text = re.sub(r"\[(?=\^)", r"\\[", text)
    text = re.sub(r"^(#|>|[-+](?=\s))", r"\\\1", text)
    text = re.sub(r"^(\d+)([.)]\s)", r"\1\\\2", text)
    if notes:
        text = NOTE_MARKER.sub(
            lambda m: f"[^{m.group(1)}]" if int(m.group(1)) in notes else m.group(0), text
        )
    return text
