"""
Loaded as a pytest plugin (see pyproject.toml) so that it runs before
pytest-django imports the settings: the suite runs with production-like
settings, DEBUG off, on plain HTTP.
"""

import os

os.environ.setdefault("SECRET_KEY", "test-suite-only-not-secret")
os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_COOKIES", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.pop("REDIS_URL", None)
