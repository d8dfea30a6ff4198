"""
Start-up and memory benchmark: how long a fresh gunicorn takes to give its
first page, and how much memory a worker holds once it has served every kind
of page. One command:

    .venv/bin/python bench/startup.py                       # this tree, 5 fresh servers
    .venv/bin/python bench/startup.py --against main        # and another revision, alternated
    .venv/bin/python bench/startup.py --against main --write  # and update docs/PERFORMANCE.md

Each tree (this one, and with --against a copy of that revision made by
`git archive`) gets its own SQLite database with the demo content
(`load_demo`), its own collected static files and an empty file cache. The
servers run with production settings (DEBUG off) as bench/pages.py starts
them, without its Redis: the file cache is warmed by one pass over the pages
first, so that measured workers find cached citations as a running site's
new workers do (the requests name one host for that: see HOST).
Every request sends a session cookie, which bypasses the page cache: each
view runs. Not a test: it measures, it does not assert.

With --postgres each tree's database is PostgreSQL instead (sergesite_startup_bench,
dropped and created again; BENCH_POSTGRES_URL overrides it), as the issue's
figures were measured: the driver alone is about 12 MB of a worker.

Figures per tree, each the median over --times fresh servers, the trees
alternated so that both see the same machine load:

- cold start: gunicorn spawned (one worker) to the first 200 from `/`;
- one worker's RSS, PSS and USS after each page kind was requested once;
- two workers (--workers), without and (unless --no-preload) with
  gunicorn's preload_app: the workers' memory and the whole service's PSS
  (arbiter and workers), the fair total when pages are shared between processes.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from common import (
    ROOT,
    archive,
    child_pids,
    free_port,
    fresh_database,
    stop_process,
    write_section,
)

SECTION_TITLE = "## Start-up and memory"
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
COOKIE = "sessionid=bench-startup"
# Every request names the same host, as behind nginx. The port of each fresh
# server would otherwise change the absolute addresses in citation records,
# and with them the cache keys: no server would find a citation cached.
HOST = "localhost"
PG_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sergesite_startup_bench"
)
RSS_TARGET_MB = 80
COLD_START_TARGET_S = 1.0
# What serving pages does not need; the test in tests/test_startup.py keeps
# the first five out of start-up.
HEAVY = [
    "lxml.html",
    "readability",
    "citeproc",
    "PIL.Image",
    "markdown_it",
    "nh3",
    "django.contrib.syndication.views",
    "essays.importing.sources",
    "essays.exchange.dump",
]
# Prints, in a tree's own settings, the heavy modules a worker holds after
# start-up (django.setup(), the WSGI application, the URLconf), and the slugs
# of the pages to request.
PROBE = """
import json, sys
import django
django.setup()
import sergesite.wsgi
from django.urls import get_resolver
get_resolver().url_patterns
loaded = [name for name in sys.argv[1:] if name in sys.modules]
from essays.models import Essay, Section
from people.models import Person
from works.models import Work
essay = Essay.objects.published().order_by("pk").first()
print(json.dumps({
    "loaded": loaded,
    "modules": len(sys.modules),
    "essay": essay.slug,
    "section": essay.section.slug,
    "tag": essay.tags.order_by("pk").first().slug,
    "person": Person.objects.order_by("pk").first().slug,
    "work": Work.objects.order_by("pk").first().slug,
}))
"""


def page_list(slugs):
    return [
        ("home", "/"),
        ("essay", f"/essays/{slugs['essay']}/"),
        ("person", f"/people/{slugs['person']}/"),
        ("work", f"/works/{slugs['work']}/"),
        ("section", f"/sections/{slugs['section']}/"),
        ("tag", f"/tags/{slugs['tag']}/"),
        ("people", "/people/"),
        ("works", "/works/"),
        ("search", "/search/?q=serge"),
        ("search without a match", "/search/?q=xqzvwkj"),
        ("sitemap", "/sitemap.xml"),
    ]


# Requested after the pages, and measured apart: a feed is the one page kind
# that parses HTML (each entry's links are made absolute).
FEEDS = [("feed", "/feed/"), ("section feed", "/sections/{section}/feed/atom/")]


# --- The trees -----------------------------------------------------------------


class Tree:
    """A checkout with its own database, static files and cache, and the environment to run it."""

    def __init__(self, label, path, folder, database_url):
        self.label, self.path = label, path
        folder.mkdir(parents=True, exist_ok=True)
        self.cache = folder / "cache"
        self.env = dict(os.environ)
        self.env.update(
            DJANGO_SETTINGS_MODULE="sergesite.settings",
            DATABASE_URL=database_url,
            CACHE_DIR=str(self.cache),
            DEBUG="false",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=HOST,
            SECURE_SSL_REDIRECT="false",
            SECURE_COOKIES="false",
            SECURE_HSTS_SECONDS="0",
            PYTHONPATH=str(path),
            # Compiled bytecode, as a deployment has it (DEPLOY.md compiles it at each release).
            PYTHONPYCACHEPREFIX=str(folder / "pycache"),
        )
        for name in ("REDIS_URL", "PYTHONDONTWRITEBYTECODE", "DATABASE_REPLICA_URL"):
            self.env.pop(name, None)

    def manage(self, *args):
        subprocess.run(
            [str(PYTHON), "manage.py", *args],
            cwd=self.path,
            env=self.env,
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def prepare(self):
        print(f"-- {self.label}: database, demo content, static files", file=sys.stderr)
        self.manage("migrate", "--no-input", "-v0")
        self.manage("load_demo")
        self.manage("collectstatic", "--no-input", "-v0")
        done = subprocess.run(
            [str(PYTHON), "-c", PROBE, *HEAVY],
            cwd=self.path,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        self.probe = json.loads(done.stdout.strip().splitlines()[-1])
        self.pages = page_list(self.probe)
        self.feeds = [(name, url.format(**self.probe)) for name, url in FEEDS]


# --- gunicorn --------------------------------------------------------------------


class Server:
    def __init__(self, tree, *, workers, preload=False):
        self.port = free_port()
        command = [str(GUNICORN), "sergesite.wsgi:application", "--workers", str(workers)]
        command += ["--bind", f"127.0.0.1:{self.port}", "--timeout", "120"]
        if preload:
            command.append("--preload")
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            cwd=tree.path,
            env=tree.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def get(self, path, timeout=60):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}")
        request.add_header("Cookie", COOKIE)
        request.add_header("Host", HOST)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status

    def first_response(self, path="/", timeout=60):
        """Seconds from spawning gunicorn to the first 200 from path."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit("gunicorn stopped before answering")
            try:
                if self.get(path) == 200:
                    return time.perf_counter() - self.started
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.01)
        sys.exit(f"gunicorn did not answer {path} within {timeout} s")

    def workers(self):
        return child_pids(self.process.pid)

    def stop(self):
        stop_process(self.process)


def memory(pid):
    """RSS, PSS and USS (private pages) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return {
        "rss": fields["Rss"],
        "pss": fields["Pss"],
        "uss": fields["Private_Clean"] + fields["Private_Dirty"],
    }


# --- The measures ----------------------------------------------------------------


def warm_cache(tree):
    """One pass over the pages, so that citations and the like are cached as on a running site."""
    server = Server(tree, workers=1)
    try:
        server.first_response()
        for _, url in tree.pages:
            server.get(url)
    finally:
        server.stop()


def cpu_seconds(pid):
    """User and system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cold_start(tree):
    """
    Seconds to the first 200, and the CPU time the arbiter and its worker
    spent on it: the second barely moves with the machine's load, the first does.
    """
    server = Server(tree, workers=1)
    try:
        seconds = server.first_response()
        pids = [server.process.pid, *server.workers()]
        return {"wall": seconds, "cpu": sum(cpu_seconds(pid) for pid in pids)}
    finally:
        server.stop()


def after_pages(tree):
    """One worker's memory after it served every page once, and then the feeds too."""
    server = Server(tree, workers=1)
    try:
        server.first_response()
        statuses = {name: server.get(url) for name, url in tree.pages}
        figures = memory(server.workers()[0])
        statuses.update({name: server.get(url) for name, url in tree.feeds})
        figures.update(
            {f"{key}_feeds": value for key, value in memory(server.workers()[0]).items()}
        )
        bad = {name: status for name, status in statuses.items() if status != 200}
        if bad:
            sys.exit(f"{tree.label}: pages did not answer 200: {bad}")
        return figures
    finally:
        server.stop()


def service(tree, *, workers, preload):
    """
    Several workers (with or without preload_app) after as many clients at
    once each asked for every page: the largest worker's RSS, the workers'
    mean PSS and USS, and the PSS of the whole service (arbiter and
    workers), which counts each shared page once.
    """
    server = Server(tree, workers=workers, preload=preload)
    try:
        server.first_response()
        clients = [
            threading.Thread(target=lambda: [server.get(url) for _, url in tree.pages + tree.feeds])
            for _ in range(workers)
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        each = [memory(pid) for pid in server.workers()]
        return {
            "rss": max(worker["rss"] for worker in each),
            "pss": statistics.mean(worker["pss"] for worker in each),
            "uss": statistics.mean(worker["uss"] for worker in each),
            "total": memory(server.process.pid)["pss"] + sum(worker["pss"] for worker in each),
        }
    finally:
        server.stop()


def measure(trees, times, *, workers, preload):
    modes = ["plain", "preload"] if preload else ["plain"]
    results = {tree.label: {"cold": [], "worker": [], "plain": [], "preload": []} for tree in trees}
    for number in range(times):
        print(f"-- round {number + 1} of {times}", file=sys.stderr, flush=True)
        for tree in trees:
            figures = results[tree.label]
            figures["cold"].append(cold_start(tree))
            figures["worker"].append(after_pages(tree))
            for mode in modes:
                figures[mode].append(service(tree, workers=workers, preload=mode == "preload"))
    return results


def median(runs, key):
    return statistics.median(run[key] for run in runs)


# --- The report ------------------------------------------------------------------


def render(trees, results, args, load):
    columns = [tree.label for tree in trees]
    database = "PostgreSQL" if args.postgres else "SQLite"
    lines = [
        SECTION_TITLE,
        "",
        "`bench/startup.py` (one command: `.venv/bin/python bench/startup.py`, options",
        "`--against REV`, `--tree PATH`, `--times N`, `--postgres`, `--workers N`, `--no-preload`,",
        f"`--write`). gunicorn with production settings on {database} with the demo content",
        "and a warm file cache, as a site's new workers find it (citations cached). Each page is",
        "requested with a session cookie, so every view runs. Each figure is the median of",
        f"{args.times} fresh servers, the trees alternated.",
        "",
        f"Run on {time.strftime('%Y-%m-%d')}, load average {load[0]:.1f} / {load[1]:.1f} at the"
        f" start / end on {os.cpu_count()} CPUs.",
        "",
        "| measure | " + " | ".join(columns) + " | target |",
        "|---|" + "---:|" * len(columns) + "---:|",
    ]

    def row(label, values, target="–"):
        lines.append(f"| {label} | " + " | ".join(values) + f" | {target} |")

    row(
        "cold start: gunicorn spawned to the first 200 from `/` (1 worker)",
        [f"{median(results[c]['cold'], 'wall'):.2f} s" for c in columns],
        f"≤ {COLD_START_TARGET_S:.0f} s",
    )
    row(
        "CPU time of the arbiter and its worker until then",
        [f"{median(results[c]['cold'], 'cpu'):.2f} s" for c in columns],
    )
    for key, label in (
        ("rss", "one worker's RSS after every page kind once"),
        ("pss", "its PSS"),
        ("uss", "its USS (private pages)"),
        ("rss_feeds", "its RSS once it also served the feeds"),
    ):
        target = f"≤ {RSS_TARGET_MB} MB" if key == "rss" else "–"
        row(label, [f"{median(results[c]['worker'], key):.1f} MB" for c in columns], target)
    workers = f"{args.workers} workers"
    for mode, name in (("plain", workers), ("preload", f"{workers}, `--preload`")):
        if not results[columns[0]][mode]:
            continue
        for key, label in (
            ("rss", "largest worker's RSS"),
            ("pss", "workers' mean PSS"),
            ("uss", "workers' mean USS"),
            ("total", "whole service's PSS (arbiter and workers)"),
        ):
            values = [f"{median(results[c][mode], key):.1f} MB" for c in columns]
            row(f"{name}: {label}", values)
    row(
        "modules in `sys.modules` after start-up",
        [str(tree.probe["modules"]) for tree in trees],
    )
    lines.append("")
    lines.append(
        "Loaded at start-up (`django.setup()`, the WSGI application and the URLconf), of"
        " those a page does not need:"
    )
    lines.append("")
    for tree in trees:
        loaded = ", ".join(f"`{name}`" for name in tree.probe["loaded"]) or "none of them"
        lines.append(f"- {tree.label}: {loaded}")
    pages = ", ".join(name for name, _ in trees[0].pages)
    feeds = ", ".join(name for name, _ in trees[0].feeds)
    lines.append("")
    lines.append(f"Pages requested: {pages}; then {feeds}. The {workers} rows request all of them.")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", metavar="REV", help="also measure this git revision")
    parser.add_argument(
        "--tree",
        metavar="PATH",
        type=Path,
        help="measure this checkout in place of this one (a change not yet committed)",
    )
    parser.add_argument("--times", type=int, default=5, help="fresh servers per measure")
    parser.add_argument("--workers", type=int, default=2, help="workers of the service rows")
    parser.add_argument("--no-preload", action="store_true", help="skip the preload_app runs")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL, not SQLite")
    parser.add_argument("--write", action="store_true", help="update docs/PERFORMANCE.md")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as folder:
        folder = Path(folder)
        trees = []
        this = ("this tree", "this") if args.tree is None else (args.tree.name, "this")
        for label, name in ((args.against, "against"), this):
            if label is None:
                continue
            if args.postgres:
                url = fresh_database("postgres", sqlite_path=None, postgres_url=f"{PG_URL}_{name}")
            else:
                url = f"sqlite:///{folder / name / 'demo.sqlite3'}"
            path = args.tree or ROOT
            if name == "against":
                path = folder / "tree"
                archive(args.against, path)
            trees.append(Tree(label, path, folder / name, url))
        for tree in trees:
            tree.prepare()
            warm_cache(tree)
        results = measure(trees, args.times, workers=args.workers, preload=not args.no_preload)
    text = render(trees, results, args, (load_before, os.getloadavg()[0]))
    if args.write:
        write_section(SECTION_TITLE, text)
    print(text)


if __name__ == "__main__":
    main()
