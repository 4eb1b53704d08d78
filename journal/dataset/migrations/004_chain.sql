-- Schema version 4: a history that proves itself.
-- Every write transaction of the program appends one record to `chain`: the rows it
-- inserted, changed or removed (`chain_rows`, the row's content as a JSON array, NULL for a
-- removal) and a SHA-256 over them and the previous record's hash. `journal verify` replays
-- the chain, compares the result with the tables and recomputes every hash.
-- Triggers note which rows a transaction touched (`chain_dirty`); the program empties that
-- list when a transaction begins, so rows touched by another program are never chained.
-- A dataset made by an older version gets a first record holding all its rows (written by
-- the program right after this migration).

CREATE TABLE chain (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,           -- start / merge / print
    merge_id   INTEGER,                 -- the merge that wrote it (kind merge)
    at         TEXT NOT NULL,           -- when (the merge's moment for kind merge)
    note       TEXT NOT NULL DEFAULT '',
    rows       INTEGER NOT NULL DEFAULT 0,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE
);

CREATE TABLE chain_rows (
    id        INTEGER PRIMARY KEY,
    chain_id  INTEGER NOT NULL REFERENCES chain(id),
    tbl       TEXT NOT NULL,
    row_id    INTEGER NOT NULL,
    content   TEXT                      -- JSON array of the tracked columns; NULL: removed
);

CREATE INDEX ix_chain_rows_row ON chain_rows (tbl, row_id, id);

CREATE TABLE chain_dirty (
    tbl     TEXT NOT NULL,
    row_id  INTEGER NOT NULL,
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;

-- Every printed paper copy (also a row of the register workbook).
CREATE TABLE printed_copies (
    id          INTEGER PRIMARY KEY,
    printed_at  TEXT NOT NULL,
    class       TEXT NOT NULL,
    period      TEXT NOT NULL,
    school_year TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL,
    pages       INTEGER NOT NULL DEFAULT 0,
    sha256      TEXT NOT NULL,
    file        TEXT NOT NULL,
    chain_head  TEXT NOT NULL DEFAULT ''   -- the chain's head hash the copy shows
);

-- Triggers: which rows a transaction touched.
CREATE TRIGGER chain_merges_i AFTER INSERT ON merges BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('merges', NEW.rowid); END;
CREATE TRIGGER chain_merges_u AFTER UPDATE ON merges BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('merges', NEW.rowid); END;
CREATE TRIGGER chain_merges_d AFTER DELETE ON merges BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('merges', OLD.rowid); END;
CREATE TRIGGER chain_workbooks_i AFTER INSERT ON workbooks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('workbooks', NEW.rowid); END;
CREATE TRIGGER chain_workbooks_u AFTER UPDATE ON workbooks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('workbooks', NEW.rowid); END;
CREATE TRIGGER chain_workbooks_d AFTER DELETE ON workbooks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('workbooks', OLD.rowid); END;
CREATE TRIGGER chain_classes_i AFTER INSERT ON classes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('classes', NEW.rowid); END;
CREATE TRIGGER chain_classes_u AFTER UPDATE ON classes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('classes', NEW.rowid); END;
CREATE TRIGGER chain_classes_d AFTER DELETE ON classes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('classes', OLD.rowid); END;
CREATE TRIGGER chain_students_i AFTER INSERT ON students BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('students', NEW.rowid); END;
CREATE TRIGGER chain_students_u AFTER UPDATE ON students BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('students', NEW.rowid); END;
CREATE TRIGGER chain_students_d AFTER DELETE ON students BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('students', OLD.rowid); END;
CREATE TRIGGER chain_student_groups_i AFTER INSERT ON student_groups BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('student_groups', NEW.rowid); END;
CREATE TRIGGER chain_student_groups_u AFTER UPDATE ON student_groups BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('student_groups', NEW.rowid); END;
CREATE TRIGGER chain_student_groups_d AFTER DELETE ON student_groups BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('student_groups', OLD.rowid); END;
CREATE TRIGGER chain_parents_i AFTER INSERT ON parents BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('parents', NEW.rowid); END;
CREATE TRIGGER chain_parents_u AFTER UPDATE ON parents BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('parents', NEW.rowid); END;
CREATE TRIGGER chain_parents_d AFTER DELETE ON parents BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('parents', OLD.rowid); END;
CREATE TRIGGER chain_absence_reasons_i AFTER INSERT ON absence_reasons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('absence_reasons', NEW.rowid); END;
CREATE TRIGGER chain_absence_reasons_u AFTER UPDATE ON absence_reasons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('absence_reasons', NEW.rowid); END;
CREATE TRIGGER chain_absence_reasons_d AFTER DELETE ON absence_reasons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('absence_reasons', OLD.rowid); END;
CREATE TRIGGER chain_notes_i AFTER INSERT ON notes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('notes', NEW.rowid); END;
CREATE TRIGGER chain_notes_u AFTER UPDATE ON notes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('notes', NEW.rowid); END;
CREATE TRIGGER chain_notes_d AFTER DELETE ON notes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('notes', OLD.rowid); END;
CREATE TRIGGER chain_lessons_i AFTER INSERT ON lessons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('lessons', NEW.rowid); END;
CREATE TRIGGER chain_lessons_u AFTER UPDATE ON lessons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('lessons', NEW.rowid); END;
CREATE TRIGGER chain_lessons_d AFTER DELETE ON lessons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('lessons', OLD.rowid); END;
CREATE TRIGGER chain_marks_i AFTER INSERT ON marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('marks', NEW.rowid); END;
CREATE TRIGGER chain_marks_u AFTER UPDATE ON marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('marks', NEW.rowid); END;
CREATE TRIGGER chain_marks_d AFTER DELETE ON marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('marks', OLD.rowid); END;
CREATE TRIGGER chain_attendance_i AFTER INSERT ON attendance BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('attendance', NEW.rowid); END;
CREATE TRIGGER chain_attendance_u AFTER UPDATE ON attendance BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('attendance', NEW.rowid); END;
CREATE TRIGGER chain_attendance_d AFTER DELETE ON attendance BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('attendance', OLD.rowid); END;
CREATE TRIGGER chain_final_marks_i AFTER INSERT ON final_marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('final_marks', NEW.rowid); END;
CREATE TRIGGER chain_final_marks_u AFTER UPDATE ON final_marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('final_marks', NEW.rowid); END;
CREATE TRIGGER chain_final_marks_d AFTER DELETE ON final_marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('final_marks', OLD.rowid); END;
CREATE TRIGGER chain_changes_i AFTER INSERT ON changes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('changes', NEW.rowid); END;
CREATE TRIGGER chain_changes_u AFTER UPDATE ON changes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('changes', NEW.rowid); END;
CREATE TRIGGER chain_changes_d AFTER DELETE ON changes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('changes', OLD.rowid); END;
CREATE TRIGGER chain_printed_copies_i AFTER INSERT ON printed_copies BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('printed_copies', NEW.rowid); END;
CREATE TRIGGER chain_printed_copies_u AFTER UPDATE ON printed_copies BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('printed_copies', NEW.rowid); END;
CREATE TRIGGER chain_printed_copies_d AFTER DELETE ON printed_copies BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('printed_copies', OLD.rowid); END;
