-- Schema version 7: the rows a transaction inserts into the four big tables (lessons, marks,
-- attendance, changes) are found by their rowids — above the highest rowid the table had when
-- the program's transaction began — instead of by an insert trigger. Updates and removals are
-- still noted by triggers. A row inserted by another program between the program's
-- transactions lies below that mark and stays outside the chain, as before.

DROP TRIGGER IF EXISTS chain_lessons_i;
DROP TRIGGER IF EXISTS chain_marks_i;
DROP TRIGGER IF EXISTS chain_attendance_i;
DROP TRIGGER IF EXISTS chain_changes_i;
