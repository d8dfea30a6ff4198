"""Shared by the import tests: run the command as an editor would, capture its report."""

import io
import shutil
from pathlib import Path

from django.core.management import call_command

FIXTURES = Path(__file__).parent / "import_fixtures"


def run_import(*paths, **options):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_essays", *[str(p) for p in paths], stdout=out, stderr=err, **options)
    return out.getvalue()


def copy_fixture(name, folder):
    target = Path(folder) / name
    if (FIXTURES / name).is_dir():
        shutil.copytree(FIXTURES / name, target)
    else:
        shutil.copy(FIXTURES / name, target)
    return target


def media_files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
