import stat
import zipfile

import pytest

from essays.importing import detect
from essays.models import Essay
from tests.essays.import_helpers import FIXTURES, run_import
from tests.factories import make_section

pytestmark = pytest.mark.django_db

GOOD_PAGE = "---\ntitle: A safe page\n---\nIt imports while its neighbours are refused.\n"


@pytest.fixture(autouse=True)
def research():
    return make_section(title="Research", slug="research")


def test_a_binary_file_is_reported_and_the_rest_of_the_folder_imports():
    output = run_import(FIXTURES, section="research")

    assert "broken.html: not a text file (it holds binary data)" in output
    assert Essay.objects.count() == 5


def test_an_empty_file_is_reported(tmp_path):
    (tmp_path / "empty.txt").write_text("  \n\n")

    output = run_import(tmp_path, section="research")

    assert "empty.txt: the file is empty" in output
    assert not Essay.objects.exists()


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(detect, "MAX_SOURCE_BYTES", 1000)
    (tmp_path / "long.txt").write_text("A title\n\n" + "word " * 400)

    output = run_import(tmp_path, section="research")

    assert "long.txt: the file is larger than" in output
    assert not Essay.objects.exists()


def test_a_zip_entry_leading_outside_the_upload_is_refused_and_the_rest_imports(tmp_path):
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("pages/good.md", GOOD_PAGE)
        zf.writestr("../../escape.md", "---\ntitle: Escaped\n---\nText.\n")
        zf.writestr("/etc/absolute.md", "---\ntitle: Absolute\n---\nText.\n")
        link = zipfile.ZipInfo("pages/link.md")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")

    output = run_import(archive, section="research")

    assert list(Essay.objects.values_list("title", flat=True)) == ["A safe page"]
    assert "../../escape.md: its path leads outside the upload: refused" in output
    assert "/etc/absolute.md: its path is absolute: refused" in output
    assert "pages/link.md: it is a symbolic link: refused" in output
    assert Essay.objects.get().import_source == f"{archive}:pages/good.md"
    assert not (tmp_path.parent / "escape.md").exists()


def test_a_zip_entry_that_inflates_far_beyond_its_size_is_refused(tmp_path):
    archive = tmp_path / "bomb.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("good.md", GOOD_PAGE)
        zf.writestr("bomb.txt", "a" * 3_000_000)  # compresses about a thousandfold

    output = run_import(archive, section="research")

    assert "bomb.txt: compressed suspiciously well (a zip bomb?): refused" in output
    assert list(Essay.objects.values_list("title", flat=True)) == ["A safe page"]


def test_a_zip_that_would_unpack_to_too_much_is_refused_whole(tmp_path, monkeypatch):
    from essays.importing import sources

    monkeypatch.setattr(sources, "MAX_ZIP_TOTAL_BYTES", 1000)
    archive = tmp_path / "big.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("good.md", GOOD_PAGE)
        zf.writestr("other.md", GOOD_PAGE + "x" * 1000)

    output = run_import(archive, section="research")

    assert "would unpack to more than" in output
    assert not Essay.objects.exists()


def test_a_symlink_in_a_folder_is_not_followed(tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: Outside\n---\nSecret.\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / "good.md").write_text(GOOD_PAGE)
    (site / "link.md").symlink_to(outside)

    run_import(site, section="research")

    assert list(Essay.objects.values_list("title", flat=True)) == ["A safe page"]


def test_an_image_reached_through_a_symlink_is_left_out(tmp_path, settings):
    secret = tmp_path / "secret.png"
    secret.write_bytes((FIXTURES / "mirror" / "images" / "rally.png").read_bytes())
    site = tmp_path / "site"
    site.mkdir()
    (site / "pic.png").symlink_to(secret)
    (site / "page.md").write_text("---\ntitle: Pictures\n---\nLook: ![a picture](pic.png)\n")

    output = run_import(site, section="research")

    assert "image pic.png left out" in output
    assert "pic.png" not in Essay.objects.get().body


def test_imported_pages_cannot_smuggle_html_into_the_essay(tmp_path):
    (tmp_path / "page.html").write_text(
        "<html><body><h1>Markup</h1><p>Text that mentions &lt;script&gt;alert(1)&lt;/script&gt; "
        'as words, with an <a href="javascript:alert(2)">evil link</a> and an '
        '<img src="x" onerror="alert(3)"> image, long enough to be the main text.</p>'
        "<script>alert(4)</script></body></html>"
    )
    (tmp_path / "page.txt").write_text(
        "Plain\n\nA line with <b onmouseover=alert(5)>tags</b> typed as text, and more words.\n"
    )
    (tmp_path / "page.md").write_text(
        "---\ntitle: Raw\n---\nSome <script>alert(6)</script> and <img src=x onerror=alert(7)>.\n"
    )

    output = run_import(tmp_path, section="research")

    for essay in Essay.objects.all():
        assert "<script" not in essay.body_html and "onerror" not in essay.body_html
        assert "onmouseover" not in essay.body_html.replace("&lt;b onmouseover", "")
        assert "javascript:" not in essay.body_html
    markup = Essay.objects.get(title="Markup")
    assert "mentions &lt;script>alert(1)&lt;/script> as words" in markup.body  # no raw tag
    assert "mentions &lt;script&gt;alert(1)&lt;/script&gt; as words" in markup.body_html
    assert "&lt;b onmouseover" in Essay.objects.get(title="Plain").body_html
    assert "the Markdown holds raw HTML" in output
