"""manage.py reads the .env file that `make run` writes, for local work only."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

import manage

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def clean_environ(monkeypatch):
    monkeypatch.delenv("SERGESITE_TEST_VALUE", raising=False)
    return monkeypatch


def test_a_dotenv_line_sets_a_variable_the_environment_lacks(tmp_path, clean_environ):
    dotenv = tmp_path / ".env"
    dotenv.write_text("# local\nSERGESITE_TEST_VALUE='from file'\n")
    manage.load_dotenv(dotenv)
    assert os.environ["SERGESITE_TEST_VALUE"] == "from file"


def test_the_real_environment_wins_over_the_dotenv_file(tmp_path, clean_environ):
    clean_environ.setenv("SERGESITE_TEST_VALUE", "from environment")
    dotenv = tmp_path / ".env"
    dotenv.write_text("SERGESITE_TEST_VALUE=from file\n")
    manage.load_dotenv(dotenv)
    assert os.environ["SERGESITE_TEST_VALUE"] == "from environment"


def test_a_malformed_dotenv_line_stops_with_its_line_number(tmp_path, clean_environ):
    dotenv = tmp_path / ".env"
    dotenv.write_text("DEBUG=true\nnot a setting\n")
    with pytest.raises(SystemExit, match="line 2"):
        manage.load_dotenv(dotenv)


def test_manage_help_lists_the_project_commands_with_debug_from_the_environment():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"} | {"DEBUG": "true"}
    result = subprocess.run(
        [sys.executable, "manage.py", "help"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "load_demo" in result.stdout
