"""Signals accounts sends for the apps above it, which accounts never imports."""

from __future__ import annotations

from django.dispatch import Signal

# A new (not yet finished) account was made by a sign-up. Arguments: `user`, and
# `checkin_reminders`: whether the person asked to be reminded to check in after sessions.
sign_up_started = Signal()
