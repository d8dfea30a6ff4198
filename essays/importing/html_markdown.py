"""The kept HTML written as Markdown (markdownify), and the Markdown tidied."""

import re

from markdownify import MarkdownConverter

NOTE_HEADING = re.compile(r"^(foot)?notes?$|^references$|^sources$", re.I)


class _Converter(MarkdownConverter):
    # Text that looks like a tag is written as an entity, so the Markdown
    # never carries raw HTML for the renderer to sanitize.
    def escape(self, text, parent_tags):
        text = super().escape(text, parent_tags)
        return text.replace("&", "&amp;").replace("<", "&lt;") if text else text

    def convert_hN(self, n, el, text, parent_tags):
        # An old anchor on the heading (<a name="x">) stays as an empty div
        # just before it: the only raw HTML written, its id checked by
        # html_layout.ANCHOR_NAME; old links to #x still land here, and the
        # heading keeps the id the renderer makes from its words.
        heading = super().convert_hN(n, el, text, parent_tags)
        anchor = el.get("data-anchor")
        return f'\n\n<div id="{anchor}"></div>\n{heading}' if anchor else heading


def to_markdown(html_text):
    converter = _Converter(
        heading_style="atx",
        bullets="-",
        strong_em_symbol="*",
        table_infer_header=True,
        escape_underscores=True,
        # A <br> is a backslash at the end of the line: visible to an editor,
        # and not lost when trailing spaces are trimmed below.
        newline_style="BACKSLASH",
    )
    return converter.convert(html_text)


def tidy(markdown):
    lines = [line.rstrip() for line in markdown.replace("\r\n", "\n").split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    # A <br> that ended its paragraph breaks nothing: its backslash would show.
    text = re.sub(r"(?<!\\)\\(?=\n\n|\n?$)", "", text).strip()
    # A rule or a "Notes" heading left at the end once the notes moved out.
    while True:
        trimmed = re.sub(r"(\n|^)(---|\*\*\*|#+ [^\n]*)\s*$", "", text).strip()
        last = text.rsplit("\n", 1)[-1].lstrip("# ").strip()
        if trimmed == text or not (text.endswith(("---", "***")) or NOTE_HEADING.match(last)):
            return text
        text = trimmed
