"""Pages of real old sites: the markup hand-written sites of the 1990s and 2000s used."""

import pytest

from essays.models import Essay
from tests.essays.import_helpers import run_import
from tests.factories import make_section

pytestmark = pytest.mark.django_db

FILLER = (
    "The argument went on for years in small papers and smaller meetings, and it left "
    "a trail of pamphlets that nobody has yet put together in one place."
)


@pytest.fixture(autouse=True)
def research():
    return make_section(title="Research", slug="research")


def page(folder, name, body, *, title="An old page", head="", first_line=""):
    path = folder / name
    path.write_text(
        f"{first_line}<html><head><title>{title}</title>{head}</head><body>{body}</body></html>",
        encoding="utf-8",
    )
    return path


def imported(path):
    output = run_import(path, section="research")
    assert " 0 failed." in output, output
    return Essay.objects.get()


def test_an_xhtml_page_opening_with_an_xml_declaration_imports(tmp_path):
    path = page(
        tmp_path,
        "kollontai.html",
        f"<h1>Kollontai in Oslo</h1><p>She wrote from the embassy every week. {FILLER}</p>",
        first_line='<?xml version="1.0" encoding="UTF-8"?>\n',
    )

    essay = imported(path)

    assert essay.title == "Kollontai in Oslo"
    assert essay.body.startswith("She wrote from the embassy every week.")
