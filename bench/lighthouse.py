"""
Lighthouse scores for an essay page and a search page, written to docs/QUALITY.md.

    make lighthouse        (or: .venv/bin/python bench/lighthouse.py)

It serves the demo content with gunicorn and production-like settings (DEBUG
off, compressed static files) from a throwaway SQLite database, then runs the
npm `lighthouse` package against Debian's Chromium. A report, not a test: it
fails only when something cannot run.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
QUALITY = ROOT / "docs" / "QUALITY.md"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
SEARCH_QUERY = "Serge"
START = "<!-- lighthouse:start -->"
END = "<!-- lighthouse:end -->"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def site_environment(folder):
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": "lighthouse-report-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{folder / 'lighthouse.db'}",
        "MEDIA_ROOT": str(folder / "media"),
        # Served on plain HTTP here; HTTPS is the proxy's job in production.
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_COOKIES": "false",
        "SECURE_HSTS_SECONDS": "0",
    }


def manage(env, *args):
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout


def essay_path(env):
    # The longest published essay: the most markup for Lighthouse to judge.
    code = (
        "from django.db.models.functions import Length\n"
        "from essays.models import Essay\n"
        "print(Essay.objects.published().order_by(Length('body').desc()).first()"
        ".get_absolute_url())"
    )
    return manage(env, "shell", "-c", code).strip().splitlines()[-1]


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"The site did not answer at {url}.")


def lighthouse(url, chromium, folder):
    report = folder / "report.json"
    subprocess.run(
        [
            str(LIGHTHOUSE),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--chrome-flags=--headless --no-sandbox --disable-gpu --no-first-run",
        ],
        env={**os.environ, "CHROME_PATH": chromium},
        check=True,
    )
    data = json.loads(report.read_text(encoding="utf-8"))
    scores = {name: round(data["categories"][name]["score"] * 100) for name in CATEGORIES}
    # Every audit that lost points, so the report says what to fix.
    losses = []
    for name in CATEGORIES:
        for ref in data["categories"][name]["auditRefs"]:
            audit = data["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                losses.append(f"{name}: {audit['title']}")
    return scores, losses, data["lighthouseVersion"]


def write_report(results, version):
    rows = [
        "| page | " + " | ".join(CATEGORIES) + " |",
        "|---|" + "---|" * len(CATEGORIES),
    ]
    notes = []
    for label, (path, scores, losses) in results.items():
        rows.append(
            f"| {label} (`{path}`) | " + " | ".join(str(scores[c]) for c in CATEGORIES) + " |"
        )
        notes += [f"- {label}, {loss}" for loss in losses]
    block = "\n".join(
        [
            START,
            f"Measured on {date.today():%d %B %Y} with Lighthouse {version} and Debian's "
            "Chromium (mobile emulation, simulated throttling), against gunicorn serving the "
            "demo content with DEBUG off.",
            "",
            *rows,
            "",
            "Audits that lost points:" if notes else "No audit lost points.",
            *notes,
            END,
        ]
    )
    text = QUALITY.read_text(encoding="utf-8") if QUALITY.exists() else ""
    if START in text and END in text:
        text = text[: text.index(START)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n## Lighthouse\n\n" + block + "\n"
    QUALITY.write_text(text, encoding="utf-8")


def main():
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not chromium or not LIGHTHOUSE.exists():
        raise SystemExit("Needs Debian's chromium and `npm ci` (see `make browser-tools`).")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = site_environment(folder)
        manage(env, "migrate", "--no-input")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--no-input")
        pages = {"Essay": essay_path(env), "Search": f"/search/?q={SEARCH_QUERY}"}
        port = free_port()
        server = subprocess.Popen(
            [PYTHON, "-m", "gunicorn", "sergesite.wsgi", "--bind", f"127.0.0.1:{port}"],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(base + "/")
            results = {}
            for label, path in pages.items():
                scores, losses, version = lighthouse(base + path, chromium, folder)
                results[label] = (path, scores, losses)
                print(label, path, scores)
        finally:
            server.terminate()
            server.wait(timeout=10)
    write_report(results, version)
    print(f"Written to {QUALITY.relative_to(ROOT)}.")


if __name__ == "__main__":
    main()
