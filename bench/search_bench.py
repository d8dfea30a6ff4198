"""
Search benchmark: generate a corpus, import it, build the index, time a fixed
mix of queries. One command:

    .venv/bin/python bench/search_bench.py                  # 1k and 10k, SQLite and PostgreSQL
    .venv/bin/python bench/search_bench.py --sizes 100000   # on request
    .venv/bin/python bench/search_bench.py --databases sqlite --sizes 1000

Each (database, size) runs in its own process against a throwaway database:
SQLite in var/bench_search.sqlite3, PostgreSQL in sergesite_bench_search
(dropped and created again). Not a test: it measures, it does not assert.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import fresh_database, import_corpus

ROOT = Path(__file__).resolve().parent.parent
SQLITE_PATH = ROOT / "var" / "bench_search.sqlite3"
PG_URL = "postgres://postgres@127.0.0.1:5432/sergesite_bench_search"

# At least 20 queries, grouped by what they exercise. Rare words are chosen
# from the generated long tail at run time (see rare_words()).
QUERIES = {
    "common word": [("revolution", {}), ("workers", {}), ("history", {})],
    "two words": [("soviet sailor", {}), ("strike wage", {}), ("novel translation", {})],
    "phrase": [('"political struggle"', {}), ('"the party"', {}), ('"workers movement"', {})],
    "other name": [("Kibalchich", {}), ("Bronstein", {}), ("Eric Blair", {})],
    "misspelled name": [("Trotzky", {}), ("Zinovyev", {}), ("Kibalchitch", {})],
    "facet filter": [
        ("revolution", {"kind": "essay", "section": "research"}),
        ("strike", {"decade": 2000}),
        ("exile", {"tag": "exile-1"}),
    ],
    "no match": [("xqzvwkj", {}), ("zzqq yyvv", {}), ("Trotsky-Kibalchich-Qwzx", {})],
}
NAME_QUERIES = ["Trots", "Kibal", "Zinov", "Orwell", "Volkov", "Kraseva", "Belstein", "Tse-tung"]


def rare_words(corpus):
    # Words from the far end of the tail: in a handful of essays at most.
    return [corpus.rare[-1], corpus.rare[-5000], corpus.rare[-15000]]


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def time_queries(repeat):
    from search.engines import Filters
    from search.results import search, suggestions

    def run(text, filters):
        started = time.perf_counter()
        results = search(text, filters=Filters(**filters))
        hits = list(results.page) if results.page else []
        return (time.perf_counter() - started) * 1000, results.total, len(hits)

    report = {}
    for kind, queries in QUERIES.items():
        timings, totals = [], []
        for text, filters in queries:
            run(text, filters)  # warm the caches, as a live site's would be
            for _ in range(repeat):
                ms, total, _ = run(text, filters)
                timings.append(ms)
            totals.append(total)
        report[kind] = {
            "p50": statistics.median(timings),
            "p95": percentile(timings, 0.95),
            "hits": totals,
        }
    timings = []
    for text in NAME_QUERIES:
        suggestions(text)
        for _ in range(repeat):
            started = time.perf_counter()
            suggestions(text)
            timings.append((time.perf_counter() - started) * 1000)
    report["name lookup (suggest)"] = {
        "p50": statistics.median(timings),
        "p95": percentile(timings, 0.95),
        "hits": [],
    }
    return report


def worker(database, size, repeat):
    os.environ["DATABASE_URL"] = fresh_database(
        database, sqlite_path=SQLITE_PATH, postgres_url=PG_URL
    )
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sergesite.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from search import index
    from search.models import Document

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    corpus = import_corpus(size)
    import_seconds = time.perf_counter() - started

    started = time.perf_counter()
    index.rebuild()
    build_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum or a nightly job would leave them.
        cursor.execute("ANALYZE")
    QUERIES["rare word"] = [(word, {}) for word in rare_words(corpus)]
    report = time_queries(repeat)
    all_p95 = [v["p95"] for v in report.values()]
    return {
        "database": database,
        "size": size,
        "documents": Document.objects.count(),
        "import_s": import_seconds,
        "index_build_s": build_seconds,
        "queries": report,
        "worst_p95": max(all_p95),
        # Other work on the machine inflates every figure: say how busy it was.
        "load_average": os.getloadavg()[0],
        "cpus": os.cpu_count(),
    }


def render(results):
    lines = []
    for result in results:
        lines.append(
            f"\n### {result['database']}, {result['size']:,} essays "
            f"({result['documents']:,} documents)\n"
        )
        lines.append(
            f"Import {result['import_s']:.1f} s; index build {result['index_build_s']:.1f} s;"
            f" load average {result['load_average']:.1f} on {result['cpus']} CPUs.\n"
        )
        lines.append("| Query kind | p50 ms | p95 ms | hits per query |")
        lines.append("|---|---:|---:|---|")
        for kind, row in result["queries"].items():
            hits = ", ".join(str(h) for h in row["hits"])
            lines.append(f"| {kind} | {row['p50']:.1f} | {row['p95']:.1f} | {hits} |")
    by_size = {}
    for result in results:
        by_size.setdefault(result["size"], {})[result["database"]] = result
    ratios = []
    for size, pair in sorted(by_size.items()):
        if {"sqlite", "postgres"} <= set(pair):
            for kind in pair["postgres"]["queries"]:
                pg = pair["postgres"]["queries"][kind]["p95"]
                lite = pair["sqlite"]["queries"][kind]["p95"]
                ratios.append(f"| {size:,} | {kind} | {lite / pg:.2f} |")
    if ratios:
        lines.append("\n### SQLite p95 / PostgreSQL p95\n")
        lines.append("| Essays | Query kind | ratio |")
        lines.append("|---:|---|---:|")
        lines += ratios
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--databases", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--worker", nargs=2, metavar=("DATABASE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        database, size = args.worker
        print(json.dumps(worker(database, int(size), args.repeat)))
        return
    results = []
    for size in args.sizes:
        for database in args.databases:
            print(f"-- {database}, {size:,} essays", file=sys.stderr, flush=True)
            started = time.perf_counter()
            done = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--worker",
                    database,
                    str(size),
                    "--repeat",
                    str(args.repeat),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            print(f"   done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))
    print(render(results))


if __name__ == "__main__":
    main()
