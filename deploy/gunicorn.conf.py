"""
gunicorn settings for sergesite (docs/DEPLOY.md, "gunicorn").

    .venv/bin/gunicorn -c deploy/gunicorn.conf.py sergesite.wsgi

Each value can be changed from the environment without editing this file,
so one file serves a small server and a bigger one.
"""

import multiprocessing
import os


def _int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


def _bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value not in {"true", "false"}:
        raise ValueError(f"{name} must be true or false, not {value!r}")
    return value == "true"


# nginx on the same machine is the only client; several app servers behind a
# load balancer bind their private address instead (GUNICORN_BIND=10.0.0.5:8000).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Sync workers: a page is a few milliseconds of Python and a few indexed
# queries, and a worker waits while PostgreSQL answers, hence two per core
# plus one. Each worker holds about 70-120 MB, so on a small machine memory,
# not CPU, sets the ceiling: WEB_CONCURRENCY overrides the count.
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"

# A worker silent this long is killed and replaced. Pages take milliseconds;
# the margin is for an editor's admin export or import of a large site (the
# command line, manage.py export_site, has no such limit). nginx waits a
# little longer (proxy_read_timeout in deploy/nginx.conf), so a slow request
# ends with gunicorn's clean restart rather than nginx giving up first.
timeout = _int("GUNICORN_TIMEOUT", 60)
# On a reload (SIGHUP) or stop, a worker finishes its request first.
graceful_timeout = 30
# nginx keeps connections to us open between requests.
keepalive = 5

# Each worker is replaced after about this many requests. Long-lived Python
# processes only grow (fragmentation, the big /people/ and sitemap pages),
# so this bounds a worker's memory. The jitter spreads the restarts so that
# the workers are not all replaced, and cold, at the same moment.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max(1, max_requests // 10)

# No preload unless asked: each worker imports Django itself, so a SIGHUP
# starts workers on the new code, which is how a release is rolled out
# without dropping requests (DEPLOY.md). Preloading does share memory, and
# PSS (each shared page counted once) is the measure that shows it, not RSS
# (which counts shared pages in every process and hardly moves): with five
# workers after every page, 196 MB for the whole service instead of 264, a
# worker's private pages 28 MB instead of 48 (docs/PERFORMANCE.md, "Start-up
# and memory"). GUNICORN_PRELOAD=true takes that on a machine short of
# memory, and then a release needs a restart: a preloaded arbiter keeps the
# old code and hands it to every worker it starts.
preload_app = _bool("GUNICORN_PRELOAD", False)

# The heartbeat file in memory: a slow or full disk must not make the
# arbiter think a healthy worker has hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# gunicorn trusts X-Forwarded-Proto only from these addresses: nginx on
# this machine, or the load balancer's network (FORWARDED_ALLOW_IPS).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr, where systemd's journal (or the container) keeps
# them. The access log names the reader by X-Forwarded-For (set by nginx)
# and ends with the time taken in milliseconds, for finding slow pages.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '%({x-forwarded-for}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
)

# The control socket lives under the service's runtime folder, not the home
# folder of a system user that may have none (deploy/sergesite.service).
if os.environ.get("RUNTIME_DIRECTORY"):
    control_socket = os.path.join(os.environ["RUNTIME_DIRECTORY"], "gunicorn.ctl")

proc_name = "sergesite"
