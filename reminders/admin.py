"""Nothing of reminders is in the admin: when a patient is reminded tells when they take
their doses, and content editors, who work there, see no journal data (see audit/admin.py).
"""
