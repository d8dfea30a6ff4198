#!/usr/bin/env python
import os
import sys
from pathlib import Path

# Local settings that `make run` writes (DEBUG=true), so that
# `.venv/bin/python manage.py ...` works on a developer's machine without
# exporting anything. The real environment always wins; the web server
# (gunicorn, wsgi.py) never reads this file.
DOTENV = Path(__file__).resolve().parent / ".env"


def load_dotenv(path=DOTENV):
    if not path.is_file():
        return
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        if not equals or not name.strip().isidentifier():
            sys.exit(f"{path.name}, line {number}: expected NAME=value, not {line!r}.")
        os.environ.setdefault(name.strip(), value.strip().strip("'\""))


def main():
    load_dotenv()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sergesite.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
