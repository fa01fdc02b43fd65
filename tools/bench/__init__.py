"""Sidelog's benchmarks on PostgreSQL, against the goals of `tools.goals`: `python -m tools.bench`.

- Server time per request, in-process (`tools.bench.server_time`): the median of warm
  requests to `/journal/timeline/`, `/journal/` (session cookie), `GET /api/v1/entries/`
  (token) with 100 and 10,000 entries, a public drug page, `POST /api/v1/entries/`, and
  `/health/` as the floor. Queries per request are counted too; they must not grow with
  the journal.
- The same requests through gunicorn, started here with production settings, under wrk's
  parallel connections (`tools.bench.load`): p50 and p95 with 10,000 entries. Entry
  logging, `/health/` and the drug page take turns for a few rounds, so that a slow spell
  of the machine falls on all three; entry logging's rate against the other two is printed
  for comparison.
- A report build over 1,000 and 10,000 entries (PDF, CSV and FHIR written), each in a
  process of its own so that its peak memory is its own.

It creates the database if it is missing and migrates it, writes throwaway patients,
deletes them and stops gunicorn at the end, and exits non-zero when a goal is missed.
The server is given no Redis: none of the measured requests uses it.
"""
