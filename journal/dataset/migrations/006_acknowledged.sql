-- Schema version 6: warnings the coordinator settled. A warning listed in the coordinator's
-- summary whose column «Проверено (кто)» holds a name is recorded here at the next merge and
-- no longer counts as a problem. It is matched by (file, code, sheet, cell, message): the
-- message holds the values, so a changed cell gives a new message and the warning comes back.

CREATE TABLE acknowledged (
    id       INTEGER PRIMARY KEY,
    file     TEXT NOT NULL,               -- the workbook's file name, as the summary shows it
    code     TEXT NOT NULL,
    sheet    TEXT NOT NULL DEFAULT '',
    cell     TEXT NOT NULL DEFAULT '',
    message  TEXT NOT NULL,
    who      TEXT NOT NULL,               -- the name written in the summary
    at       TEXT NOT NULL                -- the merge that read it
);

CREATE UNIQUE INDEX ix_acknowledged_key ON acknowledged (file, code, sheet, cell, message);

CREATE TRIGGER chain_acknowledged_i AFTER INSERT ON acknowledged BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('acknowledged', NEW.rowid); END;
CREATE TRIGGER chain_acknowledged_u AFTER UPDATE ON acknowledged BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('acknowledged', NEW.rowid); END;
CREATE TRIGGER chain_acknowledged_d AFTER DELETE ON acknowledged BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('acknowledged', OLD.rowid); END;
