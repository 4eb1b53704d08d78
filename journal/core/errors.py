"""Exceptions for program and environment faults.

A teacher's mistake in a workbook is never an exception: it is a
:class:`journal.core.findings.Finding`. Exceptions are for what the program or the
machine cannot do; every one derives from :class:`JournalError` and carries a
Russian message that the command line shows as is.
"""

from __future__ import annotations


class JournalError(Exception):
    """Base class of every error the package raises on purpose."""


class UsageError(JournalError):
    """The command was called wrongly (bad option value, missing folder); exit code 2."""


class SettingsError(JournalError):
    """The settings workbook is missing or unusable; exit code 2.

    ``findings`` holds what was wrong, cell by cell, when the workbook could be read.
    """

    def __init__(self, message: str, findings: list | None = None) -> None:
        super().__init__(message)
        self.findings = list(findings or [])


class StoreError(JournalError):
    """The central dataset cannot be opened, migrated or written."""


class StoreBusyError(StoreError):
    """Another merge holds the dataset."""


class RenderError(JournalError):
    """A report notebook failed to run or to be converted."""


class BrowserNotFoundError(RenderError):
    """No Chromium, Chrome or Edge could be found for PDF output."""


class MailError(JournalError):
    """Letters could not be sent (SMTP settings or server)."""


class BackupError(JournalError):
    """A backup cannot be written, read or decrypted (wrong passphrase); exit code 2."""
