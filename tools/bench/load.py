"""Load through gunicorn with wrk: requests per second, p50 and p95, and wrong answers."""

from __future__ import annotations

import json
import statistics
import string
import subprocess
from dataclasses import dataclass
from pathlib import Path

from tools.start import ToolError

# wrk: one Lua script for every measured request. `response` checks each status and
# `done` prints the figures as one JSON line; wrk's own summary has no p95.
WRK_SCRIPT = string.Template(
    """\
local method, path, expected = "${method}", "${path}", ${expected}
local slugs = {${slugs}}
wrk.headers["X-Forwarded-Proto"] = "https"
${auth}
wrk.headers["Content-Type"] = "application/json"

local threads, started = {}, 0
function setup(thread)
  started = started + 1
  thread:set("seed", started)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(os.time() * 1000 + seed)
  unexpected, last_unexpected = 0, 0
end

local function moment(seconds)
  return os.date("!%Y-%m-%dT%H:%M:%SZ", seconds)
end

-- A valid entry, different each time: a real symptom, an onset in the last three weeks,
-- resolved or not, severity and interference 0-4, sometimes a note.
local function entry()
  local now = os.time()
  local onset = now - math.random(600, 21 * 86400)
  local fields = {
    '"side_effect":"' .. slugs[math.random(#slugs)] .. '"',
    '"onset_at":"' .. moment(onset) .. '"',
    '"severity":' .. math.random(0, 4),
    '"interference":' .. math.random(0, 4),
  }
  if math.random() < 0.7 then
    fields[#fields + 1] = '"resolved_at":"' .. moment(onset + math.random(5, 300)) .. '"'
  end
  if math.random() < 0.2 then
    fields[#fields + 1] = '"notes":"Worse after lunch, eased lying down."'
  end
  return "{" .. table.concat(fields, ",") .. "}"
end

function request()
  if method == "POST" then
    return wrk.format("POST", path, nil, entry())
  end
  return wrk.format(method, path)
end

function response(status, headers, body)
  if status ~= expected then
    unexpected, last_unexpected = unexpected + 1, status
  end
end

function done(summary, latency, requests)
  local wrong, wrong_status = 0, 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("unexpected")
    if thread:get("last_unexpected") ~= 0 then wrong_status = thread:get("last_unexpected") end
  end
  local errors = summary.errors
  io.write(string.format(
    'BENCH {"requests":%d,"microseconds":%d,"p50":%d,"p95":%d,"unexpected":%d,' ..
    '"unexpected_status":%d,"socket_errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    wrong, wrong_status, errors.connect + errors.read + errors.write + errors.timeout))
end
"""
)


@dataclass
class Load:
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    unexpected: int
    unexpected_status: int
    socket_errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds

    @classmethod
    def combined(cls, runs: list[Load]) -> Load:
        """Several runs of one endpoint: their sums, and the median of their percentiles."""
        return cls(
            requests=sum(run.requests for run in runs),
            seconds=sum(run.seconds for run in runs),
            p50_ms=statistics.median(run.p50_ms for run in runs),
            p95_ms=statistics.median(run.p95_ms for run in runs),
            unexpected=sum(run.unexpected for run in runs),
            unexpected_status=max(run.unexpected_status for run in runs),
            socket_errors=sum(run.socket_errors for run in runs),
        )


def wrk_script(
    folder: Path,
    path: str,
    *,
    method: str = "GET",
    expected: int = 200,
    auth: tuple[str, str] | None = None,
    slugs: list[str],
) -> Path:
    """A script for one request: `auth` is a header (name, value), or none for anyone."""
    script = folder / f"wrk-{len(list(folder.glob('wrk-*.lua')))}.lua"
    script.write_text(
        WRK_SCRIPT.substitute(
            method=method,
            path=path,
            expected=expected,
            slugs=",".join(f'"{slug}"' for slug in slugs),
            auth=f'wrk.headers["{auth[0]}"] = "{auth[1]}"' if auth else "",
        )
    )
    return script


def wrk_run(url: str, script: Path, *, seconds: int, connections: int) -> Load:
    command = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s"]
    command += ["--timeout", "10s", "-s", str(script), url]
    finished = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    lines = [line for line in finished.stdout.splitlines() if line.startswith("BENCH ")]
    if not lines:
        raise ToolError(f"wrk printed no figures:\n{finished.stdout}{finished.stderr}")
    figures = json.loads(lines[-1].removeprefix("BENCH "))
    return Load(
        requests=figures["requests"],
        seconds=figures["microseconds"] / 1e6,
        p50_ms=figures["p50"] / 1000,
        p95_ms=figures["p95"] / 1000,
        unexpected=figures["unexpected"],
        unexpected_status=figures["unexpected_status"],
        socket_errors=figures["socket_errors"],
    )
