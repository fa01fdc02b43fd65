"""Reports under faults: `python -m tools.faults` (`make faults`; CI runs it in tests/).

It asks for 200 reports over HTTP from a real gunicorn, built by real Celery workers on a
Redis of its own, and meanwhile (a) kills the building worker with SIGKILL and starts
another, and (b) stops Redis for 20 seconds and starts it again, empty, as a Redis without
persistence comes back. Celery beat re-sends what was left (short grace times here). It
prints how many reports were requested, built, lost and built twice, and what the API
answered during the outage, and exits non-zero if one was lost or built twice, or if the
API ever answered 5xx.

It uses the database of DATABASE_URL (created and migrated if missing) and deletes the
patients it wrote; its Redis listens on a free port and stops with it.
"""
