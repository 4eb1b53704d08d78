-- District database (PostgreSQL), schema version 1.
-- Every school's dataset, as its hash-chained history describes it: each table of the
-- school's dataset whose rows the chain tracks, with the school's id and the row's id in the
-- school's file (row_id). Columns the chain does not track (last_seen) are not carried.
-- Dates and moments stay ISO text, as in the school's file, so reports read them alike.
-- Row-level security: a role in journal_school sees and writes only the rows of schools
-- registered under its own name; journal_reader reads everything; the owner runs set-up.

DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'journal_school') THEN
        CREATE ROLE journal_school NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'journal_reader') THEN
        CREATE ROLE journal_reader NOLOGIN;
    END IF;
END $$;

CREATE TABLE schools (
    school_id        text PRIMARY KEY,
    role_name        text NOT NULL DEFAULT current_user,
    school_name      text NOT NULL DEFAULT '',
    school_year      text NOT NULL DEFAULT '',
    settings         text NOT NULL DEFAULT '{}',   -- JSON of the school's settings
    pushed_chain_id  bigint NOT NULL DEFAULT 0,    -- the last record of the school's chain pushed
    pushed_hash      text NOT NULL DEFAULT '',
    head_at          text NOT NULL DEFAULT '',     -- that record's moment (the merge's)
    pushed_at        timestamptz
);

CREATE TABLE pushes (
    id             bigserial PRIMARY KEY,
    school_id      text NOT NULL REFERENCES schools(school_id),
    pushed_at      timestamptz NOT NULL DEFAULT now(),
    from_chain_id  bigint NOT NULL,
    to_chain_id    bigint NOT NULL,
    rows           bigint NOT NULL
);

CREATE TABLE merges (
    school_id text NOT NULL, row_id bigint NOT NULL,
    started_at text, finished_at text, tool_version text, files text, merged bigint,
    unchanged bigint, rejected bigint, held bigint, settings_hash text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE workbooks (
    school_id text NOT NULL, row_id bigint NOT NULL,
    kind text, class text, subject text, grp text, teacher text, file text, sha256 text,
    first_merge_id bigint, last_merge_id bigint,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE classes (
    school_id text NOT NULL, row_id bigint NOT NULL,
    name text, grade bigint, letter text, class_teacher text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE students (
    school_id text NOT NULL, row_id bigint NOT NULL,
    class text, full_name text, birth_date text, joined text, left_on text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE student_groups (
    school_id text NOT NULL, row_id bigint NOT NULL,
    student_id bigint, subject text, grp text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE parents (
    school_id text NOT NULL, row_id bigint NOT NULL,
    student_id bigint, full_name text, phone text, email text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE absence_reasons (
    school_id text NOT NULL, row_id bigint NOT NULL,
    student_id bigint, start_date text, end_date text, code text, document text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE notes (
    school_id text NOT NULL, row_id bigint NOT NULL,
    student_id bigint, text text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE lessons (
    school_id text NOT NULL, row_id bigint NOT NULL,
    class text, subject text, grp text, date text, seq bigint, period text, kind text,
    topic text, homework text, teacher text, substitute text, topic_first_seen text,
    homework_first_seen text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE marks (
    school_id text NOT NULL, row_id bigint NOT NULL,
    lesson_id bigint, student_id bigint, position bigint, value bigint,
    weight double precision, cell text, first_seen text, first_merge_id bigint,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE attendance (
    school_id text NOT NULL, row_id bigint NOT NULL,
    lesson_id bigint, student_id bigint, code text, reason text, cell text, first_seen text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE final_marks (
    school_id text NOT NULL, row_id bigint NOT NULL,
    class text, subject text, grp text, student_id bigint, kind text, period text,
    value text, cell text, first_seen text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE changes (
    school_id text NOT NULL, row_id bigint NOT NULL,
    merge_id bigint, detected_at text, change text, entity text, class text, subject text,
    grp text, teacher text, student_id bigint, student text, lesson_date text, seq bigint,
    kind text, period text, old_value text, new_value text, first_seen text, last_seen text,
    days_late bigint, file text, cell text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE printed_copies (
    school_id text NOT NULL, row_id bigint NOT NULL,
    printed_at text, class text, period text, school_year text, version bigint, pages bigint,
    sha256 text, file text, chain_head text,
    PRIMARY KEY (school_id, row_id));

-- The same views as the school's dataset, per school; security_invoker keeps the
-- row-level security of the reading role.
CREATE VIEW v_marks WITH (security_invoker = true) AS
SELECT m.school_id, m.row_id AS id, l.class, l.subject, l.grp, l.date, l.seq, l.period, l.kind,
       l.teacher, l.substitute, s.row_id AS student_id, s.full_name AS student, m.position,
       m.value, m.weight, m.first_seen, NULL::text AS last_seen, m.cell
FROM marks m
JOIN lessons l ON l.school_id = m.school_id AND l.row_id = m.lesson_id
JOIN students s ON s.school_id = m.school_id AND s.row_id = m.student_id;

CREATE VIEW v_attendance WITH (security_invoker = true) AS
SELECT a.school_id, a.row_id AS id, l.class, l.subject, l.grp, l.date, l.seq, l.period,
       l.teacher, s.row_id AS student_id, s.full_name AS student, a.code, a.reason,
       a.first_seen, a.cell
FROM attendance a
JOIN lessons l ON l.school_id = a.school_id AND l.row_id = a.lesson_id
JOIN students s ON s.school_id = a.school_id AND s.row_id = a.student_id;

CREATE VIEW v_final_marks WITH (security_invoker = true) AS
SELECT f.school_id, f.row_id AS id, f.class, f.subject, f.grp, s.row_id AS student_id,
       s.full_name AS student, f.kind, f.period, f.value, f.first_seen, NULL::text AS last_seen
FROM final_marks f
JOIN students s ON s.school_id = f.school_id AND s.row_id = f.student_id;

-- Row-level security.
ALTER TABLE schools ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_school ON schools TO journal_school
    USING (role_name = current_user) WITH CHECK (role_name = current_user);
CREATE POLICY read_all ON schools FOR SELECT TO journal_reader USING (true);
GRANT SELECT, INSERT, UPDATE ON schools TO journal_school;
GRANT SELECT ON schools TO journal_reader;

ALTER TABLE pushes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON pushes TO journal_school
    USING (school_id IN (SELECT school_id FROM schools WHERE role_name = current_user))
    WITH CHECK (school_id IN (SELECT school_id FROM schools WHERE role_name = current_user));
CREATE POLICY read_all ON pushes FOR SELECT TO journal_reader USING (true);
GRANT SELECT, INSERT ON pushes TO journal_school;
GRANT USAGE ON SEQUENCE pushes_id_seq TO journal_school;
GRANT SELECT ON pushes TO journal_reader;

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['merges', 'workbooks', 'classes', 'students', 'student_groups',
            'parents', 'absence_reasons', 'notes', 'lessons', 'marks', 'attendance',
            'final_marks', 'changes', 'printed_copies'] LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY own_rows ON %I TO journal_school USING (school_id IN '
                       '(SELECT school_id FROM schools WHERE role_name = current_user)) '
                       'WITH CHECK (school_id IN (SELECT school_id FROM schools '
                       'WHERE role_name = current_user))', t);
        EXECUTE format('CREATE POLICY read_all ON %I FOR SELECT TO journal_reader USING (true)', t);
        EXECUTE format('GRANT SELECT, INSERT, DELETE ON %I TO journal_school', t);
        EXECUTE format('GRANT SELECT ON %I TO journal_reader', t);
    END LOOP;
END $$;
GRANT SELECT ON v_marks, v_attendance, v_final_marks TO journal_school, journal_reader;
GRANT SELECT ON district_schema TO journal_school, journal_reader;

CREATE INDEX ix_lessons_school_date ON lessons (school_id, date);
