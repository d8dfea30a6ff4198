import json
import stat
import zipfile

import pytest
from django.core.management import CommandError

from essays.exchange import archive
from essays.models import Essay, Section
from people.models import Person, filing_initial, filing_key
from tests.factories import make_essay, make_person, make_section, make_work
from works.models import Work

from .conftest import edit_json, rewrite_archive, run, wipe_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported(archive_path, settings):
    """A small site exported, then wiped: the database is empty again."""
    serge = make_person(name="Victor Serge", slug="victor-serge", other_names=["Kibalchich"])
    book = make_work(title="Dissident Marxism", slug="dissident-marxism", authors=[serge])
    make_work(title="A chapter", slug="a-chapter", part_of=book)
    make_essay(
        title="Serge", slug="serge", section=make_section(slug="history"),
        tags=["Anarchism"], people=[serge], works=[book],
    )  # fmt: skip
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "cover.jpg").write_bytes(b"jpeg")
    run("export_site", str(archive_path))
    wipe_content()
    (settings.MEDIA_ROOT / "uploads" / "cover.jpg").unlink()
    return archive_path


def counts():
    return [model.objects.count() for model in (Section, Person, Work, Essay)]


def refused(path, *args):
    with pytest.raises(CommandError) as error:
        run("import_site", str(path), *args)
    return str(error.value)


def test_a_file_that_is_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "site.zip"
    path.write_text("not a zip at all")

    assert "not a zip archive" in refused(path)


def test_a_missing_archive_is_reported(tmp_path):
    assert "Nothing was imported" in refused(tmp_path / "nowhere.zip")


def test_an_archive_of_another_format_version_is_refused(exported, tmp_path):
    path = rewrite_archive(
        exported, tmp_path / "v2.zip",
        change={"manifest.json": edit_json(lambda manifest: manifest.update(version=2))},
    )  # fmt: skip

    message = refused(path)

    assert "format version 2" in message
    assert counts() == [0, 0, 0, 0]


def test_an_archive_without_a_manifest_is_refused(exported, tmp_path):
    path = rewrite_archive(exported, tmp_path / "bare.zip", drop={"manifest.json"})

    assert "no manifest.json" in refused(path)


def test_an_archive_missing_a_file_the_manifest_lists_is_refused(exported, tmp_path):
    path = rewrite_archive(exported, tmp_path / "short.zip", drop={"essays.json"})

    assert "missing essays.json" in refused(path)
    assert counts() == [0, 0, 0, 0]


@pytest.mark.parametrize(
    "name", ["media/../../escaped.txt", "/etc/escaped.txt", "media\\..\\escaped.txt", "C:/x"]
)
def test_a_path_that_could_leave_the_media_folder_is_refused(exported, tmp_path, settings, name):
    path = rewrite_archive(exported, tmp_path / "evil.zip", add={name: b"gotcha"})

    assert "unsafe path" in refused(path)
    assert not list(tmp_path.rglob("escaped.txt"))
    assert not (settings.MEDIA_ROOT / "uploads" / "cover.jpg").exists()


def test_a_symbolic_link_in_the_archive_is_refused(exported, tmp_path):
    path = rewrite_archive(exported, tmp_path / "link.zip")
    with zipfile.ZipFile(path, "a") as zipped:
        link = zipfile.ZipInfo("media/link")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zipped.writestr(link, "/etc/passwd")

    assert "symbolic link" in refused(path)


def test_a_file_that_expands_enormously_is_refused_as_a_zip_bomb(exported, tmp_path):
    path = rewrite_archive(exported, tmp_path / "bomb.zip")
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as zipped:
        zipped.writestr("media/zeros.bin", b"\0" * (8 * 1024**2))

    assert "zip bomb" in refused(path)


def test_an_archive_larger_than_the_cap_is_refused_before_unpacking(
    exported, monkeypatch, settings
):
    monkeypatch.setattr(archive, "MAX_TOTAL_BYTES", 1000)

    assert "would unpack to" in refused(exported)
    assert not (settings.MEDIA_ROOT / "uploads" / "cover.jpg").exists()


def test_a_record_naming_something_the_archive_lacks_leaves_the_database_empty(
    exported, tmp_path, settings
):
    def unknown_person(essays):
        essays[0]["people"].append("nobody-at-all")

    path = rewrite_archive(
        exported, tmp_path / "dangling.zip", change={"essays.json": edit_json(unknown_person)}
    )

    message = refused(path)

    assert "essays.json, 'serge': people names person 'nobody-at-all'" in message
    # Sections, people and works were loaded before the essay: all rolled back.
    assert counts() == [0, 0, 0, 0]
    assert not (settings.MEDIA_ROOT / "uploads" / "cover.jpg").exists()
    assert not list(settings.MEDIA_ROOT.glob(archive.STAGING_PREFIX + "*"))


def test_a_value_the_model_does_not_accept_is_reported_with_its_record(exported, tmp_path):
    def bad_status(essays):
        essays[0]["status"] = "lost"

    path = rewrite_archive(
        exported, tmp_path / "bad.zip", change={"essays.json": edit_json(bad_status)}
    )

    message = refused(path)

    assert "essays.json, 'serge': status:" in message
    assert "'lost' is not a valid choice" in message
    assert counts() == [0, 0, 0, 0]


def test_works_that_would_contain_each_other_are_refused(exported, tmp_path):
    def loop(works):
        book = next(work for work in works if work["slug"] == "dissident-marxism")
        book["part_of"] = "a-chapter"

    path = rewrite_archive(exported, tmp_path / "loop.zip", change={"works.json": edit_json(loop)})

    assert "part_of makes a loop" in refused(path)
    assert counts() == [0, 0, 0, 0]


def test_a_count_that_disagrees_with_the_manifest_is_refused(exported, tmp_path):
    path = rewrite_archive(
        exported, tmp_path / "cut.zip", change={"people.json": edit_json(lambda rows: rows.pop())}
    )

    assert "people.json holds 0 records; the manifest says 1" in refused(path)


def test_a_file_the_manifest_does_not_list_is_refused(exported, tmp_path):
    path = rewrite_archive(exported, tmp_path / "extra.zip", add={"secrets.json": b"[]"})

    assert "Unexpected files in the archive: secrets.json" in refused(path)


def test_a_field_this_site_lacks_is_ignored_and_named_and_a_missing_one_takes_its_default(
    exported, tmp_path
):
    def drift(people):
        people[0]["shoe_size"] = 44
        del people[0]["description"]

    path = rewrite_archive(
        exported, tmp_path / "drift.zip", change={"people.json": edit_json(drift)}
    )

    output, _ = run("import_site", str(path))

    assert "Fields this site does not have, ignored: people.shoe_size" in output
    assert Person.objects.get(slug="victor-serge").description == ""


def test_a_kind_this_site_does_not_know_is_skipped_and_named(exported, tmp_path):
    def more_kinds(manifest):
        manifest["kinds"].append("podcasts")
        manifest["counts"]["podcasts"] = 0

    path = rewrite_archive(
        exported, tmp_path / "newer.zip",
        change={"manifest.json": edit_json(more_kinds)}, add={"podcasts.json": b"[]"},
    )  # fmt: skip

    output, _ = run("import_site", str(path))

    assert "Kinds this site does not have, ignored: podcasts" in output
    assert counts() == [1, 1, 2, 1]


def test_the_archive_files_are_plain_json_keyed_by_slug(exported):
    with zipfile.ZipFile(exported) as zipped:
        essays = json.loads(zipped.read("essays.json"))
        works = json.loads(zipped.read("works.json"))

    assert essays[0]["section"] == "history"
    assert essays[0]["people"] == ["victor-serge"]
    assert essays[0]["tags"] == ["anarchism"]
    assert "id" not in essays[0] and "body_html" not in essays[0]
    assert {work["slug"]: work["part_of"] for work in works} == {
        "dissident-marxism": None,
        "a-chapter": "dissident-marxism",
    }


def test_a_persons_filing_keys_are_left_out_and_computed_again_on_import(exported, tmp_path):
    with zipfile.ZipFile(exported) as zipped:
        people = json.loads(zipped.read("people.json"))
    assert people and all("sort_key" not in p and "sort_initial" not in p for p in people)
    wipe_content()

    run("import_site", str(exported))

    serge = Person.objects.get(slug="victor-serge")
    assert serge.sort_key == filing_key(serge.sort_name) != ""
    assert serge.sort_initial == filing_initial(serge.sort_name) == serge.sort_name[0]
