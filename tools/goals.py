"""The goals `make bench` and `make bench-report` hold Sidelog to (issue 12)."""

from __future__ import annotations

# Server time per request, in-process, median of warm requests, at 10,000 entries.
SERVER_MS = {"timeline": 20.0, "dashboard": 15.0, "list": 10.0, "drug": 10.0}
# Through gunicorn under 8 parallel connections.
PAGE_P95_MS = 100.0
ENTRY_P95_MS = 60.0
# One report over 10,000 entries, its PDF, CSV and FHIR files written.
BUILD_SECONDS = 3.0
BUILD_PEAK_MB = 250.0
