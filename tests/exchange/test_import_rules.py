import pytest
from django.urls import reverse

from essays.models import Essay, Mention
from people.models import Person
from tests.factories import make_essay, make_person

from .conftest import edit_json, rewrite_archive, run, wipe_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(archive_path):
    serge = make_person(name="Victor Serge", slug="victor-serge")
    essay = make_essay(title="Serge", slug="serge", body="Victor Serge wrote *novels*.")
    Mention.objects.create(
        essay=essay, person=serge, phrase="Victor Serge", position=0, status="rejected",
        decided_by_editor=True,
    )  # fmt: skip
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


def test_mentions_an_essay_finds_when_saved_give_way_to_the_editors_decisions(
    exported, monkeypatch
):
    # Stands in for a mention detector run by Essay.save(): it proposes the
    # name again, as if no editor had ever rejected it.
    saved_with = []
    original_save = Essay.save

    def save_and_detect(essay, *args, **kwargs):
        saved_with.append(list(essay.mentions.values_list("status", flat=True)) if essay.pk else [])
        original_save(essay, *args, **kwargs)
        if not essay.mentions.exists():
            essay.mentions.create(
                person=Person.objects.get(slug="victor-serge"), phrase="Victor Serge",
                position=0, status="proposed",
            )  # fmt: skip

    monkeypatch.setattr(Essay, "save", save_and_detect)

    run("import_site", str(exported))

    assert list(Mention.objects.values_list("phrase", "status", "decided_by_editor")) == [
        ("Victor Serge", "rejected", True)
    ]
    # Saved a second time once the archive's mentions were in, so that
    # whatever it renders from them follows the editor's decision.
    assert saved_with[-1] == ["rejected"]
