"""Settings for the test suite: the real settings, with test-only defaults.

`DATABASE_URL` and `REDIS_URL` come from the environment as usual, so the same suite
runs on SQLite locally and on PostgreSQL and Redis in CI.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-secret-key-not-for-any-deployment")
os.environ.setdefault("AUDIT_KEY", "tests-only-audit-key")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")

from config.settings import *  # noqa: F403
from config.settings import STORAGES

# Hashing with Argon2 costs ~50 ms a user; tests create many. tests/test_settings.py
# checks that the real settings hash with Argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Serve static files straight from the app folders: no collectstatic before tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Reports build in-process unless a test starts a real worker (tests/reports/test_report_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
# ... and in the test's own thread, so that a test reads the finished report at once
# (tests/reports/test_report_background.py turns the thread on and waits for it).
REPORT_BUILD_IN_THREAD = False
# Report files go to a throwaway folder per test process.
# A worker started by a test is given the same folder through the environment.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or tempfile.mkdtemp(prefix="sidelog-test-media-"))
# Audit checkpoints too; tests/conftest.py gives each test a file of its own in this folder.
AUDIT_CHECKPOINT_PATH = Path(
    os.environ.get("AUDIT_CHECKPOINT_PATH")
    or Path(tempfile.mkdtemp(prefix="sidelog-test-audit-")) / "checkpoints.jsonl"
)
# Each xdist worker caches in a Redis database of its own (the broker keeps database 0),
# so tests can empty the cache between them without touching another worker's.
if REDIS_URL:  # noqa: F405
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"{REDIS_URL.rsplit('/', 1)[0]}/{1 + _worker % 15}",  # noqa: F405
        }
    }
