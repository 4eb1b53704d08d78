-- Central dataset, schema version 1.
-- Dates are ISO text 'YYYY-MM-DD'; moments are local ISO text 'YYYY-MM-DD HH:MM:SS'.
-- "grp" is the group of a class split for a subject; '' when the class is not split.
-- Documented in docs/dataset.md; changed only by adding a new numbered migration.

CREATE TABLE merges (
    id            INTEGER PRIMARY KEY,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    tool_version  TEXT NOT NULL,
    files         TEXT NOT NULL DEFAULT '[]',   -- JSON: [{"file", "sha256", "status"}]
    merged        INTEGER NOT NULL DEFAULT 0,
    unchanged     INTEGER NOT NULL DEFAULT 0,
    rejected      INTEGER NOT NULL DEFAULT 0,
    held          INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE merge_files (
    id        INTEGER PRIMARY KEY,
    merge_id  INTEGER NOT NULL REFERENCES merges(id),
    file      TEXT NOT NULL,
    sha256    TEXT,
    kind      TEXT,            -- subject / class
    class     TEXT,
    subject   TEXT,
    grp       TEXT,
    teacher   TEXT,
    status    TEXT NOT NULL,   -- merged / unchanged / rejected / held / unreadable / skipped
    errors    INTEGER NOT NULL DEFAULT 0,
    warnings  INTEGER NOT NULL DEFAULT 0,
    changes   INTEGER NOT NULL DEFAULT 0
);

-- The last accepted version of each workbook.
CREATE TABLE workbooks (
    id              INTEGER PRIMARY KEY,
    kind            TEXT NOT NULL,
    class           TEXT NOT NULL,
    subject         TEXT NOT NULL DEFAULT '',
    grp             TEXT NOT NULL DEFAULT '',
    teacher         TEXT NOT NULL DEFAULT '',
    file            TEXT NOT NULL,
    sha256          TEXT NOT NULL,
    first_merge_id  INTEGER NOT NULL REFERENCES merges(id),
    last_merge_id   INTEGER NOT NULL REFERENCES merges(id),
    UNIQUE (kind, class, subject, grp)
);

CREATE TABLE classes (
    name           TEXT PRIMARY KEY,
    grade          INTEGER NOT NULL,
    letter         TEXT NOT NULL,
    class_teacher  TEXT NOT NULL DEFAULT ''
);

CREATE TABLE students (
    id          INTEGER PRIMARY KEY,
    class       TEXT NOT NULL,
    full_name   TEXT NOT NULL,
    birth_date  TEXT,
    joined      TEXT,
    left_on     TEXT,
    UNIQUE (class, full_name)
);

CREATE TABLE student_groups (
    student_id  INTEGER NOT NULL REFERENCES students(id),
    subject     TEXT NOT NULL,
    grp         TEXT NOT NULL,
    PRIMARY KEY (student_id, subject)
);

CREATE TABLE parents (
    id          INTEGER PRIMARY KEY,
    student_id  INTEGER NOT NULL REFERENCES students(id),
    full_name   TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',
    email       TEXT NOT NULL DEFAULT ''
);

CREATE TABLE absence_reasons (
    id          INTEGER PRIMARY KEY,
    student_id  INTEGER NOT NULL REFERENCES students(id),
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    code        TEXT NOT NULL,   -- Б / У / Н / О
    document    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE notes (
    student_id  INTEGER PRIMARY KEY REFERENCES students(id),
    text        TEXT NOT NULL
);

-- Every lesson column of every subject workbook (planned and held).
CREATE TABLE lessons (
    id                INTEGER PRIMARY KEY,
    class             TEXT NOT NULL,
    subject           TEXT NOT NULL,
    grp               TEXT NOT NULL DEFAULT '',
    date              TEXT NOT NULL,
    seq               INTEGER NOT NULL DEFAULT 1,   -- n-th lesson of the subject that day
    period            TEXT NOT NULL DEFAULT '',     -- period name
    kind              TEXT NOT NULL DEFAULT '',     -- kind of work
    topic             TEXT NOT NULL DEFAULT '',
    homework          TEXT NOT NULL DEFAULT '',
    teacher           TEXT NOT NULL DEFAULT '',     -- the subject teacher of the workbook
    substitute        TEXT NOT NULL DEFAULT '',     -- who taught it instead, if anyone
    topic_first_seen  TEXT,                          -- when a topic was first merged
    homework_first_seen TEXT,
    UNIQUE (class, subject, grp, date, seq)
);

-- One row per mark (a cell «5/4» gives two rows, position 1 and 2).
CREATE TABLE marks (
    id              INTEGER PRIMARY KEY,
    lesson_id       INTEGER NOT NULL REFERENCES lessons(id),
    student_id      INTEGER NOT NULL REFERENCES students(id),
    position        INTEGER NOT NULL DEFAULT 1,
    value           INTEGER NOT NULL CHECK (value BETWEEN 1 AND 5),
    weight          REAL NOT NULL DEFAULT 1,
    cell            TEXT NOT NULL DEFAULT '',
    first_seen      TEXT NOT NULL,
    last_seen       TEXT NOT NULL,
    first_merge_id  INTEGER NOT NULL REFERENCES merges(id),
    UNIQUE (lesson_id, student_id, position)
);

-- One row per absence code in the grid; reason is the code after the class teacher's reasons.
CREATE TABLE attendance (
    id              INTEGER PRIMARY KEY,
    lesson_id       INTEGER NOT NULL REFERENCES lessons(id),
    student_id      INTEGER NOT NULL REFERENCES students(id),
    code            TEXT NOT NULL,   -- as the subject teacher marked it: Н / Б / У / О
    reason          TEXT NOT NULL,   -- Б / У / Н / О after the class workbook's reasons
    cell            TEXT NOT NULL DEFAULT '',
    first_seen      TEXT NOT NULL,
    last_seen       TEXT NOT NULL,
    UNIQUE (lesson_id, student_id)
);

CREATE TABLE final_marks (
    id          INTEGER PRIMARY KEY,
    class       TEXT NOT NULL,
    subject     TEXT NOT NULL,
    grp         TEXT NOT NULL DEFAULT '',
    student_id  INTEGER NOT NULL REFERENCES students(id),
    kind        TEXT NOT NULL,              -- period / year / exam / final
    period      TEXT NOT NULL DEFAULT '',   -- period name for kind = period
    value       TEXT NOT NULL,              -- 5 4 3 2 1 зч нз осв н/а
    cell        TEXT NOT NULL DEFAULT '',
    first_seen  TEXT NOT NULL,
    last_seen   TEXT NOT NULL,
    UNIQUE (class, subject, grp, student_id, kind, period)
);

-- Every correction, removal and late entry, with the old and the new value.
CREATE TABLE changes (
    id           INTEGER PRIMARY KEY,
    merge_id     INTEGER NOT NULL REFERENCES merges(id),
    detected_at  TEXT NOT NULL,
    change       TEXT NOT NULL,   -- correction / removal / late_entry
    entity       TEXT NOT NULL,   -- mark / attendance / final_mark / topic / homework
    class        TEXT NOT NULL,
    subject      TEXT NOT NULL DEFAULT '',
    grp          TEXT NOT NULL DEFAULT '',
    teacher      TEXT NOT NULL DEFAULT '',
    student_id   INTEGER,
    student      TEXT NOT NULL DEFAULT '',
    lesson_date  TEXT,
    seq          INTEGER,
    kind         TEXT NOT NULL DEFAULT '',   -- kind of work, or of final mark
    period       TEXT NOT NULL DEFAULT '',
    old_value    TEXT,
    new_value    TEXT,
    first_seen   TEXT,   -- when the old value (or, for a late entry, the new one) was first seen
    last_seen    TEXT,   -- when the old value was last seen
    days_late    INTEGER,
    file         TEXT NOT NULL DEFAULT '',
    cell         TEXT NOT NULL DEFAULT ''
);

-- The findings of the last merge of each file (for feedback and reports).
CREATE TABLE findings (
    id        INTEGER PRIMARY KEY,
    merge_id  INTEGER NOT NULL REFERENCES merges(id),
    file      TEXT NOT NULL,
    code      TEXT NOT NULL,
    severity  TEXT NOT NULL,
    sheet     TEXT NOT NULL DEFAULT '',
    cell      TEXT NOT NULL DEFAULT '',
    student   TEXT NOT NULL DEFAULT '',
    date      TEXT,
    teacher   TEXT NOT NULL DEFAULT '',
    message   TEXT NOT NULL
);

CREATE INDEX ix_lessons_class ON lessons (class, subject, grp, date);
CREATE INDEX ix_marks_student ON marks (student_id);
CREATE INDEX ix_marks_lesson ON marks (lesson_id);
CREATE INDEX ix_attendance_student ON attendance (student_id);
CREATE INDEX ix_attendance_lesson ON attendance (lesson_id);
CREATE INDEX ix_changes_class ON changes (class, subject, grp);
CREATE INDEX ix_findings_merge ON findings (merge_id);

-- Convenience views for reports and for any SQL tool.
CREATE VIEW v_marks AS
SELECT m.id, l.class, l.subject, l.grp, l.date, l.seq, l.period, l.kind, l.teacher, l.substitute,
       s.id AS student_id, s.full_name AS student, m.position, m.value, m.weight,
       m.first_seen, m.last_seen, m.cell
FROM marks m JOIN lessons l ON l.id = m.lesson_id JOIN students s ON s.id = m.student_id;

CREATE VIEW v_attendance AS
SELECT a.id, l.class, l.subject, l.grp, l.date, l.seq, l.period, l.teacher,
       s.id AS student_id, s.full_name AS student, a.code, a.reason, a.first_seen, a.cell
FROM attendance a JOIN lessons l ON l.id = a.lesson_id JOIN students s ON s.id = a.student_id;

CREATE VIEW v_final_marks AS
SELECT f.id, f.class, f.subject, f.grp, s.id AS student_id, s.full_name AS student,
       f.kind, f.period, f.value, f.first_seen, f.last_seen
FROM final_marks f JOIN students s ON s.id = f.student_id;
