import io
import json
import zipfile

import pytest
from django.apps import apps
from django.core.management import call_command
from taggit.models import Tag

from essays.models import Essay, Mention, Section, UnlinkedPhrase
from people.models import Person
from search.models import Document
from works.models import Contribution, Work


def run(command, *args):
    """(stdout, stderr) of a management command."""
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def wipe_content():
    # The order the foreign keys allow: PROTECT stops a section or person
    # going while an essay or a credit still names it.
    for model in (Mention, Essay, Section, Contribution, Work, Person, Tag, UnlinkedPhrase):
        model.objects.all().delete()
    Document.objects.all().delete()
    if apps.is_installed("django.contrib.redirects"):
        apps.get_model("redirects", "Redirect").objects.all().delete()


def archive_contents(path):
    """Every file of an archive but the manifest's creation time, parsed where it is JSON."""
    contents = {}
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            data = archive.read(name)
            contents[name] = json.loads(data) if name.endswith(".json") else data
    contents["manifest.json"].pop("created_at")
    return contents


def rewrite_archive(source, target, *, change=None, add=None, drop=()):
    """A copy of an archive; change maps a file name to a function of its data."""
    change = change or {}
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info)
            if info.filename in change:
                data = change[info.filename](data)
            new.writestr(info.filename, data)
        for name, data in (add or {}).items():
            new.writestr(name, data)
    return target


def edit_json(function):
    """A change for rewrite_archive: function edits the parsed JSON in place."""

    def change(data):
        parsed = json.loads(data)
        function(parsed)
        return json.dumps(parsed)

    return change


@pytest.fixture
def archive_path(tmp_path):
    return tmp_path / "site.zip"
