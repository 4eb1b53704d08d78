-- Schema version 5: events and messages for families (the family diary and the letters).
-- `events`: the school's events from the settings workbook (source 'settings'; class '' for
-- the whole school, else one row per class named) and each class's events from the class
-- workbook (source 'class'). `messages`: messages from the class teacher (subject '') and
-- from subject teachers (their subject and group) to the whole class (student '') or to one
-- student's family (the student's full name). An edited or removed message is recorded in
-- `changes` with entity 'message'.

CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,               -- settings / class
    class       TEXT NOT NULL DEFAULT '',    -- '' : the whole school
    date        TEXT NOT NULL,
    title       TEXT NOT NULL,
    first_seen  TEXT                         -- the merge that first saw it
);

CREATE TABLE messages (
    id          INTEGER PRIMARY KEY,
    class       TEXT NOT NULL,
    subject     TEXT NOT NULL DEFAULT '',    -- '' : from the class teacher
    grp         TEXT NOT NULL DEFAULT '',
    author      TEXT NOT NULL DEFAULT '',    -- the teacher of the workbook
    student     TEXT NOT NULL DEFAULT '',    -- '' : to the whole class
    date        TEXT NOT NULL,
    seq         INTEGER NOT NULL DEFAULT 1,  -- n-th message of the workbook that day to that addressee
    text        TEXT NOT NULL,
    first_seen  TEXT,                        -- when this text was first merged
    cell        TEXT NOT NULL DEFAULT ''
);

CREATE INDEX ix_events_class ON events (class, date);
CREATE INDEX ix_messages_class ON messages (class, subject, grp);

CREATE TRIGGER chain_events_i AFTER INSERT ON events BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('events', NEW.rowid); END;
CREATE TRIGGER chain_events_u AFTER UPDATE ON events BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('events', NEW.rowid); END;
CREATE TRIGGER chain_events_d AFTER DELETE ON events BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('events', OLD.rowid); END;
CREATE TRIGGER chain_messages_i AFTER INSERT ON messages BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('messages', NEW.rowid); END;
CREATE TRIGGER chain_messages_u AFTER UPDATE ON messages BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('messages', NEW.rowid); END;
CREATE TRIGGER chain_messages_d AFTER DELETE ON messages BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('messages', OLD.rowid); END;
