"""
The rules that make markdown-it-py give the HTML the site had from
Python-Markdown (extra, sane_lists, smarty, toc): its smart punctuation,
footnote numbering and layout, heading ids and table of contents, list
looseness, abbreviations, attribute lists and markdown="1" blocks.
sergesite.markup builds the parser from build_parser() and is the only
module that uses this one.
"""

import collections
import html
import re

from django.utils.text import slugify
from markdown_it import MarkdownIt
from markdown_it.rules_block import html_block, list_block
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin


def _slugify_heading(value):
    return slugify(value, allow_unicode=True) or "section"


# --- Smart punctuation by the rules of Python-Markdown's smarty extension.
# It runs each pattern in turn over each run of text between two elements,
# hiding every replacement (and raw HTML, escapes, entities) behind a
# placeholder that later patterns cannot read; the patterns' lookarounds
# depend on that, so the placeholders are kept here too.

_PUNCT = r"""[!"#\$\%'()*+,-.\/:;<=>?\@\[\\\]\^_`{|}~]"""
_OPENING = r"(\s|&nbsp;|--|–|—|&[mn]dash;|&#8211;|&#8212;)"
# What the character before a match must be (True) or must not be (False);
# checked by hand rather than with a lookbehind, which would make the regex
# engine try every position of the text.
_CLOSE = (re.compile(r"[^ \t\r\n\[\{\(\-\x02\x03]"), True)
_NOT_DASH = (re.compile(r"-"), False)
_NOT_WORD = (re.compile(r"\w"), False)
_NOT_DOT = (re.compile(r"\."), False)
# (character before, pattern, what replaces the match: group numbers or text,
# a string every match contains, so a pattern is only tried on text that has it)
_SMARTY = [
    (before, re.compile(pattern), parts, needle)
    for before, pattern, parts, needle in [
        (_NOT_DASH, r"---(?!-)", ("—",), "---"),
        (_NOT_DASH, r"--(?!-)", ("–",), "--"),
        (None, rf"^'(?={_PUNCT}\B)", ("’",), "'"),
        (None, rf'^"(?={_PUNCT}\B)', ("”",), '"'),
        (None, r""""'(?=\w)""", ("“‘",), "\"'"),
        (None, r"""'"(?=\w)""", ("‘“",), "'\""),
        (_CLOSE, r"'\"", ("’”",), "'\""),
        (_CLOSE, r"\"'", ("”’",), "\"'"),
        (_NOT_WORD, r"'(?=\d{2}s)", ("’",), "'"),
        (None, _OPENING + r"'(?=\w)", (1, "‘"), "'"),
        (_CLOSE, r"'(?!\s|s\b|\d)", ("’",), "'"),
        (None, r"'(\s|s\b)", ("’", 1), "'"),
        (None, r"'", ("‘",), "'"),
        (None, _OPENING + r'"(?=\w)', (1, "“"), '"'),
        (None, r'"(?=\s)', ("”",), '"'),
        (_CLOSE, r'"', ("”",), '"'),
        (None, r'"', ("“",), '"'),
        (_NOT_DOT, r"\.{3}(?!\.)", ("…",), "..."),
    ]
]
_PLACEHOLDER = re.compile("\x02(.)\x03", re.S)
_PLACEHOLDER_BASE = 0xF0000  # a private-use plane: never in the text itself


def _fits_before(before, text, start, after):
    if before is None:
        return True
    character, wanted = before
    if start == after:
        # Straight after a replacement the character before is its
        # placeholder, which no class here contains.
        return not wanted
    found = start > 0 and character.match(text, start - 1) is not None
    return found == wanted


def _educate(text, stash):
    for before, regex, parts, needle in _SMARTY:
        if needle not in text:
            continue
        pieces, last, position, after = [], 0, 0, -1
        while (match := regex.search(text, position)) is not None:
            start, end = match.span()
            if not _fits_before(before, text, start, after):
                position = start + 1
                continue
            stash.append("".join(match.group(p) if isinstance(p, int) else p for p in parts))
            pieces += (text[last:start], f"\x02{chr(_PLACEHOLDER_BASE + len(stash) - 1)}\x03")
            last = position = after = end
        if pieces:
            pieces.append(text[last:])
            text = "".join(pieces)
    return text


_TEXT_RUN = {"text", "text_special", "softbreak", "html_inline"}
_SMART = re.compile(r"""['"]|--|\.\.\.""")


def _text_runs(children):
    """(start, end) of each run of tokens Python-Markdown saw as one text node."""
    start, in_autolink = None, False
    for index, token in enumerate([*children, None]):
        if token is not None and token.type in _TEXT_RUN:
            start = index if start is None else start
            continue
        # An autolink's text is the address itself: never educated.
        if start is not None and not in_autolink:
            yield start, index
        start = None
        if token is not None and token.type == "link_open":
            in_autolink = token.markup == "autolink"
        elif token is not None and token.type == "link_close":
            in_autolink = False


def _smarty_rule(state):
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, rebuilt, done = block.children, [], 0
        for start, end in _text_runs(children):
            run = children[start:end]
            if not any(t.type == "text" and _SMART.search(t.content) for t in run):
                continue
            rebuilt += children[done:start]
            rebuilt += _educate_run(run)
            done = end
        if done:
            block.children = rebuilt + children[done:]


def _educate_run(run):
    stash, parts = [], []
    for token in run:
        if token.type == "text":
            parts.append(token.content)
        elif token.type == "softbreak":
            parts.append("\n")
        else:
            stash.append(token)
            parts.append(f"\x02{chr(_PLACEHOLDER_BASE + len(stash) - 1)}\x03")
    text = _educate("".join(parts), stash)
    tokens, buffer = [], []

    def flush():
        for index, line in enumerate("".join(buffer).split("\n")):
            if index:
                tokens.append(Token("softbreak", "br", 0))
            if line:
                tokens.append(_text_token(line))
        buffer.clear()

    position = 0
    for match in _PLACEHOLDER.finditer(text):
        buffer.append(text[position : match.start()])
        item = stash[ord(match.group(1)) - _PLACEHOLDER_BASE]
        if isinstance(item, str):
            buffer.append(item)
        else:
            flush()
            tokens.append(item)
        position = match.end()
    buffer.append(text[position:])
    flush()
    return tokens


# --- Footnotes, numbered and laid out as Python-Markdown does: in the order
# they are defined (unused ones included), "fn:label" and "fnref:label" ids,
# one back-link per reference at the end of the note's last paragraph.


def _footnotes_rule(state):
    definitions, kept, inside = {}, [], None
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            inside, label = [], token.meta["label"]
        elif token.type == "footnote_reference_close":
            definitions[label] = inside  # a second definition replaces the first, in place
            inside = None
        elif inside is not None:
            inside.append(token)
        else:
            kept.append(token)
    if not definitions:
        return
    numbers = {label: number for number, label in enumerate(definitions, start=1)}
    used = {
        item["label"]: item["count"]
        for item in state.env.get("footnotes", {}).get("list", {}).values()
        if "label" in item
    }
    state.env["footnote_numbers"] = numbers
    kept.append(Token("footnote_block_open", "", 1))
    for label, body in definitions.items():
        opening = Token("footnote_open", "", 1)
        opening.meta = {"label": label}
        kept.append(opening)
        if body:
            backlinks = Token("footnote_anchor", "", 0)
            backlinks.meta = {"label": label, "count": max(used.get(label, 0), 1)}
            if body[-1].type == "paragraph_close":
                kept += body[:-1] + [backlinks, body[-1]]
            else:
                kept += body
                backlinks.meta["paragraph"] = True
                kept.append(backlinks)
        kept.append(Token("footnote_close", "", -1))
    kept.append(Token("footnote_block_close", "", -1))
    state.tokens = kept
    # The second reference to a note is "fnref2": second in the order
    # Python-Markdown reached the text, not in the order of the page.
    counts = {}
    for inline in _python_markdown_text_order(kept):
        for child in inline.children or ():
            if child.type == "footnote_ref":
                label = child.meta["label"]
                child.meta["subId"] = counts.get(label, 0)
                counts[label] = child.meta["subId"] + 1


# Python-Markdown had one element more around these: the scrolling box
# around a table, the <ol> inside the footnotes block.
_WRAPPED = {"table_open", "footnote_block_open"}


def _python_markdown_text_order(tokens):
    """
    The inline tokens in the order Python-Markdown processed their text:
    breadth first, level by level of the element tree, each level in page
    order.
    """
    root = {"texts": [], "inside": []}
    path = [root]
    for token in tokens:
        if token.type == "inline":
            path[-1]["texts"].append(token)
        elif token.nesting == 1 and not token.hidden:
            for _ in range(2 if token.type in _WRAPPED else 1):
                node = {"texts": [], "inside": []}
                path[-1]["inside"].append(node)
                path.append(node)
        elif token.nesting == -1 and not token.hidden:
            del path[-(2 if token.type.replace("close", "open") in _WRAPPED else 1) :]
    order, queue = [], collections.deque([root])
    while queue:
        for node in queue.popleft()["inside"]:
            order += node["texts"]
            if node["inside"]:
                queue.append(node)
    return order


def _footnote_ref(self, tokens, index, options, env):
    meta = tokens[index].meta
    label = html.escape(meta["label"])
    number = env["footnote_numbers"][meta["label"]]
    suffix = str(meta["subId"] + 1) if meta["subId"] else ""
    return (
        f'<sup id="fnref{suffix}:{label}">'
        f'<a class="footnote-ref" href="#fn:{label}">{number}</a></sup>'
    )


def _footnote_anchor(self, tokens, index, options, env):
    meta = tokens[index].meta
    label = html.escape(meta["label"])
    number = env["footnote_numbers"][meta["label"]]
    links = "".join(
        f'<a class="footnote-backref" href="#fnref{n if n > 1 else ""}:{label}"'
        f' title="Jump back to footnote {number} in the text">&#8617;</a>'
        for n in range(1, meta["count"] + 1)
    )
    if meta.get("paragraph"):
        return f"<p>{links}</p>\n"
    return "&#160;" + links


_RENDER_RULES = {
    "footnote_ref": _footnote_ref,
    "footnote_anchor": _footnote_anchor,
    "footnote_block_open": lambda *args: '<div class="footnote">\n<hr>\n<ol>\n',
    "footnote_block_close": lambda *args: "</ol>\n</div>\n",
    "footnote_open": lambda self, tokens, index, options, env: (
        f'<li id="fn:{html.escape(tokens[index].meta["label"])}">\n'
    ),
    "footnote_close": lambda *args: "</li>\n",
    "table_open": lambda *args: '<div class="table-scroll" tabindex="0">\n<table>\n',
    "table_close": lambda *args: "</table>\n</div>\n",
}


# --- Headings: h1 demoted to h2, ids from their text, the table of contents.

_TAG = re.compile(r"""<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>""", re.S)
_NUMBERED = re.compile(r"^(.*)_([0-9]+)$")


def _unique(anchor, used, taken_up_to):
    # Python-Markdown's toc: a taken (or empty) id gets "_1", "_2"...
    # taken_up_to remembers, per base, up to which suffix all are taken, so
    # a heading repeated a thousand times does not count from 1 each time.
    if anchor in used or not anchor:
        numbered = _NUMBERED.match(anchor)
        base, count = (numbered[1], int(numbered[2])) if numbered else (anchor, 0)
        known = taken_up_to.get(base, 0)
        start = count = max(count, known) + 1
        while f"{base}_{count}" in used:
            count += 1
        if start == known + 1:
            taken_up_to[base] = count
        anchor = f"{base}_{count}"
    used.add(anchor)
    return anchor


def _headings_rule(state):
    # Ids given in attribute lists are kept, and taken before any is made.
    used = {token.attrGet("id") for token in state.tokens if token.attrGet("id")}
    renderer, options, flat, taken_up_to = state.md.renderer, state.md.options, [], {}
    for index, token in enumerate(state.tokens):
        if token.type not in ("heading_open", "heading_close"):
            continue
        if token.tag == "h1":
            token.tag = "h2"
        if token.type == "heading_close":
            continue
        children = [c for c in state.tokens[index + 1].children or () if c.type != "footnote_ref"]
        inner = renderer.renderInline(children, options, state.env)
        name = " ".join(_TAG.sub("", inner).split())
        anchor = token.attrGet("id") or _unique(
            _slugify_heading(html.unescape(name)), used, taken_up_to
        )
        token.attrSet("id", anchor)
        flat.append({"id": anchor, "name": name, "level": int(token.tag[1])})
    state.env["toc"] = flat


def nest(flat):
    """Headings as a tree: each under the nearest earlier heading of a higher level."""
    top, parents, levels, last = [], [], [], None
    for item in flat:
        item = {**item, "children": []}
        level = item["level"]
        if last is None:
            levels = [level]
            top.append(item)
        else:
            if level < levels[-1]:
                levels.pop()
                while parents and level <= parents[-1]["level"]:
                    parents.pop()
                    levels.pop()
                levels.append(level)
            if level == levels[-1]:
                (parents[-1]["children"] if parents else top).append(item)
            else:
                last["children"].append(item)
                parents.append(last)
                levels.append(level)
        last = item
    return top


def _image(self, tokens, index, options, env):
    token = tokens[index]
    attributes = {"alt": token.content, "src": token.attrGet("src")}
    if token.attrGet("title") is not None:
        attributes["title"] = token.attrGet("title")
    return "<img" + "".join(f' {k}="{html.escape(str(v))}"' for k, v in attributes.items()) + ">"


_RENDER_RULES["image"] = _image


def _after_item_text(self, tokens, index, options, env):
    # In a tight list item, Python-Markdown put a nested list or quotation
    # straight after the item's text, without a line break.
    html_text = self.renderToken(tokens, index, options, env)
    previous = tokens[index - 1] if index else None
    if previous is not None and previous.hidden and previous.type == "paragraph_close":
        return html_text.removeprefix("\n")
    return html_text


for _name in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
    _RENDER_RULES[_name] = _after_item_text
# Python-Markdown strips all the space around a code span's text.
_RENDER_RULES["code_inline"] = lambda self, tokens, index, options, env: (
    f"<code>{html.escape(tokens[index].content.strip(), quote=False)}</code>"
)
_RENDER_RULES["abbreviation"] = lambda self, tokens, index, options, env: (
    f'<abbr title="{html.escape(tokens[index].meta["title"])}">'
    f"{html.escape(tokens[index].content, quote=False)}</abbr>"
)


# --- "#" headings as Python-Markdown reads them: a line that starts with
# one to six "#", with or without a space after them, even inside a
# paragraph; closing "#"s are dropped only at the very end of the line.

_HASH_HEADING = re.compile(r"(#{1,6})((?:\\.|[^\\])*?)#*$")


def _hash_heading_rule(state, start, end, silent):
    if state.sCount[start] != state.blkIndent:
        return False
    found = _HASH_HEADING.match(_line(state, start))
    if not found:
        return False
    if silent:
        return True
    state.line = start + 1
    tag = f"h{len(found[1])}"
    token = state.push("heading_open", tag, 1)
    token.markup, token.map = found[1], [start, state.line]
    token = state.push("inline", "", 0)
    token.content, token.map, token.children = found[2].strip(), [start, state.line], []
    token = state.push("heading_close", tag, -1)
    token.markup = found[1]
    return True


# --- Lists: Python-Markdown wraps an item's text in <p> only when a blank
# line is next to the item (before it, after it, or inside it), where
# CommonMark wraps every item of a list that has a blank line anywhere.


def _is_blank(line):
    return not line.strip(" >")


def _item_spans(tokens, opening):
    """(index, first line, end line) of each item of the list opened at tokens[opening]."""
    level, spans = tokens[opening].level, []
    for index in range(opening + 1, len(tokens)):
        token = tokens[index]
        if token.level == level and token.nesting == -1:
            break
        if token.type == "list_item_open" and token.level == level + 1:
            spans.append((index, *token.map))
    return spans


_MERGED = {"blockquote_close": "blockquote_open", "bullet_list_close": "bullet_list_open"}
_MERGED["ordered_list_close"] = "ordered_list_open"


def _merge_neighbours_rule(state):
    # Two quotations, or two lists of one kind, with only blank lines between
    # them are one to Python-Markdown, whatever bullet each list uses.
    tokens, kept = state.tokens, []
    for token in tokens:
        previous = kept[-1] if kept else None
        if (
            previous is not None
            and _MERGED.get(previous.type) == token.type
            and previous.level == token.level
        ):
            kept.pop()
            continue
        kept.append(token)
    state.tokens = kept


def _list_looseness_rule(state):
    tokens, lines = state.tokens, state.src.split("\n")
    blank = [_is_blank(line) for line in lines]
    for opening, token in enumerate(tokens):
        if token.type not in ("bullet_list_open", "ordered_list_open"):
            continue
        spans = _item_spans(tokens, opening)
        for number, (index, first, end) in enumerate(spans):
            if number == len(spans) - 1:
                while end > first + 1 and blank[end - 1]:
                    end -= 1
            loose = bool(number and blank[first - 1]) or any(blank[first:end])
            level = tokens[index].level + 1
            for position in range(index + 1, len(tokens)):
                inner = tokens[position]
                if inner.type == "list_item_close" and inner.level == level - 1:
                    break
                if inner.level == level and inner.type in ("paragraph_open", "paragraph_close"):
                    inner.hidden = not loose


# --- Abbreviations: "*[HTML]: Hyper Text Markup Language" lines are taken
# out, and every whole-word HTML in the text becomes an <abbr> (not in code,
# not in an autolink, and before smart punctuation, which leaves it alone).

_ABBREVIATION = re.compile(r"[*]\[([^\\]*?)\][ ]?:[ ]*(.*)$")


def _abbreviation_rule(state, start, end, silent):
    begin = state.bMarks[start] + state.tShift[start]
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    found = _ABBREVIATION.match(state.src[begin : state.eMarks[start]])
    if not found:
        return False
    if silent:
        return True
    abbreviation, title, line = found[1].strip(), found[2].strip(), start + 1
    if not title and line < end and not state.isEmpty(line):
        # The title may be on the next line.
        title = state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]].strip()
        line += 1
    if not (abbreviation and title):
        return False
    known = state.env.setdefault("abbreviations", {})
    if title in ("''", '""'):
        known.pop(abbreviation, None)
    else:
        known[abbreviation] = title
    state.line = line
    return True


def _abbreviations_rule(state):
    known = state.env.get("abbreviations")
    if not known:
        return
    pattern = re.compile(
        r"\b(?:" + "|".join(re.escape(a) for a in sorted(known, key=len, reverse=True)) + r")\b"
    )
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children, in_autolink = [], False
        for token in block.children:
            if token.type == "link_open":
                in_autolink = token.markup == "autolink"
            elif token.type == "link_close":
                in_autolink = False
            if token.type != "text" or in_autolink or not pattern.search(token.content):
                children.append(token)
                continue
            position = 0
            for match in pattern.finditer(token.content):
                children.append(_text_token(token.content[position : match.start()]))
                abbreviation = Token("abbreviation", "abbr", 0)
                abbreviation.content, abbreviation.meta = match[0], {"title": known[match[0]]}
                children.append(abbreviation)
                position = match.end()
            children.append(_text_token(token.content[position:]))
        block.children = [token for token in children if token.type != "text" or token.content]


def _text_token(content):
    token = Token("text", "", 0)
    token.content = content
    return token


# --- Attribute lists at the end of a block: "## Heading {#its-id}", a last
# line "{: lang=fr }" under a paragraph. (Attribute lists after inline
# elements are not read.) nh3 keeps only id, title and lang of them.

_ATTRIBUTES = r"\{:?[ ]*([^\}\n ][^\n]*)\}"
_AT_LINE_END = re.compile(rf"[ ]+{_ATTRIBUTES}[ ]*$")
_ALONE_ON_LINE = re.compile(rf"^[ ]*{_ATTRIBUTES}[ ]*$")
_ATTRIBUTE = re.compile(r"""([^ =}]+)="(.*?)"|([^ =}]+)='(.*?)'|([^ =}]+)=([^ =}]+)|([^ =}]+)| """)
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z_][-\w.]*")
_ENDS_WITH_ATTRIBUTES = {"heading_open", "th_open", "td_open", "dt_open"}


def _parse_attributes(text):
    """[(name, value)] or None when the list does not parse (a stray "}")."""
    found, position = [], 0
    while position < len(text) and (match := _ATTRIBUTE.match(text, position)):
        position = match.end()
        key_value = [group for group in match.groups() if group is not None]
        if len(key_value) == 2:
            found.append(tuple(key_value))
        elif key_value:
            word = key_value[0]
            found.append(
                ("class", word[1:])
                if word[0] == "."
                else ("id", word[1:])
                if word[0] == "#"
                else (word, "")
            )
    return None if "}" in text[position:] else found


def _attribute_lists_rule(state):
    tokens = state.tokens
    for index, block in enumerate(tokens):
        if block.type != "inline" or not block.children or index == 0:
            continue
        opening, children = tokens[index - 1], block.children
        last = children[-1]
        if last.type != "text":
            continue
        if opening.type in _ENDS_WITH_ATTRIBUTES:
            match = _AT_LINE_END.search(last.content)
        elif (
            opening.type == "paragraph_open"
            and len(children) > 1
            and children[-2].type == "softbreak"
        ):
            match = _ALONE_ON_LINE.search(last.content)
        else:
            continue
        attributes = match and _parse_attributes(match[1])
        if attributes is None or not match:
            continue
        for name, value in attributes:
            if name == "class" and opening.attrGet("class"):
                value = f"{opening.attrGet('class')} {value}"
            if _ATTRIBUTE_NAME.fullmatch(name):
                opening.attrSet(name, value)
        last.content = last.content[: match.start()]
        if opening.type == "heading_open":
            last.content = last.content.rstrip("#").rstrip()
        if opening.type == "paragraph_open" and match.start() == 0:
            del children[-2:]


# --- Where a list may start: not inside a paragraph (Python-Markdown wants a
# blank line before a list, but takes a sibling or a deeper item), not from a
# marker alone on its line, not from "1)".

_BARE_OR_PAREN_MARKER = re.compile(r"(?:[*+-]|\d+\.)$|\d+\)")


def _list_rule(state, start, end, silent):
    if silent and state.parentType == "paragraph" and state.sCount[start] == state.blkIndent:
        return False
    if _BARE_OR_PAREN_MARKER.match(_line(state, start)):
        return False
    return list_block(state, start, end, silent)


# --- Line ends as Python-Markdown keeps them: two spaces before a line end
# make a <br> (any more stay in the text), one space stays, and so do the
# spaces that start the next line and those that end a paragraph.


def _newline_rule(state, silent):
    if state.src[state.pos] != "\n":
        return False
    if not silent:
        if state.pending.endswith("  "):
            state.pending = state.pending[:-2]
            state.push("hardbreak", "br", 0)
        else:
            state.push("softbreak", "br", 0)
    state.pos += 1
    return True


def _setext_rule(state):
    # An underlined heading is one line of text: with more above the
    # underline, Python-Markdown reads a paragraph, and the underline as a
    # rule when it is one ("---"), or else as text.
    lines, tokens, index = None, state.tokens, 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token.type != "heading_open" or token.markup not in ("=", "-") or not token.map:
            continue
        first, end = token.map
        if end - first <= 2:
            continue
        lines = lines or state.src.split("\n")
        underline, kind = lines[end - 1].strip(), token.markup
        for changed in (token, tokens[index + 1]):
            changed.type = changed.type.replace("heading", "paragraph")
            changed.tag, changed.markup = "p", ""
        if kind == "-" and len(underline.replace(" ", "")) >= 3:
            rule = Token("hr", "hr", 0)
            rule.map, rule.markup, rule.block = [end - 1, end], underline, True
            tokens.insert(index + 2, rule)
        else:
            tokens[index].content += "\n" + underline


def _paragraph_ends_rule(state):
    tokens, lines = state.tokens, None
    for index, token in enumerate(tokens):
        if token.type == "paragraph_open" and token.map:
            lines = lines or state.src.split("\n")
            last = lines[token.map[1] - 1]
            trailing = last[len(last.rstrip()) :]
            if trailing:
                tokens[index + 1].content += trailing


# --- Raw HTML: a block of it starts only where Python-Markdown started one,
# at a block-level tag or a comment; any other tag is inline HTML inside a
# paragraph, so nh3 leaves the same <p> around what it keeps.

_BLOCK_TAGS = (
    "address|article|aside|blockquote|body|canvas|center|colgroup|dd|details|div|dl|dt"
    "|fieldset|figcaption|figure|footer|form|group|h[1-6]|header|hgroup|hr|html|iframe"
    "|legend|li|main|map|math|menu|nav|noscript|object|ol|option|output|p|pre|progress"
    "|script|section|style|summary|table|tbody|td|textarea|tfoot|th|thead|tr|ul|video"
)
_BLOCK_START = re.compile(
    rf"</?(?:{_BLOCK_TAGS})(?=[\s/>]|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\[", re.I
)


_MARKDOWN_INSIDE_OPENING = re.compile(rf"<({_BLOCK_TAGS})(\s[^>]*)?>\s*$", re.I)
_MARKDOWN_ATTRIBUTE = re.compile(r"""\smarkdown(?:=(["']?)(?:1|block)\1)?(?=\s|/?$)""", re.I)


def _html_block(state, start, end, silent):
    begin = state.bMarks[start] + state.tShift[start]
    if not _BLOCK_START.match(state.src, begin, state.eMarks[start]):
        return False
    if _markdown_inside(state, start, end, silent):
        return True
    return html_block(state, start, end, silent)


def _line(state, number):
    return state.src[state.bMarks[number] + state.tShift[number] : state.eMarks[number]]


def _markdown_inside(state, start, end, silent):
    """<div markdown="1"> on a line of its own: what is inside, up to the
    matching </div> alone on a line, is Markdown (Python-Markdown's md_in_html)."""
    inside = state.env.get("markdown_inside_depth", 0)
    if inside >= state.md.options["maxNesting"]:
        return False  # deeper than that, it stays raw HTML
    opening = _MARKDOWN_INSIDE_OPENING.match(_line(state, start))
    if not opening or not _MARKDOWN_ATTRIBUTE.search(opening[2] or ""):
        return False
    tag, depth, closing = opening[1].lower(), 0, None
    for number in range(start + 1, end):
        line = _line(state, number).lower()
        depth += line.startswith(f"<{tag}") and not line.startswith(f"<{tag}/")
        if line.strip() == f"</{tag}>":
            if depth == 0:
                closing = number
                break
            depth -= 1
    if closing is None:
        return False
    if silent:
        return True
    token = state.push("html_block", "", 0)
    token.map, token.content = (
        [start, start + 1],
        (f"<{opening[1]}{_MARKDOWN_ATTRIBUTE.sub('', opening[2])}>\n"),
    )
    limit, state.lineMax = state.lineMax, closing
    state.env["markdown_inside_depth"] = inside + 1
    state.md.block.tokenize(state, start + 1, closing)
    state.env["markdown_inside_depth"] = inside
    state.lineMax = limit
    token = state.push("html_block", "", 0)
    token.map, token.content = [closing, closing + 1], f"</{opening[1]}>\n"
    state.line = closing + 1
    return True


def clean_source(text):
    # As Python-Markdown did: its placeholder characters dropped, tabs expanded
    # to stops of four (in code blocks too).
    return (text or "").replace("\x02", "").replace("\x03", "").expandtabs(4)


def build_parser():
    # Raw HTML passes through the parser, as it did with Python-Markdown:
    # nh3 decides what of it survives.
    parser = MarkdownIt("commonmark", {"html": True, "xhtmlOut": False})
    # Links to any scheme are parsed as links, as Python-Markdown parsed them;
    # nh3 drops the addresses it does not allow (javascript:, data:...).
    parser.validateLink = lambda url: True
    parser.enable("table")
    # Both may interrupt a paragraph, as in Python-Markdown.
    interrupts = {"alt": ["paragraph", "reference", "blockquote"]}
    parser.block.ruler.at("html_block", _html_block, interrupts)
    parser.block.ruler.at("heading", _hash_heading_rule, interrupts)
    parser.block.ruler.at("list", _list_rule, interrupts)
    parser.inline.ruler.at("newline", _newline_rule)
    parser.core.ruler.before("inline", "setext_headings", _setext_rule)
    parser.core.ruler.before("inline", "paragraph_ends", _paragraph_ends_rule)
    parser.use(footnote_plugin, inline=False, move_to_end=False)
    parser.use(deflist_plugin)
    # Before text_join, while escapes and entities are still tokens of their
    # own: smart punctuation leaves them alone.
    parser.block.ruler.before(
        "reference", "abbreviation", _abbreviation_rule, {"alt": ["paragraph"]}
    )
    parser.core.ruler.after("inline", "attribute_lists", _attribute_lists_rule)
    parser.core.ruler.before("text_join", "abbreviations", _abbreviations_rule)
    parser.core.ruler.before("text_join", "smarty", _smarty_rule)
    parser.core.ruler.after("block", "merge_neighbours", _merge_neighbours_rule)
    parser.core.ruler.after("merge_neighbours", "list_looseness", _list_looseness_rule)
    parser.core.ruler.push("footnotes_at_end", _footnotes_rule)
    parser.core.ruler.push("headings", _headings_rule)
    for name, rule in _RENDER_RULES.items():
        parser.add_render_rule(name, rule)
    return parser
