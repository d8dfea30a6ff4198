import pytest
from django.urls import reverse

from essays.models import Mention
from tests.factories import make_essay, make_person

from .conftest import edit_json, rewrite_archive, run, wipe_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(archive_path):
    serge = make_person(name="Victor Serge", slug="victor-serge")
    essay = make_essay(title="Serge", slug="serge", body="Victor Serge wrote *novels*.")
    # The detector found the name when the essay was saved; an editor rejects it.
    essay.mentions.filter(person=serge).decide(Mention.Status.REJECTED)
    run("export_site", str(archive_path))
    wipe_content()
    return archive_path


def test_rendered_html_in_an_archive_is_never_trusted(exported, tmp_path, client):
    def inject(essays):
        essays[0]["body_html"] = "<script>alert(1)</script>"

    path = rewrite_archive(exported, tmp_path / "x.zip", change={"essays.json": edit_json(inject)})

    output, _ = run("import_site", str(path))

    page = client.get(reverse("essays:detail", args=["serge"])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "<em>novels</em>" in page
    assert "ignored: essays.body_html" in output


def test_mentions_an_essay_finds_when_saved_give_way_to_the_editors_decisions(exported, client):
    # Saving the imported essay runs the detector, which would accept the
    # full name again; the archive's rejection must win, links included.
    run("import_site", str(exported))

    assert list(Mention.objects.values_list("phrase", "status", "decided_by_editor")) == [
        ("Victor Serge", "rejected", True)
    ]
    page = client.get(reverse("essays:detail", args=["serge"])).content.decode()
    assert 'class="mention"' not in page
    assert "Victor Serge wrote" in page
