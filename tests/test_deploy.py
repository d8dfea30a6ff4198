"""
The production configuration in deploy/ and docs/DEPLOY.md: the documented
environment passes `check --deploy`, gunicorn accepts its configuration,
nginx accepts its site file and serves media safely, and the settings
switches for growing past one machine (CDN, S3 media) do what they say.
"""

import http.server
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_ENV = ROOT / "deploy" / "production.env.example"
DEPLOY_MD = ROOT / "docs" / "DEPLOY.md"

# None of these tests touches the database, but tests/conftest.py's autouse
# fixtures read the Site row, and pytest-django only creates the test
# database when some test collected asks for it: without this mark the
# module fails at set-up when run on its own.
pytestmark = pytest.mark.django_db


def _example_lines():
    return [
        line
        for line in EXAMPLE_ENV.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _deploy_check(env_file=EXAMPLE_ENV):
    return subprocess.run(
        [str(ROOT / "deploy" / "check"), str(env_file)],
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "PYTHON": sys.executable},
        capture_output=True,
        text=True,
        timeout=120,
    )


# --- check --deploy with exactly the documented environment -----------------


def test_check_deploy_is_clean_with_exactly_the_example_environment():
    result = _deploy_check()

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_the_environment_leaves_out_the_hsts_choices(tmp_path):
    # The check is not clean by accident: without the two HSTS lines of the
    # example it reports W005 and W021, as DEPLOY.md says.
    partial = tmp_path / "partial.env"
    partial.write_text(
        "\n".join(line for line in _example_lines() if "SECURE_HSTS_" not in line) + "\n"
    )

    result = _deploy_check(partial)

    assert result.returncode != 0
    assert "security.W005" in result.stderr
    assert "security.W021" in result.stderr


def test_the_example_environment_has_no_secret_key_so_it_cannot_be_used_as_is(tmp_path):
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "sergesite.settings"}
    for line in _example_lines():
        name, _, value = line.partition("=")
        env[name] = value.strip('"')

    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_deploy_md_lists_exactly_the_variables_of_the_example_environment():
    text = DEPLOY_MD.read_text(encoding="utf-8")
    section = text.split("## Environment", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL).group(1)
    listed = [line for line in block.splitlines() if line and not line.startswith("#")]

    assert listed == _example_lines()


def test_the_makefile_runs_the_deploy_check_script_and_nothing_else():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ndeploy-check:", 1)[1].split("\n\n", 1)[0]

    assert "deploy/check" in recipe
    assert "=true" not in recipe  # no variables of its own beside the file's


# --- gunicorn ------------------------------------------------------------------


def _gunicorn_config(**environ):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"WEB_CONCURRENCY", "GUNICORN_MAX_REQUESTS", "DATABASE_URL"}
    }
    env.update(DEBUG="true", **environ)
    result = subprocess.run(
        [
            sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
            "--print-config", "sergesite.wsgi",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    )


def test_gunicorn_takes_its_worker_count_from_web_concurrency_and_jitters_restarts():
    config = _gunicorn_config(WEB_CONCURRENCY="3", GUNICORN_MAX_REQUESTS="1000")

    assert config["workers"] == "3"
    assert config["max_requests"] == "1000"
    assert config["max_requests_jitter"] == "100"
    assert config["preload_app"] == "False"
    assert config["bind"] == "['127.0.0.1:8000']"


def test_gunicorn_defaults_to_two_workers_a_core_plus_one():
    config = _gunicorn_config()

    assert config["workers"] == str(os.cpu_count() * 2 + 1)


# --- nginx ---------------------------------------------------------------------


def _need(tool):
    # nginx lives in /usr/sbin, which a non-root PATH may leave out.
    path = shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/sbin")
    if path is None:
        pytest.skip(f"{tool} is not installed (apt-get install nginx-light openssl); not a CI need")
    return path


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _EchoHeaders(http.server.BaseHTTPRequestHandler):
    # Stands in for gunicorn: answers with the headers nginx passed on.
    def do_GET(self):
        body = "".join(f"{name.lower()}: {value}\n" for name, value in self.headers.items())
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.end_headers()
        self.wfile.write(body.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def nginx_site(tmp_path):
    """deploy/nginx.conf inside a minimal nginx.conf, its paths moved under tmp_path."""
    nginx = _need("nginx")
    openssl = _need("openssl")
    for folder in ("certs", "logs", "temp", "media", "static"):
        (tmp_path / folder).mkdir()
    subprocess.run(
        [
            openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=www.example.org", "-keyout", tmp_path / "certs" / "privkey.pem",
            "-out", tmp_path / "certs" / "fullchain.pem",
        ],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    ports = {"https": _free_port(), "http": _free_port(), "app": _free_port()}
    site = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    for old, new in {
        "/etc/letsencrypt/live/www.example.org/": f"{tmp_path}/certs/",
        "/var/log/nginx/": f"{tmp_path}/logs/",
        "/srv/sergesite/media/": f"{tmp_path}/media/",
        "/srv/sergesite/var/static/": f"{tmp_path}/static/",
        "server 127.0.0.1:8000": f"server 127.0.0.1:{ports['app']}",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{ports['https']} ssl http2;",
        "listen 80;": f"listen 127.0.0.1:{ports['http']};",
    }.items():
        assert old in site, f"deploy/nginx.conf no longer has {old!r}; update this test"
        site = site.replace(old, new)
    site = re.sub(r"\n\s*listen \[::\].*", "", site)
    (tmp_path / "site.conf").write_text(site)
    temp = tmp_path / "temp"
    user = "user root;" if os.geteuid() == 0 else ""
    (tmp_path / "nginx.conf").write_text(
        f"""{user}
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
events {{}}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {tmp_path}/site.conf;
}}
"""
    )
    command = [nginx, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")]
    command += ["-e", str(tmp_path / "logs" / "error.log")]
    return {"command": command, "ports": ports, "root": tmp_path}


def test_nginx_accepts_the_site_configuration(nginx_site):
    result = subprocess.run(
        [*nginx_site["command"], "-t"], capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.fixture
def running_nginx(nginx_site):
    app = http.server.ThreadingHTTPServer(("127.0.0.1", nginx_site["ports"]["app"]), _EchoHeaders)
    threading.Thread(target=app.serve_forever, daemon=True).start()
    process = subprocess.Popen(
        [*nginx_site["command"], "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Wait until it listens (or has died), however long that takes.
        while process.poll() is None:
            try:
                socket.create_connection(("127.0.0.1", nginx_site["ports"]["https"]), 1).close()
                break
            except OSError:
                continue
        assert process.poll() is None, process.stderr.read().decode()
        yield nginx_site
    finally:
        process.terminate()
        process.wait(timeout=30)
        app.shutdown()
        app.server_close()


def _fetch(site, path, scheme="https"):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context), NoRedirect)
    url = f"{scheme}://127.0.0.1:{site['ports'][scheme]}{path}"
    request = urllib.request.Request(url, headers={"Host": "www.example.org"})
    try:
        response = opener.open(request, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    with response:
        return response.status, response.headers, response.read()


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("photo.jpg", "image/jpeg"),
        ("scan.png", "image/png"),
        ("page.html", "application/octet-stream"),
        ("drawing.svg", "application/octet-stream"),
        ("script.js", "application/octet-stream"),
        ("no-extension", "application/octet-stream"),
    ],
)
def test_nginx_serves_media_only_as_images_or_opaque_downloads(running_nginx, name, content_type):
    (running_nginx["root"] / "media" / name).write_bytes(b"<script>alert(1)</script>")

    status, headers, body = _fetch(running_nginx, f"/media/{name}")

    assert status == 200
    assert headers["Content-Type"] == content_type
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"] == "default-src 'none'; img-src 'self'; sandbox"


def test_nginx_does_not_list_the_media_folder(running_nginx):
    status, _, _ = _fetch(running_nginx, "/media/")

    assert status == 403


def test_nginx_refuses_script_names_under_media(running_nginx):
    (running_nginx["root"] / "media" / "shell.php").write_text("<?php system($_GET['c']);")

    status, _, body = _fetch(running_nginx, "/media/shell.php")

    assert status == 403
    assert b"system" not in body


def test_nginx_serves_static_files_with_far_future_caching(running_nginx):
    (running_nginx["root"] / "static" / "site.3f2a1b.css").write_text("body { margin: 0 }")

    status, headers, body = _fetch(running_nginx, "/static/site.3f2a1b.css")

    assert status == 200
    assert body == b"body { margin: 0 }"
    assert headers["Content-Type"] == "text/css" or headers["Content-Type"].startswith("text/")
    assert "max-age=31536000" in headers["Cache-Control"]


def test_nginx_passes_the_client_address_and_https_on_to_the_app(running_nginx):
    status, _, body = _fetch(running_nginx, "/essays/anything/")

    assert status == 200
    passed = body.decode()
    assert "x-forwarded-proto: https\n" in passed
    assert "x-forwarded-for: 127.0.0.1\n" in passed
    assert "host: www.example.org\n" in passed


def test_nginx_sends_plain_http_to_https(running_nginx):
    status, headers, _ = _fetch(running_nginx, "/essays/x/?page=2", scheme="http")

    assert status == 301
    assert headers["Location"] == "https://www.example.org/essays/x/?page=2"


# --- growing past one machine: CDN and S3 media ---------------------------------


def _settings(code, **environ):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MEDIA_", "STATIC_", "DATABASE_", "REDIS_"))
    }
    env.update(SECRET_KEY="a-test-key", DEBUG="false", ALLOWED_HOSTS="example.org")
    env.update(DJANGO_SETTINGS_MODULE="sergesite.settings", **environ)
    return subprocess.run(
        [sys.executable, "-c", f"import sys, django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_media_bucket_switches_uploads_to_s3_storage_without_importing_it():
    result = _settings(
        "from django.conf import settings; d = settings.STORAGES['default'];"
        "print(d['BACKEND']); o = d['OPTIONS'];"
        "print(o['bucket_name'], o['endpoint_url'], o['region_name'], o['custom_domain']);"
        "print(o['querystring_auth'], o['file_overwrite']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in {'storages', 'boto3'}))",
        MEDIA_S3_BUCKET="site-media",
        MEDIA_S3_ENDPOINT_URL="https://s3.example-provider.com",
        MEDIA_S3_REGION="eu-central-1",
        MEDIA_URL="https://media.example.org/",
    )

    assert result.returncode == 0, result.stderr
    backend, options, flags, imported = result.stdout.splitlines()
    assert backend == "storages.backends.s3.S3Storage"
    assert options == "site-media https://s3.example-provider.com eu-central-1 media.example.org"
    assert flags == "False False"
    assert imported == "[]"


def test_without_a_media_bucket_uploads_stay_on_the_file_system():
    result = _settings("from django.conf import settings; print(settings.STORAGES['default'])")

    assert result.returncode == 0, result.stderr
    assert "FileSystemStorage" in result.stdout


def test_a_media_bucket_without_a_public_media_url_is_refused_with_a_clear_message():
    result = _settings("pass", MEDIA_S3_BUCKET="site-media")

    assert result.returncode != 0
    assert "MEDIA_S3_BUCKET needs MEDIA_URL" in result.stderr


def test_static_files_and_media_from_a_cdn_are_allowed_by_the_csp():
    result = _settings(
        "from django.conf import settings; c = settings.SECURE_CSP;"
        "print(settings.STATIC_URL, settings.MEDIA_URL);"
        "print(c['script-src'][-1], c['style-src'][-1], c['img-src'][-2:])",
        STATIC_URL="https://cdn.example.org/static/",
        MEDIA_URL="https://media.example.org/",
    )

    assert result.returncode == 0, result.stderr
    urls, origins = result.stdout.splitlines()
    assert urls == "https://cdn.example.org/static/ https://media.example.org/"
    assert origins == (
        "https://cdn.example.org https://cdn.example.org "
        "['https://cdn.example.org', 'https://media.example.org']"
    )


@pytest.mark.parametrize("value", ["https://cdn.example.org/static", "ftp://cdn.example.org/"])
def test_a_static_url_that_is_not_a_folder_address_is_refused(value):
    result = _settings("pass", STATIC_URL=value)

    assert result.returncode != 0
    assert "STATIC_URL must" in result.stderr
