"""The requests the bench measures, each with its goals (`tools.goals`)."""

from __future__ import annotations

from dataclasses import dataclass

from tools import goals

DRUG = "esketamine"


@dataclass(frozen=True)
class Page:
    """A measured request; `auth` is "session", "token", or "" for anyone."""

    key: str
    what: str
    path: str
    auth: str
    server_goal_ms: float | None = None
    p95_goal_ms: float | None = None
    reads_journal: bool = False
    method: str = "GET"
    expected: int = 200


HEALTH = Page("health", "`GET /health/` (the floor)", "/health/", "")
DRUG_PAGE = Page(
    "drug",
    f"`GET /drugs/{DRUG}/` (anyone)",
    f"/drugs/{DRUG}/",
    "",
    goals.SERVER_MS["drug"],
    goals.PAGE_P95_MS,
)
JOURNAL_PAGES = (
    Page(
        "dashboard",
        "`GET /journal/` (session)",
        "/journal/",
        "session",
        goals.SERVER_MS["dashboard"],
        goals.PAGE_P95_MS,
        reads_journal=True,
    ),
    Page(
        "timeline",
        "`GET /journal/timeline/` (session)",
        "/journal/timeline/",
        "session",
        goals.SERVER_MS["timeline"],
        goals.PAGE_P95_MS,
        reads_journal=True,
    ),
    Page(
        "list",
        "`GET /api/v1/entries/` (token)",
        "/api/v1/entries/",
        "token",
        goals.SERVER_MS["list"],
        goals.PAGE_P95_MS,
        reads_journal=True,
    ),
)
ENTRY = Page(
    "post",
    "`POST /api/v1/entries/` (token)",
    "/api/v1/entries/",
    "token",
    p95_goal_ms=goals.ENTRY_P95_MS,
    method="POST",
    expected=201,
)
