"""
Loaded as a pytest plugin (see pyproject.toml) so that it runs before
pytest-django imports the settings: the suite runs with production-like
settings, DEBUG off, on plain HTTP.
"""

import atexit
import os
import shutil
import tempfile

os.environ.setdefault("SECRET_KEY", "test-suite-only-not-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.pop("REDIS_URL", None)
# A cache folder of the run's own, never the developer's var/cache.
_cache_dir = tempfile.mkdtemp(prefix="sergesite-test-cache-")
os.environ["CACHE_DIR"] = _cache_dir
atexit.register(shutil.rmtree, _cache_dir, ignore_errors=True)
