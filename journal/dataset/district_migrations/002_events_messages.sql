-- District database, schema version 2: the schools' events and messages for families
-- (tables `events` and `messages` of a school's dataset, schema version 5), with the same
-- row-level security as the other tables of the schools' data.

CREATE TABLE events (
    school_id text NOT NULL, row_id bigint NOT NULL,
    source text, class text, date text, title text, first_seen text,
    PRIMARY KEY (school_id, row_id));
CREATE TABLE messages (
    school_id text NOT NULL, row_id bigint NOT NULL,
    class text, subject text, grp text, author text, student text, date text, seq bigint,
    text text, first_seen text, cell text,
    PRIMARY KEY (school_id, row_id));

DO $$
DECLARE t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['events', 'messages'] LOOP
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
