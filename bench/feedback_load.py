"""
Load and fault run for the feedback form: many readers and bots at once
against gunicorn (2 workers), then a check of the database.

    .venv/bin/python bench/feedback_load.py [--db sqlite|postgres|both] [--n 1000] [--clients 50]

For each database it runs twice on a fresh database: once with a working
mail server (a small SMTP sink in this script), once with the mail server
unreachable, after which send_pending_notifications must deliver every
notification exactly once. Everything listens on 127.0.0.1 only.
Exit status 1 when any check fails.
"""

import argparse
import http.client
import os
import random
import re
import shutil
import socket
import socketserver
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

import common

BASE = Path(__file__).resolve().parent.parent
PYTHON = BASE / ".venv" / "bin" / "python"
GUNICORN = BASE / ".venv" / "bin" / "gunicorn"
POSTGRES_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/sergesite_bench_feedback"
)
SQLITE_PATH = BASE / "var" / "bench_feedback.db"
# Long enough that a bot posting straight after the page loads is "too fast"
# even when requests queue for seconds; readers' forms are opened well before.
MIN_FILL = 10
RATE_LIMIT = 5
BLOCKED_WORD = "casino"

# Share of each kind of submission; the rest are valid messages.
MIX = {
    "honeypot": 0.05,
    "too_fast": 0.05,
    "links": 0.04,
    "blocked": 0.03,
    "invalid": 0.03,
    "double": 0.02,
    "burst": 0.08,
}


# --- Helpers: free ports, a mail sink, servers ------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink(socketserver.ThreadingTCPServer):
    """Just enough SMTP to accept Django's messages and keep them in memory."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), SmtpHandler)

    @property
    def port(self):
        return self.server_address[1]


class SmtpHandler(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")

    def handle(self):
        self.reply("220 bench sink")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 bench sink")
            elif command == "DATA":
                self.reply("354 go ahead")
                body = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    body.append(data)
                with self.server.lock:
                    self.server.messages.append(b"".join(body).decode(errors="replace"))
                self.reply("250 stored")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:  # MAIL, RCPT, RSET, NOOP
                self.reply("250 ok")


def start_redis():
    if not shutil.which("redis-server"):
        return None, ""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    wait_for_port(port)
    return process, f"redis://127.0.0.1:{port}/0"


def wait_for_port(port, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"Nothing answered on port {port} within {timeout} s.")


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=BASE, env=env, check=True)


def fresh_database(kind):
    return common.fresh_database(kind, sqlite_path=SQLITE_PATH, postgres_url=POSTGRES_URL)


def server_env(database_url, redis_url, smtp_port):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FEEDBACK_", "EMAIL_", "DATABASE_URL", "REDIS_URL"))
    }
    env.update(
        DEBUG="false",
        SECRET_KEY="bench-only-" + uuid.uuid4().hex,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SECURE_COOKIES="false",
        DATABASE_URL=database_url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        EMAIL_USE_TLS="false",
        EMAIL_TIMEOUT="5",
        FEEDBACK_NOTIFY="editor@bench.invalid",
        FEEDBACK_MIN_FILL_SECONDS=str(MIN_FILL),
        FEEDBACK_RATE_LIMIT=str(RATE_LIMIT),
        # Every request comes from 127.0.0.1: the clients name their "address"
        # in this header, which only this run trusts.
        CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR",
        LOG_LEVEL="ERROR",
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def start_gunicorn(env):
    port = free_port()
    # The server's own log (a warning per refused request) goes to a file.
    log = open(BASE / "var" / "bench_feedback_gunicorn.log", "a")  # noqa: SIM115
    process = subprocess.Popen(
        [GUNICORN, "sergesite.wsgi:application", "--workers", "2",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=BASE, env=env, stdout=log, stderr=log,
    )  # fmt: skip
    wait_for_port(port)
    return process, port


# --- The submissions --------------------------------------------------------


def plan(n, run_id):
    kinds = []
    for kind, share in MIX.items():
        kinds += [kind] * round(n * share)
    kinds += ["valid"] * (n - len(kinds))
    random.Random(run_id).shuffle(kinds)
    items = []
    for number, kind in enumerate(kinds):
        nonce = f"bench-{run_id}-{number:05d}"
        message = f"Reader message {nonce}: my edition dates Tulayev 1950, not 1948."
        if kind == "valid" and number % 3 == 0:
            message += " See https://archive.example/tulayev for the title page."
        elif kind == "links":
            message += " " + " ".join(f"https://shop{k}.example/" for k in range(5))
        elif kind == "blocked":
            message += f" Best {BLOCKED_WORD.upper()} offers."
        elif kind == "invalid":
            message = nonce[:9]  # under ten characters: a field error
        address = (
            "10.99.0.1"
            if kind == "burst"
            else f"10.{number // 65536 % 256}.{number // 256 % 256}.{number % 256}"
        )
        items.append({"kind": kind, "nonce": nonce, "message": message, "address": address})
    return items


def request(port, method, path, headers, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    try:
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        return (
            response.status,
            response.getheader("Set-Cookie") or "",
            response.read(),
            (time.perf_counter() - started),
        )
    finally:
        conn.close()


def open_form(port, item):
    status, cookie, body, seconds = request(
        port, "GET", "/feedback/?about=Tulayev", {"X-Forwarded-For": item["address"]}
    )
    html = body.decode()
    item["get_status"], item["get_seconds"] = status, seconds
    item["opened_at"] = time.monotonic()
    item["cookie"] = re.search(r"csrftoken=([^;]+)", cookie).group(1)
    item["fields"] = {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)
        for name in ("csrfmiddlewaretoken", "started")
    }


def send_form(port, item):
    data = {
        **item["fields"],
        "name": "Bench reader",
        "email": "reader@bench.invalid",
        "about": "Tulayev",
        "message": item["message"],
        "homepage": "http://spam.example/" if item["kind"] == "honeypot" else "",
        "page": "/essays/tulayev/",
    }
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": f"csrftoken={item['cookie']}",
        "X-Forwarded-For": item["address"],
    }
    statuses, seconds = [], []
    for _ in range(2 if item["kind"] == "double" else 1):
        status, _, _, spent = request(port, "POST", "/feedback/", headers, urlencode(data))
        statuses.append(status)
        seconds.append(spent)
    item["post_statuses"], item["post_seconds"] = statuses, seconds


def post_one(port, item):
    if item["kind"] == "too_fast":
        open_form(port, item)
    else:
        # A reader takes at least the minimum time to write.
        time.sleep(max(0, item["opened_at"] + MIN_FILL + 0.5 - time.monotonic()))
    send_form(port, item)


# --- Checking the result ----------------------------------------------------


def stored_rows(database_url):
    query = "SELECT message, status, notification_pending FROM feedback_feedback"
    if database_url.startswith("sqlite"):
        with sqlite3.connect(SQLITE_PATH) as conn:
            return conn.execute(query).fetchall()
    import psycopg

    with psycopg.connect(database_url) as conn:
        return conn.execute(query).fetchall()


def nonce_of(text):
    found = re.search(r"bench-\w+-\d{5}", text)
    return found.group(0) if found else None


def check(items, rows, sink_messages, smtp_up):
    problems = []
    stored = {}
    for message, status, pending in rows:
        stored.setdefault(nonce_of(message), []).append((status, bool(pending)))
    statuses = [code for item in items for code in item["post_statuses"]]
    if any(code >= 500 for code in statuses + [item["get_status"] for item in items]):
        problems.append(f"{sum(code >= 500 for code in statuses)} server errors")
    expected = {
        "valid": "new",
        "double": "new",
        "too_fast": "spam",
        "links": "held",
        "blocked": "held",
    }
    for item in items:
        found = stored.get(item["nonce"], [])
        kind = item["kind"]
        if kind in expected:
            if [status for status, _ in found] != [expected[kind]]:
                problems.append(
                    f"{item['nonce']} ({kind}) stored as {found}, expected one {expected[kind]}"
                )
        elif kind in ("honeypot", "invalid") and found:
            problems.append(f"{item['nonce']} ({kind}) was stored")
    burst = [item for item in items if item["kind"] == "burst"]
    accepted = [item for item in burst if item["post_statuses"] == [302]]
    refused = [item for item in burst if item["post_statuses"] == [429]]
    if len(accepted) != RATE_LIMIT or len(refused) != len(burst) - RATE_LIMIT:
        problems.append(f"burst: {len(accepted)} accepted, {len(refused)} refused")
    for item in accepted:
        if [status for status, _ in stored.get(item["nonce"], [])] != ["new"]:
            problems.append(f"{item['nonce']} accepted in the burst but not stored once")
    for item in refused:
        if item["nonce"] in stored:
            problems.append(f"{item['nonce']} refused in the burst but stored")
    new = [nonce for nonce, found in stored.items() if found[0][0] == "new"]
    pending = [nonce for nonce, found in stored.items() if found[0][1]]
    notified = [nonce_of(message) for message in sink_messages]
    if smtp_up:
        if sorted(notified) != sorted(new) or pending:
            problems.append(
                f"{len(notified)} notifications for {len(new)} new, {len(pending)} pending"
            )
    elif sorted(pending) != sorted(new) or notified:
        problems.append(
            f"SMTP down: {len(pending)} pending of {len(new)} new, {len(notified)} sent"
        )
    return problems, {"new": len(new), "pending": len(pending), "notified": len(notified)}


def run(kind, n, clients, smtp_up, redis_url, sink):
    run_id = uuid.uuid4().hex[:8]
    database_url = fresh_database(kind)
    env = server_env(database_url, redis_url, sink.port if smtp_up else 1)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(
        env,
        "shell",
        "-v0",
        "-c",
        "from feedback.models import BlockedWord; "
        f"BlockedWord.objects.create(word={BLOCKED_WORD!r})",
    )
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushall()
    with sink.lock:
        sink.messages.clear()
    server, port = start_gunicorn(env)
    try:
        items = plan(n, run_id)
        with ThreadPoolExecutor(clients) as pool:
            started = time.perf_counter()
            list(
                pool.map(
                    lambda item: open_form(port, item),
                    [i for i in items if i["kind"] != "too_fast"],
                )
            )
            get_wall = time.perf_counter() - started
            started = time.perf_counter()
            list(pool.map(lambda item: post_one(port, item), items))
            post_wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    problems, counts = check(items, stored_rows(database_url), list(sink.messages), smtp_up)

    retried = None
    if not smtp_up:
        # The mail server is back: the retry command sends each pending notice once.
        env_up = server_env(database_url, redis_url, sink.port)
        manage(env_up, "send_pending_notifications", "--grace", "0")
        manage(env_up, "send_pending_notifications", "--grace", "0")
        notified = sorted(nonce_of(message) for message in sink.messages)
        left = [row for row in stored_rows(database_url) if row[2]]
        retried = len(notified)
        if len(notified) != counts["new"] or len(set(notified)) != len(notified) or left:
            problems.append(
                f"retry sent {len(notified)} for {counts['new']} pending, {len(left)} left"
            )

    post_seconds = [s for item in items for s in item["post_seconds"]]
    posts = len(post_seconds)
    journal = None
    if kind == "sqlite":
        with sqlite3.connect(SQLITE_PATH) as conn:
            journal = conn.execute("PRAGMA journal_mode").fetchone()[0]
    return {
        "db": kind,
        "smtp": "up" if smtp_up else "unreachable",
        "submissions": n,
        "posts": posts,
        "codes": {
            code: sum(code == c for item in items for c in item["post_statuses"])
            for code in (200, 302, 429)
        },
        "stored": len(stored_rows(database_url)),
        **counts,
        "retried": retried,
        "get_median_ms": round(
            statistics.median(i["get_seconds"] for i in items if "get_seconds" in i) * 1000, 1
        ),
        "post_median_ms": round(statistics.median(post_seconds) * 1000, 1),
        "post_p95_ms": round(statistics.quantiles(post_seconds, n=20)[-1] * 1000, 1),
        "post_per_s": round(posts / post_wall, 1),
        "get_per_s": round((n - sum(i["kind"] == "too_fast" for i in items)) / get_wall, 1),
        "journal": journal,
        "problems": problems,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.strip().splitlines()[0])
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--n", type=int, default=1000, help="submissions per run (default 1000)")
    parser.add_argument("--clients", type=int, default=50, help="concurrent clients (default 50)")
    args = parser.parse_args()

    sink = SmtpSink()
    threading.Thread(target=sink.serve_forever, daemon=True).start()
    redis, redis_url = start_redis()
    if not redis_url:
        print("redis-server not found: each gunicorn worker counts the rate limit on its own.")
    results = []
    try:
        for kind in ["sqlite", "postgres"] if args.db == "both" else [args.db]:
            for smtp_up in (True, False):
                started = time.perf_counter()
                result = run(kind, args.n, args.clients, smtp_up, redis_url, sink)
                result["seconds"] = round(time.perf_counter() - started, 1)
                results.append(result)
                print(
                    f"{kind:8} smtp {result['smtp']:11} posts {result['posts']} "
                    f"codes {result['codes']} stored {result['stored']} new {result['new']} "
                    f"pending {result['pending']} notified {result['notified']} "
                    f"retried {result['retried']} | GET median {result['get_median_ms']} ms, "
                    f"{result['get_per_s']}/s | POST median {result['post_median_ms']} ms, "
                    f"p95 {result['post_p95_ms']} ms, {result['post_per_s']}/s | "
                    f"journal {result['journal']} | {result['seconds']} s",
                    flush=True,
                )
                for problem in result["problems"][:20]:
                    print("  PROBLEM:", problem)
    finally:
        sink.shutdown()
        if redis:
            redis.terminate()
            redis.wait(timeout=10)
    failed = any(result["problems"] for result in results)
    print("FAILED" if failed else "All checks passed.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
