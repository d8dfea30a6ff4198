"""
One tree's side of bench/page_cpu.py: loads the tree given as the first
argument with production settings, then answers lines of "URL COUNT" on
standard input with the median CPU and wall milliseconds of COUNT uncached
requests to URL. Started by page_cpu.py; not meant to be run by hand.
"""

import io
import os
import statistics
import sys
import time

TREE = sys.argv[1]
# The environment (production settings, the corpus, Redis) comes from
# page_cpu.py, as bench/pages.py gives it to gunicorn; the tree comes first.
sys.path[:0] = [TREE, os.path.join(TREE, "bench")]

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402

# Pages name their static files through the manifest, which a tree fresh
# from git archive does not have yet.
call_command("collectstatic", "--noinput", verbosity=0)
application = get_wsgi_application()
# As bench/pages.py's uncached requests: a cookie naming no session, so that
# the page cache lets every request through to its view.
COOKIE = "sessionid=bench-uncached"


def request(url):
    path, _, query = url.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": COOKIE,
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
    }
    statuses = []
    body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(body)
    body.close()
    if not statuses[0].startswith("200"):
        sys.exit(f"{url} answered {statuses[0]}")


for line in sys.stdin:
    url, count = line.split()
    for _ in range(5):  # templates, cached addresses and the like, once
        request(url)
    cpu, wall = [], []
    for _ in range(int(count)):
        started_cpu, started = time.process_time(), time.perf_counter()
        request(url)
        cpu.append(time.process_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    print(statistics.median(cpu) * 1000, statistics.median(wall) * 1000, flush=True)
