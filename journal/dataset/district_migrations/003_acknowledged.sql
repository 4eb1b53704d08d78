-- District database, schema version 3: the warnings each school's coordinator settled
-- (table `acknowledged` of a school's dataset, schema version 6), with the same row-level
-- security as the other tables of the schools' data.

CREATE TABLE acknowledged (
    school_id text NOT NULL, row_id bigint NOT NULL,
    file text, code text, sheet text, cell text, message text, who text, at text,
    PRIMARY KEY (school_id, row_id));

ALTER TABLE acknowledged ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_rows ON acknowledged TO journal_school USING (school_id IN
    (SELECT school_id FROM schools WHERE role_name = current_user))
    WITH CHECK (school_id IN (SELECT school_id FROM schools WHERE role_name = current_user));
CREATE POLICY read_all ON acknowledged FOR SELECT TO journal_reader USING (true);
GRANT SELECT, INSERT, DELETE ON acknowledged TO journal_school;
GRANT SELECT ON acknowledged TO journal_reader;
