from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts: people and their roles"

    def ready(self) -> None:
        # Connects the receiver that empties an account's login count when it logs in.
        from accounts import login_limits  # noqa: F401
