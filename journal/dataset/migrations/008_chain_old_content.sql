-- Schema version 8: the triggers note, with each touched row, its content before the
-- transaction (`chain_dirty.old`: the tracked columns as a JSON array, NULL for a row the
-- transaction inserted), so the program no longer looks a row's last content up in
-- `chain_rows`: the index that look-up needed, on (tbl, row_id, id), was updated for every row
-- of the chain and cost about half of writing it. A row whose content at the end of the
-- transaction is what it was at its start is left out of the record, as before.

DROP INDEX IF EXISTS ix_chain_rows_row;
DROP TABLE chain_dirty;
CREATE TABLE chain_dirty (
    tbl     TEXT NOT NULL,
    row_id  INTEGER NOT NULL,
    old     TEXT,                     -- the row's content when the transaction first touched it
    PRIMARY KEY (tbl, row_id)
) WITHOUT ROWID;


DROP TRIGGER IF EXISTS chain_merges_i;
DROP TRIGGER IF EXISTS chain_merges_u;
DROP TRIGGER IF EXISTS chain_merges_d;
CREATE TRIGGER chain_merges_i AFTER INSERT ON merges BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('merges', NEW.rowid, NULL); END;
CREATE TRIGGER chain_merges_u AFTER UPDATE ON merges BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('merges', OLD.rowid, json_array(OLD.started_at, OLD.finished_at, OLD.tool_version, OLD.files, OLD.merged, OLD.unchanged, OLD.rejected, OLD.held, OLD.settings_hash)); END;
CREATE TRIGGER chain_merges_d AFTER DELETE ON merges BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('merges', OLD.rowid, json_array(OLD.started_at, OLD.finished_at, OLD.tool_version, OLD.files, OLD.merged, OLD.unchanged, OLD.rejected, OLD.held, OLD.settings_hash)); END;

DROP TRIGGER IF EXISTS chain_workbooks_i;
DROP TRIGGER IF EXISTS chain_workbooks_u;
DROP TRIGGER IF EXISTS chain_workbooks_d;
CREATE TRIGGER chain_workbooks_i AFTER INSERT ON workbooks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('workbooks', NEW.rowid, NULL); END;
CREATE TRIGGER chain_workbooks_u AFTER UPDATE ON workbooks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('workbooks', OLD.rowid, json_array(OLD.kind, OLD.class, OLD.subject, OLD.grp, OLD.teacher, OLD.file, OLD.sha256, OLD.first_merge_id, OLD.last_merge_id)); END;
CREATE TRIGGER chain_workbooks_d AFTER DELETE ON workbooks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('workbooks', OLD.rowid, json_array(OLD.kind, OLD.class, OLD.subject, OLD.grp, OLD.teacher, OLD.file, OLD.sha256, OLD.first_merge_id, OLD.last_merge_id)); END;

DROP TRIGGER IF EXISTS chain_classes_i;
DROP TRIGGER IF EXISTS chain_classes_u;
DROP TRIGGER IF EXISTS chain_classes_d;
CREATE TRIGGER chain_classes_i AFTER INSERT ON classes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('classes', NEW.rowid, NULL); END;
CREATE TRIGGER chain_classes_u AFTER UPDATE ON classes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('classes', OLD.rowid, json_array(OLD.name, OLD.grade, OLD.letter, OLD.class_teacher)); END;
CREATE TRIGGER chain_classes_d AFTER DELETE ON classes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('classes', OLD.rowid, json_array(OLD.name, OLD.grade, OLD.letter, OLD.class_teacher)); END;

DROP TRIGGER IF EXISTS chain_students_i;
DROP TRIGGER IF EXISTS chain_students_u;
DROP TRIGGER IF EXISTS chain_students_d;
CREATE TRIGGER chain_students_i AFTER INSERT ON students BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('students', NEW.rowid, NULL); END;
CREATE TRIGGER chain_students_u AFTER UPDATE ON students BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('students', OLD.rowid, json_array(OLD.class, OLD.full_name, OLD.birth_date, OLD.joined, OLD.left_on)); END;
CREATE TRIGGER chain_students_d AFTER DELETE ON students BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('students', OLD.rowid, json_array(OLD.class, OLD.full_name, OLD.birth_date, OLD.joined, OLD.left_on)); END;

DROP TRIGGER IF EXISTS chain_student_groups_i;
DROP TRIGGER IF EXISTS chain_student_groups_u;
DROP TRIGGER IF EXISTS chain_student_groups_d;
CREATE TRIGGER chain_student_groups_i AFTER INSERT ON student_groups BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('student_groups', NEW.rowid, NULL); END;
CREATE TRIGGER chain_student_groups_u AFTER UPDATE ON student_groups BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('student_groups', OLD.rowid, json_array(OLD.student_id, OLD.subject, OLD.grp)); END;
CREATE TRIGGER chain_student_groups_d AFTER DELETE ON student_groups BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('student_groups', OLD.rowid, json_array(OLD.student_id, OLD.subject, OLD.grp)); END;

DROP TRIGGER IF EXISTS chain_parents_i;
DROP TRIGGER IF EXISTS chain_parents_u;
DROP TRIGGER IF EXISTS chain_parents_d;
CREATE TRIGGER chain_parents_i AFTER INSERT ON parents BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('parents', NEW.rowid, NULL); END;
CREATE TRIGGER chain_parents_u AFTER UPDATE ON parents BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('parents', OLD.rowid, json_array(OLD.student_id, OLD.full_name, OLD.phone, OLD.email)); END;
CREATE TRIGGER chain_parents_d AFTER DELETE ON parents BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('parents', OLD.rowid, json_array(OLD.student_id, OLD.full_name, OLD.phone, OLD.email)); END;

DROP TRIGGER IF EXISTS chain_absence_reasons_i;
DROP TRIGGER IF EXISTS chain_absence_reasons_u;
DROP TRIGGER IF EXISTS chain_absence_reasons_d;
CREATE TRIGGER chain_absence_reasons_i AFTER INSERT ON absence_reasons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('absence_reasons', NEW.rowid, NULL); END;
CREATE TRIGGER chain_absence_reasons_u AFTER UPDATE ON absence_reasons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('absence_reasons', OLD.rowid, json_array(OLD.student_id, OLD.start_date, OLD.end_date, OLD.code, OLD.document)); END;
CREATE TRIGGER chain_absence_reasons_d AFTER DELETE ON absence_reasons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('absence_reasons', OLD.rowid, json_array(OLD.student_id, OLD.start_date, OLD.end_date, OLD.code, OLD.document)); END;

DROP TRIGGER IF EXISTS chain_notes_i;
DROP TRIGGER IF EXISTS chain_notes_u;
DROP TRIGGER IF EXISTS chain_notes_d;
CREATE TRIGGER chain_notes_i AFTER INSERT ON notes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('notes', NEW.rowid, NULL); END;
CREATE TRIGGER chain_notes_u AFTER UPDATE ON notes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('notes', OLD.rowid, json_array(OLD.student_id, OLD.text)); END;
CREATE TRIGGER chain_notes_d AFTER DELETE ON notes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('notes', OLD.rowid, json_array(OLD.student_id, OLD.text)); END;

DROP TRIGGER IF EXISTS chain_lessons_i;
DROP TRIGGER IF EXISTS chain_lessons_u;
DROP TRIGGER IF EXISTS chain_lessons_d;
CREATE TRIGGER chain_lessons_u AFTER UPDATE ON lessons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('lessons', OLD.rowid, json_array(OLD.class, OLD.subject, OLD.grp, OLD.date, OLD.seq, OLD.period, OLD.kind, OLD.topic, OLD.homework, OLD.teacher, OLD.substitute, OLD.topic_first_seen, OLD.homework_first_seen)); END;
CREATE TRIGGER chain_lessons_d AFTER DELETE ON lessons BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('lessons', OLD.rowid, json_array(OLD.class, OLD.subject, OLD.grp, OLD.date, OLD.seq, OLD.period, OLD.kind, OLD.topic, OLD.homework, OLD.teacher, OLD.substitute, OLD.topic_first_seen, OLD.homework_first_seen)); END;

DROP TRIGGER IF EXISTS chain_marks_i;
DROP TRIGGER IF EXISTS chain_marks_u;
DROP TRIGGER IF EXISTS chain_marks_d;
CREATE TRIGGER chain_marks_u AFTER UPDATE ON marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('marks', OLD.rowid, json_array(OLD.lesson_id, OLD.student_id, OLD.position, OLD.value, OLD.weight, OLD.cell, OLD.first_seen, OLD.first_merge_id)); END;
CREATE TRIGGER chain_marks_d AFTER DELETE ON marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('marks', OLD.rowid, json_array(OLD.lesson_id, OLD.student_id, OLD.position, OLD.value, OLD.weight, OLD.cell, OLD.first_seen, OLD.first_merge_id)); END;

DROP TRIGGER IF EXISTS chain_attendance_i;
DROP TRIGGER IF EXISTS chain_attendance_u;
DROP TRIGGER IF EXISTS chain_attendance_d;
CREATE TRIGGER chain_attendance_u AFTER UPDATE ON attendance BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('attendance', OLD.rowid, json_array(OLD.lesson_id, OLD.student_id, OLD.code, OLD.reason, OLD.cell, OLD.first_seen)); END;
CREATE TRIGGER chain_attendance_d AFTER DELETE ON attendance BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('attendance', OLD.rowid, json_array(OLD.lesson_id, OLD.student_id, OLD.code, OLD.reason, OLD.cell, OLD.first_seen)); END;

DROP TRIGGER IF EXISTS chain_final_marks_i;
DROP TRIGGER IF EXISTS chain_final_marks_u;
DROP TRIGGER IF EXISTS chain_final_marks_d;
CREATE TRIGGER chain_final_marks_i AFTER INSERT ON final_marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('final_marks', NEW.rowid, NULL); END;
CREATE TRIGGER chain_final_marks_u AFTER UPDATE ON final_marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('final_marks', OLD.rowid, json_array(OLD.class, OLD.subject, OLD.grp, OLD.student_id, OLD.kind, OLD.period, OLD.value, OLD.cell, OLD.first_seen)); END;
CREATE TRIGGER chain_final_marks_d AFTER DELETE ON final_marks BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('final_marks', OLD.rowid, json_array(OLD.class, OLD.subject, OLD.grp, OLD.student_id, OLD.kind, OLD.period, OLD.value, OLD.cell, OLD.first_seen)); END;

DROP TRIGGER IF EXISTS chain_changes_i;
DROP TRIGGER IF EXISTS chain_changes_u;
DROP TRIGGER IF EXISTS chain_changes_d;
CREATE TRIGGER chain_changes_u AFTER UPDATE ON changes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('changes', OLD.rowid, json_array(OLD.merge_id, OLD.detected_at, OLD.change, OLD.entity, OLD.class, OLD.subject, OLD.grp, OLD.teacher, OLD.student_id, OLD.student, OLD.lesson_date, OLD.seq, OLD.kind, OLD.period, OLD.old_value, OLD.new_value, OLD.first_seen, OLD.last_seen, OLD.days_late, OLD.file, OLD.cell)); END;
CREATE TRIGGER chain_changes_d AFTER DELETE ON changes BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('changes', OLD.rowid, json_array(OLD.merge_id, OLD.detected_at, OLD.change, OLD.entity, OLD.class, OLD.subject, OLD.grp, OLD.teacher, OLD.student_id, OLD.student, OLD.lesson_date, OLD.seq, OLD.kind, OLD.period, OLD.old_value, OLD.new_value, OLD.first_seen, OLD.last_seen, OLD.days_late, OLD.file, OLD.cell)); END;

DROP TRIGGER IF EXISTS chain_printed_copies_i;
DROP TRIGGER IF EXISTS chain_printed_copies_u;
DROP TRIGGER IF EXISTS chain_printed_copies_d;
CREATE TRIGGER chain_printed_copies_i AFTER INSERT ON printed_copies BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('printed_copies', NEW.rowid, NULL); END;
CREATE TRIGGER chain_printed_copies_u AFTER UPDATE ON printed_copies BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('printed_copies', OLD.rowid, json_array(OLD.printed_at, OLD.class, OLD.period, OLD.school_year, OLD.version, OLD.pages, OLD.sha256, OLD.file, OLD.chain_head)); END;
CREATE TRIGGER chain_printed_copies_d AFTER DELETE ON printed_copies BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('printed_copies', OLD.rowid, json_array(OLD.printed_at, OLD.class, OLD.period, OLD.school_year, OLD.version, OLD.pages, OLD.sha256, OLD.file, OLD.chain_head)); END;

DROP TRIGGER IF EXISTS chain_events_i;
DROP TRIGGER IF EXISTS chain_events_u;
DROP TRIGGER IF EXISTS chain_events_d;
CREATE TRIGGER chain_events_i AFTER INSERT ON events BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('events', NEW.rowid, NULL); END;
CREATE TRIGGER chain_events_u AFTER UPDATE ON events BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('events', OLD.rowid, json_array(OLD.source, OLD.class, OLD.date, OLD.title, OLD.first_seen)); END;
CREATE TRIGGER chain_events_d AFTER DELETE ON events BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('events', OLD.rowid, json_array(OLD.source, OLD.class, OLD.date, OLD.title, OLD.first_seen)); END;

DROP TRIGGER IF EXISTS chain_messages_i;
DROP TRIGGER IF EXISTS chain_messages_u;
DROP TRIGGER IF EXISTS chain_messages_d;
CREATE TRIGGER chain_messages_i AFTER INSERT ON messages BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('messages', NEW.rowid, NULL); END;
CREATE TRIGGER chain_messages_u AFTER UPDATE ON messages BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('messages', OLD.rowid, json_array(OLD.class, OLD.subject, OLD.grp, OLD.author, OLD.student, OLD.date, OLD.seq, OLD.text, OLD.first_seen, OLD.cell)); END;
CREATE TRIGGER chain_messages_d AFTER DELETE ON messages BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('messages', OLD.rowid, json_array(OLD.class, OLD.subject, OLD.grp, OLD.author, OLD.student, OLD.date, OLD.seq, OLD.text, OLD.first_seen, OLD.cell)); END;

DROP TRIGGER IF EXISTS chain_acknowledged_i;
DROP TRIGGER IF EXISTS chain_acknowledged_u;
DROP TRIGGER IF EXISTS chain_acknowledged_d;
CREATE TRIGGER chain_acknowledged_i AFTER INSERT ON acknowledged BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('acknowledged', NEW.rowid, NULL); END;
CREATE TRIGGER chain_acknowledged_u AFTER UPDATE ON acknowledged BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('acknowledged', OLD.rowid, json_array(OLD.file, OLD.code, OLD.sheet, OLD.cell, OLD.message, OLD.who, OLD.at)); END;
CREATE TRIGGER chain_acknowledged_d AFTER DELETE ON acknowledged BEGIN INSERT OR IGNORE INTO chain_dirty VALUES ('acknowledged', OLD.rowid, json_array(OLD.file, OLD.code, OLD.sheet, OLD.cell, OLD.message, OLD.who, OLD.at)); END;
