-- Schema version 2: each merge records a fingerprint of the settings it validated with.
-- When the settings change (weights, holidays, periods, curriculum), the next merge
-- re-reads every workbook instead of skipping unchanged files.

ALTER TABLE merges ADD COLUMN settings_hash TEXT NOT NULL DEFAULT '';
