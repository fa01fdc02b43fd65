"""What the tests share: factories, clients, data builders. Test modules import from here only.

- `factories`: factory_boy factories, the seeded library, care relationships and grants.
- `reports`: `ready_report` (a ready report with real content and small stored files) and
  the small journal the share-link tests read.
- `providers`: a provider account, and a patient's grant the provider has accepted.
- `clients`: logged-in, caregiver, token and anonymous clients for pages and the API.
- `signups`: the emails a sign-up sends, and finishing it from the emailed link.
- `services`: real services a test may need (`unavailable`, a Redis that is down).
- `browser`: Chromium's path, flags and the phone's viewport.
- `report_content`, `month_content`: report content built by hand, without a database.
- `privacy`: Pat's journal with one of everything, for export and deletion.
- `routes`: every route of the resolver, and a world of rows to fill their parameters.
- `settings_env`: production settings and `manage.py` in a process of its own; the settings
  `.env.example` and docker-compose.yml give.
- `proxies`: requests as Sidelog sees them with no proxy and behind one, from a client that
  forges X-Forwarded-For.
- `fuzz`: schemathesis run in-process against the API.
- `readings`: a reading as the measurement rules see it, from a patient's courses and doses.

`tests/test_layout.py` fails when a test module imports anything under `tests.` but these.
"""
