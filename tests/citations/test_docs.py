"""
docs/CITATIONS.md shows every format for one demo essay. This test writes
that part of the document from the demo data and fails when the document is
out of date; run it with UPDATE_CITATION_DOCS=1 to write it again.
"""

import io
import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from essays.citation import Citation
from essays.models import Essay
from sergesite.citations import files, styles, tags

pytestmark = pytest.mark.django_db

DOC = Path(__file__).resolve().parents[2] / "docs" / "CITATIONS.md"
START, END = "<!-- examples: start -->", "<!-- examples: end -->"
SLUG = "victor-serge-right-on-the-losing-side"


def examples():
    call_command("load_demo", verbosity=0, stdout=io.StringIO())
    request = RequestFactory().get("/", HTTP_HOST="example.org")
    essay = Essay.objects.get(slug=SLUG)
    citation = Citation(essay, request)
    item = citation.item
    json_ld = citation.json_ld()
    json_ld.pop("dateModified")  # changes with every save
    parts = [f"The demo essay `{SLUG}`, by the site's author, as served from example.org.\n"]
    parts.append("### Cite this (citeproc-py, plain text)\n")
    parts += [f"- **{style.label}**: {styles.render_text(item, style)}" for style in styles.STYLES]
    sections = [
        ("CSL-JSON (the one record)", "json", files.csl_json([item])),
        ("BibTeX", "bibtex", files.bibtex([item])),
        ("RIS", "text", files.ris([item])),
        ("Highwire tags", "html", "\n".join(
            f'<meta name="{name}" content="{content}">' for name, content in tags.highwire(item)
        )),
        ("COinS", "html", f'<span class="Z3988" title="{tags.coins(item)}"></span>'),
        ("JSON-LD", "json", json.dumps(json_ld, ensure_ascii=False, indent=2)),
    ]  # fmt: skip
    for heading, language, text in sections:
        parts.append(f"\n### {heading}\n\n```{language}\n{text.rstrip()}\n```")
    return "\n".join(parts)


def test_the_citation_doc_shows_the_current_output_for_a_demo_essay(settings):
    settings.ALLOWED_HOSTS = ["example.org"]
    document = DOC.read_text(encoding="utf-8")
    before, rest = document.split(START, 1)
    _, after = rest.split(END, 1)
    current = f"{before}{START}\n{examples()}\n{END}{after}"
    if os.environ.get("UPDATE_CITATION_DOCS"):
        DOC.write_text(current, encoding="utf-8")
        document = current
    assert document == current, "docs/CITATIONS.md is out of date: UPDATE_CITATION_DOCS=1"
