"""
Rendering benchmark: time the Markdown renderers on the project's own essays
and check that they give the site's HTML. One command:

    .venv/bin/python bench/render_bench.py                 # measure and compare
    .venv/bin/python bench/render_bench.py --write         # and update docs/PERFORMANCE.md
    .venv/bin/python bench/render_bench.py --runs 5 --examples 10

The essays: the demo essays (essays/demo/texts), the mention detector's gold
set (tests/mentions/gold) and a generated 5,000-word essay with headings,
footnotes, quotations, tables, lists, links and smart punctuation. The
engines, each followed by the same paragraph anchors and nh3:

- "python-markdown": the previous renderer (extra, sane_lists, smarty, toc and
  the site's two tree processors), kept here as the reference, built per call;
- "python-markdown, reused": the same, one instance per thread, reset() per call;
- "markdown-it-py": sergesite.markup.render(), the site's renderer;
- "mistune 3": mistune with its footnotes, table, def_list and abbr plugins, as
  it comes: a speed reference, not made to match.

For each essay and engine: the median of --runs timings of the whole
render(text, anchors=True), and whether the sanitized HTML and the table of
contents are identical to the reference's. The hostile inputs of
tests/xss_payloads.py are compared too (no timing). Not a test: it measures.
"""

import argparse
import difflib
import os
import random
import re
import statistics
import sys
import threading
import time
import xml.etree.ElementTree as etree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DEBUG", "true")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sergesite.settings")

import django  # noqa: E402

django.setup()

import markdown  # noqa: E402
import mistune  # noqa: E402
from common import Corpus, make_rng, write_section  # noqa: E402
from markdown.extensions import Extension  # noqa: E402
from markdown.treeprocessors import Treeprocessor  # noqa: E402

from sergesite import markdown_rules, markup  # noqa: E402
from sergesite.paragraphs import paragraph_anchors  # noqa: E402
from tests.xss_payloads import XSS_PAYLOADS  # noqa: E402

SECTION_TITLE = "## Rendering"


# --- The reference: the Python-Markdown pipeline the site used before. -----


class _DemoteTopHeadings(Treeprocessor):
    def run(self, root):
        for element in root.iter("h1"):
            element.tag = "h2"


class _ScrollableTables(Treeprocessor):
    def run(self, root):
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "table":
                    wrapper = etree.Element("div", {"class": "table-scroll", "tabindex": "0"})
                    wrapper.tail, child.tail = child.tail, None
                    wrapper.append(child)
                    parent[index] = wrapper


class _SiteExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(_DemoteTopHeadings(md), "demote_h1", 30)
        md.treeprocessors.register(_ScrollableTables(md), "scrollable_tables", 29)


def _new_python_markdown():
    return markdown.Markdown(
        extensions=["extra", "sane_lists", "smarty", "toc", _SiteExtension()],
        extension_configs={
            "toc": {"slugify": lambda value, separator: markdown_rules._slugify_heading(value)}
        },
        output_format="html",
    )


def _clean_toc(tokens):
    return [
        {
            "id": token["id"],
            "name": markup.html.unescape(markup.re.sub(r"<[^>]*>", "", token["name"])),
            "level": token["level"],
            "children": _clean_toc(token["children"]),
        }
        for token in tokens
    ]


def _finish(md, text, anchors):
    raw_html = md.convert(text or "")
    if anchors:
        raw_html = paragraph_anchors(raw_html)
    return markup.Rendered(html=markup.sanitize(raw_html), toc=_clean_toc(md.toc_tokens))


def python_markdown(text, anchors=True):
    return _finish(_new_python_markdown(), text, anchors)


_local = threading.local()


def python_markdown_reused(text, anchors=True):
    # One instance per thread: a Markdown instance keeps state while it converts.
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = _new_python_markdown()
    md.reset()
    return _finish(md, text, anchors)


def markdown_it(text, anchors=True):
    return markup.render(text, anchors=anchors)


_mistune = mistune.create_markdown(plugins=["footnotes", "table", "def_list", "abbr"])


def mistune_3(text, anchors=True):
    raw_html = _mistune(text or "")
    if anchors:
        raw_html = paragraph_anchors(raw_html)
    return markup.Rendered(html=markup.sanitize(raw_html), toc=[])


# The Markdown step alone, without paragraph anchors and nh3.
_reused_alone = _new_python_markdown()
MARKDOWN_ALONE = {
    "python-markdown, reused": lambda text: (_reused_alone.reset(), _reused_alone.convert(text)),
    "markdown-it-py": lambda text: markdown_rules.build_parser().render(
        markdown_rules.clean_source(text), {}
    ),
    "mistune 3": lambda text: _mistune(text),
}

ENGINES = {
    "python-markdown": python_markdown,
    "python-markdown, reused": python_markdown_reused,
    "markdown-it-py": markdown_it,
    "mistune 3": mistune_3,
}


# --- The essays. -------------------------------------------------------------


def generated_essay(seed=7):
    """About 5,000 words shaped like a long essay, with every feature the site uses."""
    rng = make_rng(seed)
    corpus = Corpus(seed)
    paragraphs = corpus.essay_text(rng, "revolution", "literature")
    parts, note = [], 0
    for index, paragraph in enumerate(paragraphs):
        sentences = paragraph.split(". ")
        if len(sentences) > 3:
            # Quotations, apostrophes, dashes, ellipses, emphasis, a link.
            sentences[1] = f'As one reader put it, "{sentences[1].lower()}"'
            sentences[2] = f"{sentences[2]} -- the writer's own word --- and so on..."
            words = sentences[3].split()
            if len(words) > 4:
                words[2] = f"*{words[2]}*"
                words[4] = f"[{words[4]}](https://example.org/{index})"
            sentences[3] = " ".join(words)
        paragraph = ". ".join(sentences)
        if index % 5 == 2:
            note += 1
            paragraph += f"[^{note}]"
        if index and index % 7 == 0:
            level = "##" if index % 14 == 0 else "###"
            parts.append(f"{level} {' '.join(paragraph.split()[:5]).rstrip('.')}")
        if index % 9 == 4:
            parts.append("> " + paragraph + "\n>\n> " + paragraphs[index - 1][:300])
        elif index % 11 == 6:
            items = paragraph.split(". ")
            parts.append("\n".join(f"{n}. {item.strip('.')}." for n, item in enumerate(items, 1)))
        elif index % 13 == 8:
            items = paragraph.split(". ")
            parts.append("\n".join(f"- {item.strip('.')}" for item in items[:4]))
        elif index % 17 == 10:
            rows = [paragraph.split()[i : i + 3] for i in range(0, 15, 3)]
            table = ["| Year | Place | What happened |", "|---|:---:|---|"]
            table += [f"| {1917 + n} | {' | '.join(row[:2])} |" for n, row in enumerate(rows)]
            parts.append(paragraph)
            parts.append("\n".join(table))
        else:
            parts.append(paragraph)
    for number in range(1, note + 1):
        parts.append(f'[^{number}]: A source, "{rng.choice(paragraphs)[:80]}", p. {number}.')
    return "\n\n".join(parts) + "\n"


def essays():
    found = {}
    for folder in (ROOT / "essays" / "demo" / "texts", ROOT / "tests" / "mentions" / "gold"):
        for path in sorted(folder.glob("*.md")):
            found[f"{folder.parent.name}/{path.stem}"] = path.read_text(encoding="utf-8")
    found["generated 5,000 words"] = generated_essay()
    return found


# --- Measuring. --------------------------------------------------------------


def median_ms(text, runs, engines=ENGINES):
    """Median milliseconds per engine, the engines taking turns, so that other
    work on the machine slows them alike."""
    timings = {name: [] for name in engines}
    for engine in engines.values():
        engine(text)
    for _ in range(runs):
        for name, engine in engines.items():
            started = time.perf_counter()
            engine(text)
            timings[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) * 1000 for name, values in timings.items()}
    # The fastest run is the one least slowed by other work on the machine.
    medians["fastest"] = {name: min(values) * 1000 for name, values in timings.items()}
    return medians


_SPACE = re.compile(r"\s+")
_AROUND_BLOCK_TAGS = re.compile(
    r" ?(</?(?:p|li|ul|ol|div|blockquote|h[1-6]|table|thead|tbody|tr|td|th|hr|dl|dt|dd|pre)"
    r"\b[^>]*>) ?"
)


def layout_only(reference, candidate):
    """True when the two differ only in whitespace a browser does not show:
    runs of spaces and line breaks, and space next to block-level tags."""

    def squeeze(markup_html):
        return _AROUND_BLOCK_TAGS.sub(r"\1", _SPACE.sub(" ", markup_html))

    return squeeze(reference.html) == squeeze(candidate.html) and reference.toc == candidate.toc


def differences(reference, candidate):
    """The changed lines of the sanitized HTML, and whether the contents agree."""
    lines = [
        line
        for line in difflib.unified_diff(
            reference.html.splitlines(), candidate.html.splitlines(), lineterm="", n=0
        )
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    return lines, reference.toc == candidate.toc


# One snippet per Markdown feature the site's configuration has: compared, not timed.
FEATURES = {
    "paragraphs, emphasis, links": 'Some *emphasis*, **strong**, `code` and a [link](/x "T").',
    "smart quotes, dashes, ellipsis": "\"Quoted\" and 'single' -- it's the '90s --- yes...",
    "quotes next to markup": '"*Emphasis*" and "[a link](/x)", \'`code`\'.',
    "escaped quotes and entities": 'Not \\"smart\\" &amp; &mdash; "but" this',
    "headings, ids, table of contents": "# Top\n\n## Same\n\n### Under\n\n## Same\n\n## L'été",
    "setext headings": "Title\n=====\n\nSub\n---",
    "block quotes": "> A quotation\n> on two lines.\n>\n> And a second paragraph.",
    "lists": "- one\n- two\n\n1. first\n2. second\n\n3. third",
    "nested lists, 4 spaces": "- one\n    - inner\n- two",
    "nested lists, 2 spaces": "- one\n  - inner\n- two",
    "list item continuation lines": "- an item\n  that goes on",
    "list item paragraphs, 2 spaces": "- one\n\n  more of one",
    "line breaks": "one  \ntwo\nthree",
    "indented continuation lines": "one\n   two",
    "footnotes": "A[^1] and B[^n] and A again[^1].\n\n[^n]: Second.\n[^1]: First.\n\n[^x]: Unused.",
    "footnote with a list": "A[^1]\n\n[^1]: Note:\n\n    - a\n    - b",
    "tables": "| a | b |\n|:--|--:|\n| 1 | *2* |",
    "fenced code": "```python\nx = '\"quoted\"'\n```",
    "indented code": "Text:\n\n    code -- here\n",
    "images": '![An *image*](/media/a.png "Its title")',
    "autolinks": "<https://example.org/a--b> and <someone@example.org>",
    "raw inline HTML": 'Text with <sup>1</sup> and <span title="x">a span</span>.',
    "raw block HTML": "<div>\nA block\n</div>\n\nAfter.",
    "definition lists (def_list)": "Term\n: Its definition.",
    "abbreviations (abbr)": "The HTML spec.\n\n*[HTML]: Hyper Text Markup Language",
    "attribute lists (attr_list)": "## Heading {#custom-id}\n\nA paragraph.\n{: lang=fr }",
    "Markdown inside HTML (md_in_html)": '<div markdown="1">\n*emphasis* inside\n</div>',
    "heading with closing hashes and spaces": "## Head ##  ",
}


def compare(reference, candidate):
    if reference.html == candidate.html and reference.toc == candidate.toc:
        return "same"
    return "whitespace only" if layout_only(reference, candidate) else "differs"


def measure(runs):
    rows, diffs = [], {name: [] for name in ENGINES}
    for essay, text in essays().items():
        reference = python_markdown(text)
        row = {"essay": essay, "words": len(text.split()), **median_ms(text, runs)}
        for name, engine in ENGINES.items():
            result = engine(text)
            row[name + " result"] = compare(reference, result)
            if row[name + " result"] != "same":
                diffs[name].append((essay, differences(reference, result)[0]))
        if essay.startswith("generated"):
            row["alone"] = median_ms(text, runs, MARKDOWN_ALONE)
        rows.append(row)
        print(f"   {essay}: {row['python-markdown']:.1f} ms", file=sys.stderr, flush=True)
    features = {}
    for feature, text in FEATURES.items():
        reference = python_markdown(text, anchors=False)
        features[feature] = {
            name: compare(reference, engine(text, anchors=False))
            for name, engine in ENGINES.items()
        }
    hostile = {name: [] for name in ENGINES}
    for payload in XSS_PAYLOADS:
        reference = python_markdown(payload, anchors=False)
        for name, engine in ENGINES.items():
            lines, _ = differences(reference, engine(payload, anchors=False))
            if lines:
                hostile[name].append((payload, lines))
    return rows, diffs, features, hostile


def report(rows, diffs, features, hostile, runs, examples):
    names = list(ENGINES)
    lines = [
        SECTION_TITLE,
        "",
        "`bench/render_bench.py` (one command: `.venv/bin/python bench/render_bench.py`, options",
        "`--runs`, `--examples`, `--write`). Milliseconds for the whole",
        "`render(text, anchors=True)` (Markdown, paragraph anchors, nh3) per essay, the median",
        f"of {runs} runs in one process, the engines taking turns. Marked when the sanitized",
        "HTML or the table of contents is not identical to the Python-Markdown reference's:",
        '"ws" when only whitespace a browser does not show differs, "differs" otherwise.',
        "",
        "| essay | words | " + " | ".join(names) + " |",
        "|---|---:|" + "---:|" * len(names),
    ]
    marks = {"same": "", "whitespace only": " (ws)", "differs": " (differs)"}
    for row in rows:
        cells = [f"{row[name]:.1f}{marks[row[name + ' result']]}" for name in names]
        lines.append(f"| {row['essay']} | {row['words']:,} | " + " | ".join(cells) + " |")
    big = next(row for row in rows if row["essay"].startswith("generated"))
    lines += [
        "",
        "On the generated essay, against Python-Markdown built per call: "
        + ", ".join(f"{name} {big['python-markdown'] / big[name]:.1f}×" for name in names[1:])
        + " faster (fastest runs: "
        + ", ".join(f"{name} {ms:.1f} ms" for name, ms in big["fastest"].items())
        + ").",
        "The Markdown step alone (no anchors, no nh3) on the same essay, median (fastest): "
        + ", ".join(
            f"{name} {ms:.1f} ms ({big['alone']['fastest'][name]:.1f})"
            for name, ms in big["alone"].items()
            if name != "fastest"
        )
        + ".",
        "",
        "Feature by feature (one snippet each, in the script), against the reference:",
        "",
        "| feature | " + " | ".join(names[1:]) + " |",
        "|---|" + "---|" * len(names[1:]),
    ]
    for feature, results in features.items():
        lines.append(f"| {feature} | " + " | ".join(results[name] for name in names[1:]) + " |")
    lines += [
        "",
        f"Hostile inputs (the {len(XSS_PAYLOADS)} of `tests/xss_payloads.py`) whose sanitized"
        " HTML differs from the reference's: "
        + ", ".join(f"{name} {len(hostile[name])}" for name in names)
        + ".",
    ]
    for name in names[:-1]:
        found = diffs[name][:examples] + hostile[name][: max(examples - len(diffs[name]), 0)]
        if not found:
            continue
        lines += ["", f"First differences, {name} (`-` reference, `+` {name}):", "", "```"]
        for source, changed in found:
            lines.append(f"# {source[:70]!r}" if source in XSS_PAYLOADS else f"# {source}")
            lines += [line[:160] for line in changed[:4]]
        lines.append("```")
    load = os.getloadavg()[0]
    lines += ["", f"Load average {load:.1f} on {os.cpu_count()} CPUs at the end of the run.", ""]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--examples", type=int, default=6, help="differences shown per engine")
    parser.add_argument("--write", action="store_true", help="update docs/PERFORMANCE.md")
    args = parser.parse_args()
    random.seed(0)
    rows, diffs, features, hostile = measure(args.runs)
    text = report(rows, diffs, features, hostile, args.runs, args.examples)
    if args.write:
        write_section(SECTION_TITLE, text)
    print(text)


if __name__ == "__main__":
    main()
