"""
Import benchmark: write N generated 5,000-word Markdown essays with front
matter to a folder, each naming some of the archive's people, then time
`import_essays`' own code path over them (read, decode, parse, plan, render,
mention detection, tags, bylines, old addresses, search documents, versions,
report). One command:

    .venv/bin/python bench/import_bench.py            # 300 essays, 3 rounds, both databases
    .venv/bin/python bench/import_bench.py --write    # and update docs/PERFORMANCE.md
    .venv/bin/python bench/import_bench.py --n 100 --rounds 1 --databases sqlite

Each (database, round) runs in its own process against a throwaway database
holding 300 people: SQLite in var/bench_import.sqlite3, PostgreSQL in
sergesite_bench_import (dropped and created again). A round imports the
folder once (all created), then again (all unchanged: the cost of
idempotency), then saves SAVES more essays one at a time through
Essay.save(), as the admin and the shell do. The time the importer's main
process spends in each step is measured separately, to say where it goes.
With --write, the figures replace the "Import" section of docs/PERFORMANCE.md.
Not a test: it measures, it does not assert.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import (
    FACT_PEOPLE,
    TAGS,
    TOPICS,
    Corpus,
    fresh_database,
    make_rng,
    person_name,
    write_section,
)

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench_import.sqlite3"
PG_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sergesite_bench_import"
)
SECTION_TITLE = "## Import"
PEOPLE = 300
NAMED_PER_ESSAY = 6
SAVES = 30


def people_names(seed=1):
    """The archive's people: the well-known ones and invented ones."""
    rng = make_rng(seed + 1)
    names = [name for name, _ in FACT_PEOPLE]
    while len(names) < PEOPLE:
        name = person_name(rng)
        if name not in names:
            names.append(name)
    return names


def write_corpus(folder, n, seed=1):
    """N Markdown files shaped like editors' drafts: headings, a quotation, a footnote."""
    rng = make_rng(seed)
    corpus = Corpus(seed)
    topics = list(TOPICS)
    names = people_names(seed)
    for number in range(n):
        topic, second = rng.sample(topics, 2)
        paragraphs = corpus.essay_text(rng, topic, second)
        for name in rng.sample(names, NAMED_PER_ESSAY):
            at = rng.randrange(len(paragraphs))
            paragraphs[at] += f" As {name} put it, the question stayed open."
        parts = []
        for index, paragraph in enumerate(paragraphs):
            if index and index % 6 == 0:
                parts.append(f"## {paragraph.split('.')[0][:50].strip()}")
            parts.append(f"> {paragraph}" if index % 9 == 4 else paragraph)
        parts[1] += "[^1]"
        parts.append("[^1]: A note on the sources.")
        tags = ", ".join(rng.sample(TAGS, 2))
        (folder / f"essay-{number:04d}.md").write_text(
            "---\n"
            f"title: {topic.capitalize()} and {second}, essay {number}\n"
            f"date: {rng.randint(1995, 2024)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n"
            f"tags: [{tags}]\n"
            f"summary: {paragraphs[0][:200]}\n"
            f"legacy_url: /{topic}/essay-{number}.html\n"
            "---\n\n" + "\n\n".join(parts) + "\n",
            encoding="utf-8",
        )


def worker(database, folder):
    os.environ["DATABASE_URL"] = fresh_database(
        database, sqlite_path=SQLITE_PATH, postgres_url=PG_URL
    )
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sergesite.settings")
    os.environ["MEDIA_ROOT"] = str(Path(folder) / "media")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache
    from django.core.management import call_command
    from django.utils.text import slugify

    from essays import mentions
    from essays.importing import bulk, workers
    from essays.importing.batch import ImportOptions, run_import
    from essays.models import Essay, Mention, Section
    from people.models import Person
    from search import index
    from sergesite import versions

    call_command("migrate", verbosity=0)
    cache.clear()
    section = Section.objects.create(title="Research", slug="research")
    Person.objects.bulk_create(
        Person(name=name, sort_name=name.split()[-1] + ", " + name.split()[0], slug=slugify(name))
        for name in people_names()
    )
    spent = dict.fromkeys(STEPS, 0.0)

    def timed(owner, attribute, step):
        function = getattr(owner, attribute)

        def wrapper(*args, **kwargs):
            if threading.current_thread() is not threading.main_thread():
                # Search documents written behind, beside the main process's work.
                return function(*args, **kwargs)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[step] += time.perf_counter() - started

        setattr(owner, attribute, wrapper)

    # The importer looks these names up at call time, so wrapping them here
    # measures exactly the calls it makes.
    timed(workers.Workers, "results", "waiting for workers")
    timed(bulk, "_checked_essay", "reading and checking")
    timed(mentions, "link_new", "mentions")
    timed(index, "update_many", "search index")
    timed(versions, "_record_each_committed", "versions")

    server = _server_process(database)
    machine, server_cpu = _machine_cpu(), _process_cpu(server)
    started, cpu = time.perf_counter(), time.process_time()
    reports = run_import([folder], ImportOptions(section=section))
    first, first_cpu = time.perf_counter() - started, time.process_time() - cpu
    machine, server_cpu = _machine_cpu() - machine, _process_cpu(server) - server_cpu
    created = sum(report.outcome == "created" for report in reports)

    started = time.perf_counter()
    again = run_import([folder], ImportOptions(section=section))
    second = time.perf_counter() - started

    # One at a time through save(), as the admin saves: rendering, mentions,
    # search document and version per essay.
    bodies = [
        Essay.objects.get(pk=pk).body for pk in Essay.objects.values_list("pk", flat=True)[:SAVES]
    ]
    started = time.perf_counter()
    for number, body in enumerate(bodies):
        Essay.objects.create(
            title=f"Saved {number}", slug=f"saved-{number}", section=section, body=body
        )
    saving = time.perf_counter() - started
    return {
        "database": database,
        "n": len(reports),
        "created": created,
        "essays": Essay.objects.count(),
        "mentions": Mention.objects.count(),
        "unchanged": sum(report.outcome == "unchanged" for report in again),
        "first_s": first,
        "first_cpu_s": first_cpu,
        "machine_cpu_s": machine,
        "server_cpu_s": server_cpu,
        "second_s": second,
        "save_s": saving / len(bodies),
        "steps": spent,
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }


def _machine_cpu():
    """Seconds of CPU the whole machine has spent busy (Linux), or 0 elsewhere."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    except OSError:
        return 0.0
    user, nice, system, idle, iowait, irq, softirq = (int(f) for f in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def _server_process(database):
    """The PostgreSQL backend serving this process's connection, or None."""
    if database != "postgres":
        return None
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _process_cpu(pid):
    """Seconds of CPU one process has used (Linux), or 0 if it can't be read."""
    if pid is None:
        return 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


STEPS = (
    "reading and checking",
    "waiting for workers",
    "mentions",
    "search index",
    "versions",
)


def render(results, n, rounds):
    lines = [
        SECTION_TITLE,
        "",
        "`bench/import_bench.py` (one command: `.venv/bin/python bench/import_bench.py`, options",
        "`--n`, `--rounds`, `--databases`, `--write`). It writes N generated Markdown essays of",
        "5,000 words with front matter (title, date, two tags, summary, old address), each with",
        f"headings, quotations, a footnote and {NAMED_PER_ESSAY} of the archive's {PEOPLE} people"
        " named,",
        "then runs the importer's own code path (`essays.importing.batch.run_import`, as",
        "`import_essays` does) against a fresh database, then again over the same folder",
        f"(everything unchanged), then saves {SAVES} essays one at a time through `Essay.save()`.",
        f"Figures are the median of {rounds} round(s) of {n} essays. New essays are written",
        "up to 100 at a time (`essays/importing/bulk.py`); worker processes (one per",
        "processor, at most four) render the next batch while the main process writes one,",
        "and on PostgreSQL a second connection writes the search documents and versions of",
        "the batch before. CPU is counted over the first import: the main process (its",
        "threads included), the database server process serving its main connection, and",
        "the whole machine (workers, both server processes, everything else running).",
        "",
        "| database | first import essays/s | ms per essay | main process CPU ms per essay"
        " | server CPU ms per essay, main connection | whole machine CPU ms per essay"
        " | second run essays/s | `Essay.save()` one at a time, essays/s | load average |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    databases = list(dict.fromkeys(result["database"] for result in results))
    for database in databases:
        rows = [r for r in results if r["database"] == database]
        first = statistics.median(r["first_s"] for r in rows)
        cpu = statistics.median(r["first_cpu_s"] for r in rows)
        server = statistics.median(r["server_cpu_s"] for r in rows)
        machine = statistics.median(r["machine_cpu_s"] for r in rows)
        second = statistics.median(r["second_s"] for r in rows)
        save = statistics.median(r["save_s"] for r in rows)
        load = statistics.median(r["load_average"] for r in rows)
        lines.append(
            f"| {database} | {n / first:.1f} | {first / n * 1000:.1f} | {cpu / n * 1000:.1f}"
            f" | {server / n * 1000:.1f} | {machine / n * 1000:.1f}"
            f" | {n / second:.0f} | {1 / save:.1f} | {load:.1f} on {rows[0]['cpus']} CPUs |"
        )
    lines += [
        "",
        "Where the main process's time goes during the first import, ms per essay"
        " (the rest: planning, bulk inserts, tags, bylines, old addresses, the report):",
        "",
        "| database | " + " | ".join(STEPS) + " |",
        "|---|" + "---:|" * len(STEPS),
    ]
    for database in databases:
        rows = [r for r in results if r["database"] == database]
        cells = [
            f"{statistics.median(r['steps'][step] for r in rows) / n * 1000:.1f}" for step in STEPS
        ]
        lines.append(f"| {database} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--write", action="store_true", help="update docs/PERFORMANCE.md")
    parser.add_argument("--worker", nargs=2, metavar=("DATABASE", "FOLDER"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(*args.worker)))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="import-bench-") as folder:
        essays_folder = Path(folder) / "essays"
        essays_folder.mkdir()
        write_corpus(essays_folder, args.n)
        for database in args.databases:
            for round_number in range(args.rounds):
                print(f"-- {database}, round {round_number + 1}", file=sys.stderr, flush=True)
                done = subprocess.run(
                    [sys.executable, __file__, "--worker", database, str(essays_folder)],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                results.append(json.loads(done.stdout.strip().splitlines()[-1]))
                print(f"   {results[-1]['first_s']:.1f} s", file=sys.stderr, flush=True)
    text = render(results, args.n, args.rounds)
    if args.write:
        write_section(SECTION_TITLE, text)
    print(text)


if __name__ == "__main__":
    main()
