-- Schema version 3: indexes for the lookups a merge makes for every file (its stored
-- findings, its accepted workbook row, when it was last observed), so that a merge stays
-- linear with thousands of workbooks and after a year of daily merges.

CREATE INDEX ix_findings_file ON findings (file);
CREATE INDEX ix_workbooks_file ON workbooks (file);
CREATE INDEX ix_merge_files_workbook ON merge_files (kind, class, subject, grp);

-- Redundant: the UNIQUE indexes of marks and attendance begin with lesson_id and serve the
-- same lookups; dropping them makes writing a year workbook's marks about a sixth cheaper.
DROP INDEX ix_marks_lesson;
DROP INDEX ix_attendance_lesson;
