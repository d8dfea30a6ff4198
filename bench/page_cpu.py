"""
Page CPU benchmark: the processor time one uncached request of each page
costs, in this tree and in another revision, alternated in the same run.
One command:

    .venv/bin/python bench/page_cpu.py --against 016d9be          # print the table
    .venv/bin/python bench/page_cpu.py --against 016d9be --write  # and update docs/PERFORMANCE.md

Each tree runs in a process of its own (bench/page_cpu_worker.py), which
calls the site's WSGI application directly, with production settings, on
the page benchmark's PostgreSQL corpus (bench/pages.py builds it: run that
first). The processes take turns, page by page and round by round, so that
both see the same machine: this machine's speed drifts by tens of per cent
within an hour, which makes figures taken minutes apart hard to compare.
Each figure is the median over rounds of the median over requests. Not a
test: it measures, it does not assert.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg
from common import ROOT, archive, write_section
from pages import PERSON_SLUG, PG_URL, SIZE, WORK_SLUG, corpus_marker, server_environment
from pages import database_comment as corpus_comment

SECTION_TITLE = "## Page CPU"
WORKER = Path(__file__).resolve().parent / "page_cpu_worker.py"
PYTHON = ROOT / ".venv" / "bin" / "python"


def essay_slug():
    """The essay bench/pages.py measures: published, with authors and mentions."""
    with psycopg.connect(PG_URL) as conn:
        row = conn.execute(
            "SELECT e.slug FROM essays_essay e WHERE e.slug LIKE %s"
            " AND e.status = 'published' AND e.published_at <= now()"
            " AND EXISTS (SELECT 1 FROM essays_essayauthor a WHERE a.essay_id = e.id)"
            " AND EXISTS (SELECT 1 FROM essays_mention m WHERE m.essay_id = e.id)"
            " ORDER BY e.id LIMIT 1",
            ["essay-5%"],
        ).fetchone()
    return row[0]


def pages():
    return [
        ("hello", "/hello/"),
        ("essay", f"/essays/{essay_slug()}/"),
        ("person", f"/people/{PERSON_SLUG}/"),
        ("work", f"/works/{WORK_SLUG}/"),
        ("home", "/"),
        ("section list", "/sections/research/"),
        ("`/people/`", "/people/"),
        ("`/works/`", "/works/"),
        ('search "kronstadt"', "/search/?q=kronstadt"),
    ]


class Worker:
    """One tree's process: asked a page and a count, it answers median CPU and wall ms."""

    def __init__(self, tree):
        env = server_environment(PG_URL)
        self.process = subprocess.Popen(
            [str(PYTHON), str(WORKER), str(tree)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )

    def measure(self, url, requests):
        self.process.stdin.write(f"{url} {requests}\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            sys.exit(f"the worker for {url} stopped; its error is above")
        cpu, wall = map(float, answer.split())
        return cpu, wall

    def stop(self):
        self.process.stdin.close()
        self.process.wait(timeout=60)


def run(trees, page_list, rounds, requests):
    workers = {label: Worker(path) for label, path in trees}
    results = {}
    try:
        for number in range(rounds):
            print(f"-- round {number + 1} of {rounds}", file=sys.stderr, flush=True)
            order = list(workers) if number % 2 == 0 else list(reversed(workers))
            for name, url in page_list:
                for label in order:
                    results.setdefault((name, label), []).append(
                        workers[label].measure(url, requests)
                    )
    finally:
        for worker in workers.values():
            worker.stop()
    return results


def render(trees, page_list, results, args, load):
    (old, _), (new, _) = trees

    def cpu(name, label):
        return statistics.median(cpu for cpu, _ in results[(name, label)])

    lines = [
        SECTION_TITLE,
        "",
        "`bench/page_cpu.py` (one command: `.venv/bin/python bench/page_cpu.py --against REV`,",
        "options `--rounds`, `--requests`, `--write`). Processor time of one uncached request",
        "(a session cookie, so every view runs), through the WSGI application in-process with",
        f"production settings, on the page benchmark's corpus ({SIZE:,} essays, PostgreSQL,",
        "the Redis cache). The two trees take turns in the same run, page by page; each",
        f"figure is the median over {args.rounds} rounds of the median of {args.requests}",
        "requests, and *new/old* the median of the per-round ratios.",
        "",
        f"Run on {__import__('datetime').date.today().isoformat()}, load average "
        f"{load[0]:.1f} / {load[1]:.1f} at the start / end on {os.cpu_count()} CPUs.",
        "",
        f"| page | CPU ms, {old} | CPU ms, {new} | new/old | share of hello-world, {old} "
        f"| share, {new} |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, _ in page_list:
        ratios = [
            b[0] / a[0] for a, b in zip(results[(name, old)], results[(name, new)], strict=True)
        ]
        lines.append(
            f"| {name} | {cpu(name, old):.2f} | {cpu(name, new):.2f} "
            f"| {statistics.median(ratios):.2f} "
            f"| {cpu('hello', old) / cpu(name, old) * 100:.1f} % "
            f"| {cpu('hello', new) / cpu(name, new) * 100:.1f} % |"
        )
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", metavar="REV", required=True, help="the other revision")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--requests", type=int, default=40, help="requests per page and round")
    parser.add_argument("--write", action="store_true", help="update docs/PERFORMANCE.md")
    args = parser.parse_args()
    if corpus_comment(PG_URL) != corpus_marker(SIZE):
        sys.exit("The page benchmark's corpus is missing: run bench/pages.py first.")
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-page-cpu-") as folder:
        other = Path(folder) / "tree"
        archive(args.against, other)
        trees = [(args.against, other), ("this tree", ROOT)]
        page_list = pages()
        results = run(trees, page_list, args.rounds, args.requests)
    text = render(trees, page_list, results, args, (load_before, os.getloadavg()[0]))
    if args.write:
        write_section(SECTION_TITLE, text)
    print(text)


if __name__ == "__main__":
    main()
