"""Import workers (essays/importing/workers.py) render and scan without setting Django up."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Run in a fresh interpreter with no settings at all: anything in a worker's
# path that reached for Django's settings, models or database would fail.
WORKER = """
import json, pickle, sys
from essays import mention_scan
from essays.importing import workers
from sergesite import mentions as detector

matcher = detector.Matcher([detector.Target(("person", 7), (detector.Name("Victor Serge"),))])
scan = mention_scan.NewScan("v1", matcher, frozenset(), {("person", 7): "/people/victor-serge/"})
workers._start("v1", pickle.dumps(scan))
body = "## Exile\\n\\nVictor Serge wrote from Mexico."
[(rendered, linked, found)] = workers._work([body], "v1", None)
print(json.dumps({
    "heading": rendered.toc[0]["name"],
    "linked": linked,
    "found": [[item.phrase, item.status] for item in found],
    "models loaded": "django.db.models" in sys.modules,
}))
"""


def test_an_import_worker_renders_and_links_an_essay_without_django_set_up():
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    command = [sys.executable, "-c", WORKER]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)

    assert done.returncode == 0, done.stderr
    worked = json.loads(done.stdout)
    assert worked["heading"] == "Exile"
    assert '<a href="/people/victor-serge/" class="mention"' in worked["linked"]
    assert worked["found"] == [["Victor Serge", "accepted"]]
    assert worked["models loaded"] is False
