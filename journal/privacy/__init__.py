"""The patient's own data: all of it to take away, and deleting it."""

from journal.privacy.deletion import AccountDeletion, account_delete
from journal.privacy.export import DataExport, data_export_build, data_export_create

__all__ = [
    "AccountDeletion",
    "DataExport",
    "account_delete",
    "data_export_build",
    "data_export_create",
]
