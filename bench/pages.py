"""
Page benchmark: gunicorn with 2 workers on PostgreSQL with a 10,000-essay,
10,000-person, 5,000-work corpus, loaded by wrk; every page is measured
against a hello-world view (the ceiling) in the same round. One command:

    .venv/bin/python bench/pages.py                          # 4 rounds of 8 s, every page
    .venv/bin/python bench/pages.py --write                  # and update docs/PERFORMANCE.md
    .venv/bin/python bench/pages.py --rounds 2 --seconds 5 --only essay search-kronstadt

The database (sergesite_bench_pages; BENCH_POSTGRES_URL overrides it) is
built once and reused while its size and seed match; --rebuild builds it
again. Each page is loaded twice per round: "uncached" with a session cookie
(which bypasses a page cache for anonymous readers) and "cached" without one.
It also reports SQL queries per page (in-process, with the same settings),
worker RSS, cold start and the import rate. Not a test: it measures, it does
not assert.
"""

import argparse
import json
import os
import secrets
import shutil
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
    child_pids,
    free_port,
    fresh_database,
    import_corpus,
    make_rng,
    stop_process,
    write_section,
)

PG_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sergesite_bench_pages"
)
SIZE = 10_000
SEED = 1
# Bump when the corpus changes shape, so that an old database is rebuilt.
CORPUS_VERSION = 2  # 2: people filed by surname, as save() files them
REDIS_URL = "redis://127.0.0.1:6379/13"
UNCACHED_COOKIE = "sessionid=bench-uncached"
SECTION_TITLE = "## Pages"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
LOG = ROOT / "var" / "bench_pages_gunicorn.log"
# Compiled bytecode for the servers and the cold starts, as a deployment has it.
PYCACHE = ROOT / "var" / "pycache"
# The person and work whose pages are measured: well known, not the most cited.
PERSON_SLUG = "leon-trotsky"
WORK_SLUG = "work-0"
FAMOUS_WORKS = 5

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, "p99_us": %d, '
    .. '"errors": %d, "status_errors": %d, "timeouts": %d}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write, e.status, e.timeout))
end
"""


# --- The pages ---------------------------------------------------------------


def pages(essay_slug):
    """Name, label and address of every page measured, essay and search first (see RSS)."""
    return [
        ("essay", "essay", f"/essays/{essay_slug}/"),
        ("search-kronstadt", 'search "kronstadt"', "/search/?q=kronstadt"),
        ("search-common", 'search "history" (a common word)', "/search/?q=history"),
        ("search-none", "search with no match", "/search/?q=xqzvwkj"),
        ("home", "home", "/"),
        ("person", "person", f"/people/{PERSON_SLUG}/"),
        ("work", "work", f"/works/{WORK_SLUG}/"),
        ("section", "section list", "/sections/research/"),
        ("people", "`/people/`", "/people/"),
        ("works", "`/works/`", "/works/"),
        ("sitemap", "`/sitemap.xml`", "/sitemap.xml"),
    ]


PAGE_NAMES = [name for name, _, _ in pages("x")]
ESSAY_AND_SEARCH = {"essay", "search-kronstadt", "search-common", "search-none"}

# From the issue (12): the share of hello-world each kind of page must reach.
TARGETS = {
    "essay": 25,
    "person": 25,
    "work": 25,
    "home": 20,
    "section": 20,
    "people": 20,
    "works": 20,
}
CACHED_TARGET = 70
QUERY_TARGET = 4
RSS_TARGET_MB = 80
COLD_START_TARGET_S = 1.0
IMPORT_TARGET = 60


# --- The environment ---------------------------------------------------------


def server_environment(database_url):
    """What gunicorn, the cold starts and this process run with: production settings."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="bench.pages_settings",
        DATABASE_URL=database_url,
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        SECURE_HSTS_SECONDS="0",
        REDIS_URL=REDIS_URL,
        PYTHONPATH=str(ROOT),
        PYTHONPYCACHEPREFIX=str(PYCACHE),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("-- installing wrk", file=sys.stderr, flush=True)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=True, capture_output=True)
        return
    sys.exit(
        "wrk is not installed: run `sudo apt-get install -y wrk` (Debian's package), then again."
    )


# --- The corpus --------------------------------------------------------------


def corpus_marker(size):
    return f"sergesite bench pages: size={size} seed={SEED} version={CORPUS_VERSION}"


def database_comment(url):
    """The marker left on the database when it was built, or None if there is no database."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [name],
        ).fetchone()
    return row[0] if row else None


def ensure_corpus(size, rebuild):
    """Migrate, and build the corpus unless a database with the same marker is there."""
    from django.core.management import call_command
    from django.db import connection

    if not rebuild and database_comment(PG_URL) == corpus_marker(size):
        print("-- reusing the corpus in the database", file=sys.stderr, flush=True)
        call_command("migrate", verbosity=0)
        return
    fresh_database("postgres", sqlite_path=None, postgres_url=PG_URL)
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    print(f"-- generating {size:,} essays, people, works", file=sys.stderr, flush=True)
    import_corpus(size, seed=SEED)
    print("-- anchors, authors, links and mentions", file=sys.stderr, flush=True)
    add_links(make_rng(SEED + 1))
    print("-- building the search index", file=sys.stderr, flush=True)
    from search import index

    index.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        name = PG_URL.rsplit("/", 1)[1]
        cursor.execute(f"COMMENT ON DATABASE \"{name}\" IS '{corpus_marker(size)}'")
    print(f"   built in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)


def add_links(rng):
    """
    What the generator leaves out and the pages show: paragraph anchors, authors,
    the people and works an essay is about, and accepted mentions (which point at
    a paragraph). Each essay's body is parsed once; nothing is rendered from Markdown.
    """
    from django.db import connection

    from essays.models import Essay, EssayAuthor, Mention
    from people.models import Person
    from sergesite.paragraphs import paragraph_anchors
    from works.models import Contribution, Work

    people = dict(Person.objects.values_list("slug", "pk"))
    names = dict(Person.objects.values_list("pk", "name"))
    person_ids = sorted(people.values())
    famous = [people[slug] for slug in ("victor-serge", PERSON_SLUG, "george-orwell")]
    famous += [people["grigory-zinoviev"], people["mao-zedong"]]
    writers = rng.sample(person_ids, 300)
    works = dict(Work.objects.values_list("slug", "pk"))
    titles = dict(Work.objects.values_list("pk", "title"))
    work_ids = sorted(works.values())
    famous_works = [works[f"work-{n}"] for n in range(FAMOUS_WORKS)]
    Contribution.objects.bulk_create(
        [Contribution(work_id=pk, person_id=people[PERSON_SLUG]) for pk in famous_works],
        ignore_conflicts=True,
    )

    table = Essay._meta.db_table
    about_people = Essay.people.through
    about_works = Essay.works.through
    essays = Essay.objects.order_by("pk").values_list("pk", "body_html")
    batch = []

    def flush():
        rows, authors, ticked, discussed, mentions = [], [], [], [], []
        for pk, body in batch:
            anchored = paragraph_anchors(body)
            rows.append((anchored, pk))
            anchors = [part.split('"', 1)[0] for part in anchored.split('<p id="')[1:]]
            if rng.random() < 0.6:
                authors.append(EssayAuthor(essay_id=pk, person_id=rng.choice(writers)))
            chosen = set(rng.sample(person_ids, rng.randint(1, 3)))
            if rng.random() < 0.025:
                chosen.add(rng.choice(famous))
            ticked += [about_people(essay_id=pk, person_id=p) for p in chosen]
            discussed += [
                about_works(essay_id=pk, work_id=w)
                for w in set(rng.sample(work_ids, rng.randint(0, 2)))
            ]
            targets = [("person", p) for p in rng.sample(person_ids, 4)]
            targets.append(("work", rng.choice(work_ids)))
            if rng.random() < 0.05:
                targets.append(("person", rng.choice(famous)))
            if rng.random() < 0.05:
                targets.append(("work", rng.choice(famous_works)))
            for position, (kind, target) in enumerate(targets):
                phrase = names[target] if kind == "person" else titles[target]
                mentions.append(
                    Mention(
                        essay_id=pk,
                        person_id=target if kind == "person" else None,
                        work_id=target if kind == "work" else None,
                        phrase=phrase[:300],
                        anchor=rng.choice(anchors) if anchors else "",
                        position=1000 * (position + 1),
                        context=f"… as {phrase[:200]} wrote at the time …",
                        status=Mention.Status.ACCEPTED,
                    )
                )
        with connection.cursor() as cursor:
            cursor.executemany(f'UPDATE "{table}" SET body_html = %s WHERE id = %s', rows)
        EssayAuthor.objects.bulk_create(authors)
        about_people.objects.bulk_create(ticked, ignore_conflicts=True)
        about_works.objects.bulk_create(discussed, ignore_conflicts=True)
        Mention.objects.bulk_create(mentions, ignore_conflicts=True)
        batch.clear()

    for row in essays.iterator(chunk_size=500):
        batch.append(row)
        if len(batch) == 500:
            flush()
    if batch:
        flush()


def essay_to_measure():
    """A published essay in the middle of the corpus, with authors and mentions."""
    from essays.models import Essay

    essay = (
        Essay.objects.published()
        .filter(slug__startswith="essay-5", essay_authors__isnull=False, mentions__isnull=False)
        .order_by("pk")
        .first()
    )
    return essay.slug


# --- In-process: SQL queries and sizes -------------------------------------------


def count_queries(page_list):
    """
    Queries per page, as a warm worker runs them: the second request of two.
    The uncached request's session cookie costs statements of its own (see
    session_cost()); they are counted apart, since they are the cookie's, not the page's.
    """
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    results = {}
    for name, _, url in page_list:
        figures = {}
        for mode in ("uncached", "cached"):
            client = Client()
            for _ in range(2):
                if mode == "uncached":
                    # As wrk sends it every time, whatever the last answer set.
                    client.cookies["sessionid"] = UNCACHED_COOKIE.split("=", 1)[1]
                with CaptureQueriesContext(connection) as context:
                    response = client.get(url)
            page = _page_statements([q["sql"] for q in context.captured_queries])
            figures[mode] = {
                "status": response.status_code,
                "queries": len(page),
                "session": len(context.captured_queries) - len(page),
                "bytes": len(response.content),
            }
        results[name] = figures
    return results


def _page_statements(statements):
    """Leave out the session's lookup and save, and the transaction the save runs in."""
    session = [i for i, sql in enumerate(statements) if '"django_session"' in sql]
    wrapping = {i - 1 for i in session} | {i + 1 for i in session}
    return [
        sql
        for i, sql in enumerate(statements)
        if i not in session
        and not (i in wrapping and sql.strip().upper() in {"BEGIN", "COMMIT", "ROLLBACK"})
    ]


def clear_sessions():
    # Every uncached request leaves a new empty session row behind (see the report).
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()


# --- gunicorn and wrk --------------------------------------------------------------


class Server:
    def __init__(self, env, workers):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        LOG.parent.mkdir(exist_ok=True)
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "sergesite.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--timeout",
                "300",
                "--error-logfile",
                str(LOG),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def wait_for(self, path, timeout=120):
        """Seconds from spawning the server to the first 200 from path."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"gunicorn stopped; see {LOG}")
            try:
                with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
                    if response.status == 200:
                        return time.perf_counter() - self.started
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.02)
        sys.exit(f"gunicorn did not answer {path} within {timeout} s; see {LOG}")

    def workers(self):
        return child_pids(self.process.pid)

    def memory(self):
        """Largest current RSS and largest peak RSS over the workers, in MB."""
        rss, peak = [], []
        for pid in self.workers():
            status = Path(f"/proc/{pid}/status").read_text()
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            rss.append(int(fields["VmRSS"].split()[0]) / 1024)
            peak.append(int(fields["VmHWM"].split()[0]) / 1024)
        return {"rss_mb": max(rss), "peak_mb": max(peak)}

    def drain(self):
        """Wait until requests wrk left queued are done: two hellos, one per worker."""

        def hello():
            with urllib.request.urlopen(self.base + "/hello/", timeout=600) as response:
                response.read()

        threads = [threading.Thread(target=hello) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        time.sleep(0.3)

    def stop(self):
        stop_process(self.process)


def wrk(server, path, *, cookie, seconds, connections, script):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "120s"]
    command += ["--latency", "-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    done = subprocess.run(
        [*command, server.base + path], check=True, capture_output=True, text=True
    )
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    server.drain()
    duration = figures["duration_us"] / 1e6
    result = {
        "rps": figures["requests"] / duration,
        "requests": figures["requests"],
        "p99_ms": figures["p99_us"] / 1000,
        "errors": figures["errors"] + figures["status_errors"] + figures["timeouts"],
        "estimated": False,
    }
    if figures["requests"] < 2:
        # Slower than the run is long: time one request on the idle server
        # instead, and take the two workers' capacity from it.
        request = urllib.request.Request(server.base + path)
        if cookie:
            request.add_header("Cookie", cookie)
        started = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as response:
            response.read()
        seconds = time.perf_counter() - started
        result.update(rps=2 / seconds, p99_ms=seconds * 1000, estimated=True)
    return result


def load_rounds(server, page_list, args, script):
    """Every round: the ceiling, then each page uncached and cached."""
    rounds, memory = [], {}
    for number in range(args.rounds):
        print(f"-- round {number + 1} of {args.rounds}", file=sys.stderr, flush=True)
        options = {"seconds": args.seconds, "connections": args.connections, "script": script}
        figures = {"ceiling": wrk(server, "/hello/", cookie=None, **options)}
        done = set()
        for name, _, url in page_list:
            for mode, cookie in (("uncached", UNCACHED_COOKIE), ("cached", None)):
                figures[(name, mode)] = wrk(server, url, cookie=cookie, **options)
            done.add(name)
            # Memory as a worker serving only essays and searches has it, before the big lists.
            if number == 0 and "after_essay_search" not in memory and done >= ESSAY_AND_SEARCH:
                memory["after_essay_search"] = server.memory()
        rounds.append(figures)
    memory["after_all"] = server.memory()
    return rounds, memory


def summarise(rounds, page_list):
    """Per page and mode: medians over rounds of the ratio to the same round's ceiling."""
    summary = {"ceiling_rps": statistics.median(r["ceiling"]["rps"] for r in rounds)}
    for name, _, _ in page_list:
        for mode in ("uncached", "cached"):
            runs = [r[(name, mode)] for r in rounds]
            ceilings = [r["ceiling"]["rps"] for r in rounds]
            ratios = [run["rps"] / top * 100 for run, top in zip(runs, ceilings, strict=True)]
            summary[(name, mode)] = {
                "rps": statistics.median(run["rps"] for run in runs),
                "ratio": statistics.median(ratios),
                "p99_ms": statistics.median(run["p99_ms"] for run in runs),
                "errors": sum(run["errors"] for run in runs),
                "requests": sum(run["requests"] for run in runs),
                "estimated": any(run["estimated"] for run in runs),
            }
    return summary


# --- Cold start and the import rate --------------------------------------------------


def cold_starts(env, times=5):
    """Spawn to first 200 from / with one worker; and setup + the WSGI import alone."""
    first_response = []
    for _ in range(times):
        server = Server(env, workers=1)
        try:
            first_response.append(server.wait_for("/"))
        finally:
            server.stop()
    setup = "import django; django.setup(); import sergesite.wsgi"
    imports = []
    for _ in range(times):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-c", setup], env=env, cwd=ROOT, check=True)
        imports.append(time.perf_counter() - started)
    # As this machine runs Python by default: no bytecode cache, everything compiled.
    bare = {k: v for k, v in env.items() if k != "PYTHONPYCACHEPREFIX"}
    bare["PYTHONDONTWRITEBYTECODE"] = "1"
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", setup], env=bare, cwd=ROOT, check=True)
    no_bytecode = time.perf_counter() - started
    return {
        "first_response_s": statistics.median(first_response),
        "setup_s": statistics.median(imports),
        "setup_no_bytecode_s": no_bytecode,
        "times": times,
    }


def import_rate(n=200):
    """import_bench.py's own worker: N 5,000-word essays into a fresh PostgreSQL database."""
    import import_bench

    env = dict(os.environ)
    env["BENCH_POSTGRES_URL"] = PG_URL.rsplit("/", 1)[0] + "/sergesite_bench_import"
    with tempfile.TemporaryDirectory(prefix="pages-import-") as folder:
        essays = Path(folder) / "essays"
        essays.mkdir()
        import_bench.write_corpus(essays, n)
        done = subprocess.run(
            [sys.executable, import_bench.__file__, "--worker", "postgres", str(essays)],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return {"n": result["n"], "rate": result["n"] / result["first_s"]}


# --- The report ------------------------------------------------------------------


def fmt_ratio(value):
    return f"{value:.2f} %" if value < 1 else f"{value:.1f} %"


def approx(run):
    return "≈ " if run["estimated"] else ""


def fmt_rps(value):
    return f"{value:.2f}" if value < 10 else f"{value:.0f}"


def render(summary, queries, page_list, extras, args, load):
    lines = [
        SECTION_TITLE,
        "",
        "`bench/pages.py` (one command: `.venv/bin/python bench/pages.py`, options `--seconds`,",
        "`--rounds`, `--connections`, `--rebuild`, `--only PAGE...`, `--write`). gunicorn with 2",
        "sync workers and production settings (DEBUG off, the Redis cache) on PostgreSQL with",
        f"{args.size:,} essays of 5,000 words (97 % published), {args.size:,} people and",
        f"{args.size // 2:,} works: the search benchmark's generator, plus paragraph anchors,",
        "authors, the people and works each essay is about and five or six accepted mentions",
        f"per essay. wrk with {args.connections} connections, {args.rounds} round(s) of",
        f"{args.seconds} s per page and mode; each round measures the ceiling (a hello-world view",
        "through the same middleware) and then every page, and each share is the median of the",
        "per-round ratios. *Uncached* sends a session cookie (which bypasses a page cache for",
        "anonymous readers), *cached* none. SQL is counted in-process on a warm process (the",
        "second request of two), leaving out the statements the uncached cookie costs (below).",
        "",
        f"Run on {time.strftime('%Y-%m-%d')}, load average {load[0]:.1f} / {load[1]:.1f} at the",
        f"start / end on {os.cpu_count()} CPUs; the ceiling served "
        f"{summary['ceiling_rps']:.0f} req/s (median of rounds).",
        "",
        "| page | uncached req/s | share of hello-world | p99 ms | target | cached req/s"
        " | share | p99 ms | SQL uncached / cached | page size |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    notes = []
    for name, label, _ in page_list:
        un, ca = summary[(name, "uncached")], summary[(name, "cached")]
        sql = queries.get(name, {})
        target = f"≥ {TARGETS[name]} %" if name in TARGETS else "–"
        sql_text = f"{sql['uncached']['queries']} / {sql['cached']['queries']}" if sql else "–"
        size = f"{sql['uncached']['bytes'] / 1024:,.0f} KB" if sql else "–"
        lines.append(
            f"| {label} | {approx(un)}{fmt_rps(un['rps'])} | {approx(un)}{fmt_ratio(un['ratio'])}"
            f" | {un['p99_ms']:,.0f} | {target} | {approx(ca)}{fmt_rps(ca['rps'])}"
            f" | {approx(ca)}{fmt_ratio(ca['ratio'])}"
            f" | {ca['p99_ms']:,.0f} | {sql_text} | {size} |"
        )
        for mode, run in (("uncached", un), ("cached", ca)):
            if run["errors"]:
                notes.append(f"{label} {mode}: {run['errors']} errors or non-2xx answers.")
            if run["estimated"]:
                notes.append(
                    f"{label} {mode}: under wrk no request finished within a run; its rate is"
                    " two workers' worth of one request timed alone on the idle server."
                )
            elif run["requests"] < 5 * args.rounds:
                notes.append(
                    f"{label} {mode}: only {run['requests']} requests in all rounds: "
                    "its rate is rough."
                )
        if sql and any(sql[m]["status"] != 200 for m in sql):
            notes.append(f"{label}: answered {sql['uncached']['status']} in-process.")
    lines.append("")
    lines.append(
        f"Targets (issue 12): cached pages ≥ {CACHED_TARGET} % of hello-world; SQL ≤"
        f" {QUERY_TARGET} queries per uncached page; worker RSS ≤ {RSS_TARGET_MB} MB;"
        f" cold start ≤ {COLD_START_TARGET_S:.0f} s; import ≥ {IMPORT_TARGET} essays/s."
    )
    lines.append("")
    lines.append("| measure | measured | target |")
    lines.append("|---|---:|---:|")
    memory = extras.get("memory")
    if memory:
        for key, label in (
            ("after_essay_search", "worker RSS after the essay and search pages"),
            ("after_all", "worker RSS after every page"),
        ):
            if key in memory:
                lines.append(
                    f"| {label} (largest worker; its peak) | {memory[key]['rss_mb']:.0f} MB"
                    f" ({memory[key]['peak_mb']:.0f} MB) | ≤ {RSS_TARGET_MB} MB |"
                )
    cold = extras.get("cold")
    if cold:
        lines.append(
            f"| cold start: gunicorn spawned to first 200 from `/` (1 worker, median of"
            f" {cold['times']}) | {cold['first_response_s']:.2f} s"
            f" | ≤ {COLD_START_TARGET_S:.0f} s |"
        )
        lines.append(
            f"| `django.setup()` + `import sergesite.wsgi` in a new process (median of"
            f" {cold['times']}) | {cold['setup_s']:.2f} s | – |"
        )
        lines.append(
            f"| the same without a bytecode cache (every module compiled)"
            f" | {cold['setup_no_bytecode_s']:.2f} s | – |"
        )
    rate = extras.get("import")
    if rate:
        lines.append(
            f"| import rate, {rate['n']} essays of 5,000 words, PostgreSQL (import_bench.py)"
            f" | {rate['rate']:.1f} essays/s | ≥ {IMPORT_TARGET} essays/s |"
        )
    session = max((q["uncached"]["session"] for q in queries.values()), default=0)
    if session:
        notes.append(
            f"The uncached requests' cookie names no session, and each such request costs"
            f" {session} statement(s) besides the page's, even on /hello/: the session's"
            " lookup, after which the site clears the cookie instead of saving an empty"
            " session (sergesite/sessions.py)."
        )
    if notes:
        lines.append("")
        lines += [f"- {note}" for note in notes]
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=8, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--size", type=int, default=SIZE, help="essays and people (works: half)")
    parser.add_argument("--rebuild", action="store_true", help="build the database again")
    parser.add_argument(
        "--only",
        nargs="+",
        choices=PAGE_NAMES,
        metavar="PAGE",
        help=f"measure only these pages: {', '.join(PAGE_NAMES)}",
    )
    parser.add_argument(
        "--no-extras", action="store_true", help="skip cold start and the import rate"
    )
    parser.add_argument("--write", action="store_true", help="update docs/PERFORMANCE.md")
    args = parser.parse_args()
    ensure_wrk()
    load_before = os.getloadavg()[0]

    env = server_environment(PG_URL)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command

    ensure_corpus(args.size, args.rebuild)
    call_command("collectstatic", "--noinput", verbosity=0)
    cache.clear()
    clear_sessions()
    page_list = [p for p in pages(essay_to_measure()) if not args.only or p[0] in args.only]
    print("-- counting queries in-process", file=sys.stderr, flush=True)
    queries = count_queries(page_list)

    extras = {}
    server = Server(env, workers=2)
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        try:
            server.wait_for("/hello/")
            for _, label, url in page_list:  # each page once, so templates and caches are warm
                try:
                    urllib.request.urlopen(server.base + url, timeout=600).read()
                except urllib.error.HTTPError as error:
                    print(f"   {label} ({url}) answered {error.code}", file=sys.stderr)
            rounds, extras["memory"] = load_rounds(server, page_list, args, script.name)
        finally:
            server.stop()
    summary = summarise(rounds, page_list)
    if not args.no_extras:
        print("-- cold starts", file=sys.stderr, flush=True)
        extras["cold"] = cold_starts(env)
        print("-- import rate", file=sys.stderr, flush=True)
        extras["import"] = import_rate()
    text = render(summary, queries, page_list, extras, args, (load_before, os.getloadavg()[0]))
    if args.write:
        write_section(SECTION_TITLE, text)
    print(text)


if __name__ == "__main__":
    main()
