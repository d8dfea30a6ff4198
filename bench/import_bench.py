"""
Import benchmark: write N generated 5,000-word Markdown essays with front
matter to a folder, then time `import_essays`' own code path over them (read,
decode, parse, plan, save through Essay.save(), tags, report). One command:

    .venv/bin/python bench/import_bench.py            # 300 essays, 3 rounds, both databases
    .venv/bin/python bench/import_bench.py --write    # and update docs/PERFORMANCE.md
    .venv/bin/python bench/import_bench.py --n 100 --rounds 1 --databases sqlite

Each (database, round) runs in its own process against a throwaway database:
SQLite in var/bench_import.sqlite3, PostgreSQL in sergesite_bench_import
(dropped and created again). A round imports the folder once (all created),
then again (all unchanged: the cost of idempotency). The time inside the
renderer and the search index is measured separately, to say where it goes.
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
import time
from pathlib import Path

from common import TAGS, TOPICS, Corpus, fresh_database, make_rng, write_section

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench_import.sqlite3"
PG_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sergesite_bench_import"
)
SECTION_TITLE = "## Import"


def write_corpus(folder, n, seed=1):
    """N Markdown files shaped like editors' drafts: headings, a quotation, a footnote."""
    rng = make_rng(seed)
    corpus = Corpus(seed)
    topics = list(TOPICS)
    for number in range(n):
        topic, second = rng.sample(topics, 2)
        paragraphs = corpus.essay_text(rng, topic, second)
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
    from django.core.management import call_command

    import essays.models
    from essays.importing.batch import ImportOptions, run_import
    from essays.models import Essay, Section
    from search import index

    call_command("migrate", verbosity=0)
    section = Section.objects.create(title="Research", slug="research")
    spent = {"render": 0.0, "index": 0.0}

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return wrapper

    # The model looks these names up at call time, so wrapping them here
    # measures exactly the calls Essay.save() and the importer make.
    essays.models.render = timed("render", essays.models.render)
    index.update_for = timed("index", index.update_for)

    started = time.perf_counter()
    reports = run_import([folder], ImportOptions(section=section))
    first = time.perf_counter() - started
    created = sum(report.outcome == "created" for report in reports)
    first_spent = dict(spent)

    started = time.perf_counter()
    again = run_import([folder], ImportOptions(section=section))
    second = time.perf_counter() - started
    return {
        "database": database,
        "n": len(reports),
        "created": created,
        "essays": Essay.objects.count(),
        "unchanged": sum(report.outcome == "unchanged" for report in again),
        "first_s": first,
        "second_s": second,
        "render_s": first_spent["render"],
        "index_s": first_spent["index"],
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }


def render(results, n, rounds):
    lines = [
        SECTION_TITLE,
        "",
        "`bench/import_bench.py` (one command: `.venv/bin/python bench/import_bench.py`, options",
        "`--n`, `--rounds`, `--databases`, `--write`). It writes N generated Markdown essays of",
        "5,000 words with front matter (title, date, two tags, summary, old address), each with",
        "headings, quotations and a footnote, then runs the importer's own code path",
        "(`essays.importing.batch.run_import`, as `import_essays` does) against a fresh database,",
        "and then runs it again over the same folder (everything unchanged). Figures are the",
        f"median of {rounds} round(s) of {n} essays; render and index are the time spent inside",
        "`sergesite.markup.render()` and `search.index.update_for()` during the first import.",
        "",
        "| database | first import essays/s | ms per essay | of which render | of which index"
        " | rest | second run essays/s | load average |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for database in dict.fromkeys(result["database"] for result in results):
        rows = [r for r in results if r["database"] == database]
        first = statistics.median(r["first_s"] for r in rows)
        second = statistics.median(r["second_s"] for r in rows)
        per = first / n * 1000
        render_ms = statistics.median(r["render_s"] for r in rows) / n * 1000
        index_ms = statistics.median(r["index_s"] for r in rows) / n * 1000
        load = statistics.median(r["load_average"] for r in rows)
        lines.append(
            f"| {database} | {n / first:.1f} | {per:.0f} | {render_ms:.0f} ms | {index_ms:.0f} ms"
            f" | {per - render_ms - index_ms:.0f} ms | {n / second:.0f} | {load:.1f}"
            f" on {rows[0]['cpus']} CPUs |"
        )
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
