"""``journal demo``: build the sample school folder, its history, and every output.

The sample school's workbooks are generated (:mod:`journal.demo.content`), its history is
simulated by merging the workbooks' state as it was on past days (so that
first-seen times, corrections, removals and late entries are realistic), then the
final workbooks are written with a handful of typical mistakes and merged for
real, and every later stage runs: reports, paper copies, letters, the family diary.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from journal import __version__
from journal.core.errors import UsageError
from journal.dataset import store
from journal.demo.content import (
    DEMO_TODAY,
    DemoStudent,
    DemoSubject,
    Entry,
    demo_class_content,
    demo_settings,
    demo_students,
    demo_subject,
)
from journal.intake.apply import SubjectIdentity, write_class, write_subject
from journal.intake.merge import merge_school, settings_fingerprint
from journal.intake.outcomes import MERGED, UNCHANGED, FileOutcome, MergeResult
from journal.intake.pipeline import finish_stage, known_students, validate_read
from journal.intake.plan import plan_workbook, read_state
from journal.intake.validation import ClassRecords, KnownStudent, SubjectRecords, validate_subject
from journal.school.folder import SchoolFolder, class_workbook_name, subject_workbook_name
from journal.school.settings import QUARTERS, CouncilDecision, Settings
from journal.school.year_marks import DEBTS, MAX_CONDITIONAL_DEBTS, Outcome
from journal.workbooks.build import (
    GRID_FIRST_DATE_COL,
    GRID_FIRST_STUDENT_ROW,
    TABLE_HEADER_ROW,
    build_class_workbook,
    build_subject_workbook,
    save_workbook,
)
from journal.workbooks.format import (
    FINAL_YEAR,
    FINALS_NAME_COLUMN,
    KIND_CLASS,
    KIND_SUBJECT,
    LOG_COLUMNS,
    LOG_DATE,
    LOG_HOMEWORK,
    LOG_SUBSTITUTE,
    LOG_TOPIC,
    AbsenceReason,
    ClassContent,
    SubjectContent,
    WorkbookMeta,
    final_columns,
    lesson_keys,
)
from journal.workbooks.reading import read_workbook
from journal.workbooks.settings_writer import write_settings_workbook
from journal.workbooks.views import Cell, SubjectView

MARKER = ".journal-demo"
CREATED = "2026-08-25 09:00:00"
FIRST_MERGE = dt.date(2026, 10, 23)  # the school began to use the journal at the end of the 1st quarter
DAILY_DAYS = 14  # the last two weeks before «today» are merged every school day
MERGE_HOUR = dt.time(17, 30)
DEMO_FIRST_DAY = dt.date(2026, 9, 1)
DEMO_LAST_DAY = dt.date(2027, 8, 31)


def history_days(today: dt.date) -> list[dt.date]:
    """The days the sample coordinator merged before ``today``: the first merge at the end of
    the 1st quarter, every Friday after it, then every weekday of the last two weeks."""
    days: list[dt.date] = []
    day = FIRST_MERGE
    while day < today:
        recent = (today - day).days <= DAILY_DAYS
        if day == FIRST_MERGE or (day.isoweekday() == 5 if not recent else day.isoweekday() <= 5):
            days.append(day)
        day += dt.timedelta(days=1)
    return days

Progress = Callable[[str], None]


@dataclass
class DemoResult:
    """Where the sample school and its outputs are."""

    school: SchoolFolder
    merge: MergeResult | None = None
    outputs: dict[str, list[Path]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def build_demo(out: Path, *, progress: Progress | None = None, reports: bool = True,
               today: dt.date | None = None) -> DemoResult:
    """Build the sample school in ``out`` (replacing an earlier sample there) as it stands on
    ``today`` (27.11.2026 by default; any day of 2026/2027) and run every stage."""
    today = today or DEMO_TODAY
    if not DEMO_FIRST_DAY <= today <= DEMO_LAST_DAY:
        raise UsageError(f"Пример школы живёт в 2026/2027 учебном году: укажите день с "
                         f"{DEMO_FIRST_DAY:%d.%m.%Y} по {DEMO_LAST_DAY:%d.%m.%Y}.")
    say = progress or (lambda _text: None)
    school = _fresh_folder(out)
    settings = demo_settings(today)
    students = {c.name: demo_students(settings, c) for c in settings.classes}
    subjects = [demo_subject(settings, item, students[item.class_name])
                for item in settings.curriculum]
    settings = replace(settings, decisions=council_decisions(settings, subjects))
    say("Настройки школы…")
    write_settings_workbook(settings, school.settings_path, created=CREATED)
    say("Книги классных руководителей…")
    class_contents = _write_class_workbooks(settings, school, students)
    _plant_history(subjects, today)
    say("История слияний…")
    _simulate_history(settings, school, subjects, today)
    say("Книги учителей-предметников…")
    _write_subject_workbooks(settings, school, subjects, students, today)
    _plant_class_mistakes(settings, school, students, class_contents, today)
    say("Сбор журналов в общую базу…")
    result = DemoResult(school)
    result.merge = merge_school(school, settings, now=dt.datetime.combine(today, MERGE_HOUR))
    from journal.intake.feedback import write_feedback

    write_feedback(school, result.merge)
    if reports:
        _run_later_stages(settings, school, result, say, today)
    return result


def council_decisions(settings: Settings, subjects: list[DemoSubject]) -> tuple[CouncilDecision, ...]:
    """After the year's marks: the teachers' council keeps down a student with three or more
    academic debts (one or two give a conditional promotion by the rule)."""
    if settings.today is None or settings.today <= settings.year_end:
        return ()
    debts: dict[tuple[str, str], int] = {}
    for demo in subjects:
        for (student, column), value in demo.content.finals.items():
            if column == FINAL_YEAR and value in DEBTS:
                key = (demo.item.class_name, student)
                debts[key] = debts.get(key, 0) + 1
    day = settings.year_end + dt.timedelta(days=3)
    return tuple(CouncilDecision(class_name, student, Outcome.KEPT.value, day, "Протокол № 7")
                 for (class_name, student), count in sorted(debts.items())
                 if count > MAX_CONDITIONAL_DEBTS)


def _fresh_folder(out: Path) -> SchoolFolder:
    out = out.expanduser().resolve()
    if out.exists() and any(out.iterdir()):
        if not (out / MARKER).exists():
            raise UsageError(
                f"Папка «{out}» не пуста и не похожа на пример школы. Укажите другую: "
                "journal demo --out ПАПКА")
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("Пример школы, созданный командой journal demo.\n", encoding="utf-8")
    school = SchoolFolder(out)
    for folder in (school.classes_dir, school.workbooks_dir, school.output_dir):
        folder.mkdir(exist_ok=True)
    return school


def _write_class_workbooks(settings: Settings, school: SchoolFolder,
                           students: dict[str, list[DemoStudent]]) -> dict[str, ClassContent]:
    contents: dict[str, ClassContent] = {}
    for school_class in settings.classes:
        contents[school_class.name] = demo_class_content(settings, school_class,
                                                         students[school_class.name])
        wb = build_class_workbook(settings, school_class, contents[school_class.name], created=CREATED)
        save_workbook(wb, school.classes_dir / class_workbook_name(school_class.name))
    return contents


def _write_subject_workbooks(settings: Settings, school: SchoolFolder, subjects: list[DemoSubject],
                             students: dict[str, list[DemoStudent]], today: dt.date) -> None:
    for demo in subjects:
        content = demo.as_of(today)
        _plant_mistakes(settings, demo, content, today)
        records = [s.record for s in students[demo.item.class_name]]
        wb = build_subject_workbook(settings, demo.item, records, content, created=CREATED)
        save_workbook(wb, school.workbooks_dir / subject_workbook_name(*demo.item.key))


# ---------------------------------------------------------------- the simulated history


def _simulate_history(settings: Settings, school: SchoolFolder, subjects: list[DemoSubject],
                      today: dt.date) -> None:
    """Merge each workbook's state of past days, as the coordinator did then.

    The same stages as ``journal merge`` (:mod:`journal.intake.pipeline`), from each
    workbook's content instead of a file: validate, plan, write, and a ``merge_files`` row
    for every workbook, merged or found unchanged (the late-entry rule counts both as
    observations), under the settings' fingerprint as a real merge records it.
    """
    conn = store.connect(school.store_path)
    try:
        class_lists: dict[str, list[KnownStudent]] = {}
        class_files: list[tuple[str, str, ClassRecords]] = []
        for path in sorted(school.classes_dir.glob("*.xlsx")):
            read = read_workbook(path)
            name = path.relative_to(school.root).as_posix()
            validated = validate_read(read.workbook, settings, name, None)
            assert isinstance(validated.records, ClassRecords), validated.findings
            class_lists[validated.records.class_name] = known_students(validated.records)
            class_files.append((name, read.sha256, validated.records))
        fingerprint = settings_fingerprint(settings)
        hashes: dict[str, str] = {}
        for n, day in enumerate(history_days(today)):
            now = dt.datetime.combine(day, MERGE_HOUR)
            stamp = store.now_text(now)
            merge_id = store.begin_merge(conn, stamp, __version__)
            store.set_settings_hash(conn, merge_id, fingerprint)
            outcomes: dict[str, FileOutcome] = {}
            for name, sha, records in class_files:
                outcome = FileOutcome(name, MERGED if n == 0 else UNCHANGED, sha, KIND_CLASS,
                                      records.class_name, teacher=records.class_teacher)
                if n == 0:
                    write_class(conn, records, merge_id, sha)
                outcomes[name] = outcome
            for demo in subjects:
                content = demo.as_of(day)
                name = f"workbooks/{subject_workbook_name(*demo.item.key)}"
                sha = _content_hash(content)
                outcome = FileOutcome(name, UNCHANGED, sha, KIND_SUBJECT, *demo.item.key,
                                      teacher=demo.item.teacher)
                outcomes[name] = outcome
                if hashes.get(name) == sha:
                    continue
                hashes[name] = sha
                view = subject_view(settings, demo, content)
                validated = validate_subject(view, settings, class_lists[demo.item.class_name], file=name)
                rec = validated.records
                if validated.has_errors or not isinstance(rec, SubjectRecords):
                    raise AssertionError(f"sample history of {name} on {day}: {validated.findings[:3]}")
                state, observed = read_state(conn, rec)
                planned = plan_workbook(rec, state, observed, now, merge_id,
                                        share=settings.norms.large_removal_share,
                                        confirm_removals=False)
                if planned.plan is None:
                    raise AssertionError(f"sample history of {name} on {day}: {planned.findings[:3]}")
                write_subject(conn, SubjectIdentity.of(rec), planned.plan, merge_id, sha)
                outcome.status, outcome.changes = MERGED, len(planned.plan.changes)
            finish_stage(conn, MergeResult(merge_id, stamp), outcomes, now)
    finally:
        conn.close()


def _content_hash(content: SubjectContent) -> str:
    text = repr((sorted(content.marks.items()), sorted(content.kinds.items()),
                 sorted((k, v.topic, v.homework, v.substitute) for k, v in content.log.items()),
                 sorted(content.finals.items())))
    return hashlib.sha256(text.encode()).hexdigest()


def subject_view(settings: Settings, demo: DemoSubject, content: SubjectContent) -> SubjectView:
    """The validation view of a subject workbook's content, laid out as the builder lays it out.

    Used for the simulated history only, where writing and reading a file for every
    past day would take minutes; the final workbooks are real files.
    """
    from openpyxl.utils import get_column_letter

    item = demo.item
    keys = lesson_keys(demo.dates)
    school_class = settings.school_class(item.class_name)
    assert school_class is not None
    meta = WorkbookMeta(KIND_SUBJECT, settings.school_year, school_class.name, item.subject,
                        item.group, item.teacher)
    row_of = {name: GRID_FIRST_STUDENT_ROW + i for i, name in enumerate(demo.students)}
    col_of = {key: GRID_FIRST_DATE_COL + j for j, key in enumerate(keys)}
    date_row = GRID_FIRST_STUDENT_ROW - 3
    kind_row = GRID_FIRST_STUDENT_ROW - 1

    def addr(col: int, row: int) -> str:
        return f"{get_column_letter(col)}{row}"

    marks = []
    for (name, day, seq), value in content.marks.items():
        r, c = row_of[name], col_of[(day, seq)]
        marks.append((r - GRID_FIRST_STUDENT_ROW, c - GRID_FIRST_DATE_COL, addr(c, r), value))
    marks.sort()
    log = []
    for j, key in enumerate(keys):
        entry = content.log.get(key)
        r = TABLE_HEADER_ROW + 1 + j
        values = {LOG_DATE: key[0], LOG_TOPIC: entry.topic if entry else None,
                  LOG_HOMEWORK: entry.homework if entry else None,
                  LOG_SUBSTITUTE: (entry.substitute or None) if entry else None}
        log.append({name: Cell(values[name], addr(i + 1, r)) for i, name in enumerate(LOG_COLUMNS)})
    header = final_columns(settings.final_period_names(school_class))
    finals = []
    if settings.gets_marks(school_class):
        for i, name in enumerate(demo.students):
            r = TABLE_HEADER_ROW + 1 + i
            finals.append((Cell(name, addr(1, r)),
                           [Cell(content.finals.get((name, column)), addr(2 + k, r))
                            for k, column in enumerate(header)]))
    return SubjectView(
        meta=meta,
        students=[Cell(name, addr(2, row_of[name])) for name in demo.students],
        dates=[Cell(day, addr(col_of[(day, seq)], date_row)) for day, seq in keys],
        kinds=[Cell(content.kinds.get(key) or None, addr(col_of[key], kind_row)) for key in keys],
        marks=marks,
        log=log,
        finals_header=header if settings.gets_marks(school_class) else [],
        finals=finals,
    )


assert FINALS_NAME_COLUMN  # the finals table's first column holds the names (see workbook_format)


# ---------------------------------------------------------------- what the sample shows


def _find(subjects: list[DemoSubject], class_name: str, subject: str) -> DemoSubject:
    for demo in subjects:
        if demo.item.class_name == class_name and demo.item.subject == subject and not demo.item.group:
            return demo
    raise KeyError((class_name, subject))


def _plant_history(subjects: list[DemoSubject], today: dt.date) -> None:
    """Corrections, a removal and late written works, for the audit report to find (those
    whose days have come by ``today``)."""
    corrections = (("5А", "Русский язык", 3, 4, 6), ("8А", "Алгебра", 2, 3, 9),
                   ("11А", "Литература", 4, 5, 5))
    for class_name, subject, old, new, after in corrections:
        demo = _find(subjects, class_name, subject)
        found = next((e for e in demo.mark_entries
                      if str(e.value) == str(new)
                      and dt.date(2026, 11, 5) <= e.key[1] <= dt.date(2026, 11, 13)
                      and e.entered + dt.timedelta(days=after) <= today), None)
        if found is None:
            continue
        entry = found
        entry.earlier = str(old)
        entry.corrected = entry.entered + dt.timedelta(days=after)
    demo = _find(subjects, "9А", "История")
    removed = next((e for e in demo.mark_entries
                    if str(e.value).isdigit()
                    and dt.date(2026, 11, 9) <= e.key[1] <= dt.date(2026, 11, 13)
                    and e.entered + dt.timedelta(days=8) <= today), None)
    if removed is not None:
        demo.mark_entries.remove(removed)
        demo.content.marks.pop(removed.key, None)
        demo.removed.append(Entry(removed.key, removed.value, removed.entered,
                                  corrected=removed.entered + dt.timedelta(days=8)))
    demo = _find(subjects, "10А", "Физика")
    written = {k for k, v in demo.content.kinds.items()
               if v == "Контрольная работа" and k[0] >= dt.date(2026, 11, 5)}
    for e in demo.mark_entries:
        if (e.key[1], e.key[2]) in written:
            e.entered = min(e.key[1] + dt.timedelta(days=10), today)


def _plant_mistakes(settings: Settings, demo: DemoSubject, content: SubjectContent,
                    today: dt.date) -> None:
    """Typical mistakes teachers make, in the final workbooks only."""
    key = demo.item.key
    held = sorted(k for k in content.log)
    if key == ("7А", "Алгебра", ""):
        recent = [k for k, v in sorted(content.marks.items())
                  if str(v) == "4" and k[1] >= today - dt.timedelta(days=4)]
        if recent:
            content.marks[recent[0]] = "4-"
    elif key == ("5А", "Математика", "") and held:
        last = held[-1]
        content.log[last].topic = ""
        for name in demo.students[:3]:
            content.marks.setdefault((name, *last), "5")
    elif key == ("8А", "История", ""):
        content.kinds[held[-1]] = "контрольная"
    elif key == ("6А", "Русский язык", ""):
        column = final_columns([p.name for p in settings.periods_for("6А")])[0]
        weakest = min((k for k, v in content.finals.items() if k[1] == column and v == "3"), default=None)
        if weakest:
            content.finals[weakest] = "5"
    elif key == ("9А", "Физика", ""):
        typed = [k for k, v in sorted(content.marks.items()) if v == "Н"][:2]
        for k in typed:
            content.marks[k] = "H"  # Latin letter: normalised silently
        fours = [k for k, v in sorted(content.marks.items()) if v == "4/5"][:1]
        for k in fours:
            content.marks[k] = 4.5  # «4,5» turned into a number: normalised silently
    elif key == ("3А", "Математика", ""):
        newcomer = demo.students[-1]  # joined on 12.10 (see demo_students)
        before = next((k for k in held if k[0] < dt.date(2026, 10, 12)), None)
        if before is not None:
            content.marks[(newcomer, *before)] = "5"


def _plant_class_mistakes(settings: Settings, school: SchoolFolder,
                          students: dict[str, list[DemoStudent]],
                          contents: dict[str, ClassContent], today: dt.date) -> None:
    """A reason for a misspelt student (an error) and a malformed e-mail (a warning)."""
    content = contents["3А"]
    victim = students["3А"][2].record.full_name
    misspelt = victim.replace("а", "о", 1) if "а" in victim else victim + "а"
    content.reasons.append(AbsenceReason(misspelt, today - dt.timedelta(days=3),
                                         today - dt.timedelta(days=2), "Б",
                                         "Справка № 512"))
    school_class = settings.school_class("3А")
    assert school_class is not None
    save_workbook(build_class_workbook(settings, school_class, content, created=CREATED),
                  school.classes_dir / class_workbook_name("3А"))
    content = contents["4А"]
    if content.parents:
        content.parents[0].email = content.parents[0].email.replace("@", "@@") or "ivanova@mail"
        school_class = settings.school_class("4А")
        assert school_class is not None
        save_workbook(build_class_workbook(settings, school_class, content, created=CREATED),
                      school.classes_dir / class_workbook_name("4А"))


# ---------------------------------------------------------------- reports, copies, letters


def ended_quarters(settings: Settings, today: dt.date) -> list[str]:
    """The numbers of the quarters that have ended before ``today`` (their copies and
    report sets are made; for grades 10–11 a quarter number means its half-year)."""
    return [str(p.number) for p in settings.periods if p.set == QUARTERS and p.end < today]


def _run_later_stages(settings: Settings, school: SchoolFolder, result: DemoResult,
                      say: Progress, today: dt.date) -> None:
    from journal.documents.notebooks import available_reports, run_reports

    say("Отчёты…")
    # Everything for the current period while the year runs; for every period that has ended
    # its report set; after the year's end the year's results.
    ended = ended_quarters(settings, today)
    after_year = today > settings.year_end
    runs: list[tuple[list[str], dict[str, object]]] = []
    if not after_year:
        runs.append((list(available_reports()), {"period": "текущий", "today": today}))
    runs.extend((["progress", "attendance"], {"period": q, "today": today}) for q in ended)
    if after_year:
        runs.append((["readiness", "curriculum", "year_end"], {"period": "год", "today": today}))
    for names, parameters in runs:
        for output in run_reports(names, school, parameters):
            if output.error:
                result.problems.append(str(output.error))
            result.outputs.setdefault("reports", []).extend(
                p for p in (output.pdf, output.html) if p)
    from journal.documents.copies.files import print_copies
    from journal.documents.copies.plan import plan_print
    from journal.documents.pdf import PdfRenderer

    # The 4th quarter's copies are the year's («год»: the last period with the year marks).
    specs = [q for q in ended if not (after_year and q == ended[-1])] + (["год"] if after_year else [])
    with PdfRenderer() as renderer:
        for spec in specs:
            say(f"Бумажные копии: {'год' if spec == 'год' else spec + ' четверть'}…")
            outcome = print_copies(school, settings, plan_print(settings, spec), renderer.render)
            result.outputs.setdefault("print", []).extend(c.path for c in outcome.copies)
    say("Письма родителям…")
    from journal.documents.letters import letters_range
    from journal.documents.mailing import run_letters

    run = run_letters(school, settings, letters_range(settings, None, None, today))
    result.outputs["letters"] = [f.path for f in run.output.files]
    say("Электронный дневник для семей…")
    from journal.documents.diary.build import build_diary

    with PdfRenderer() as renderer:
        diary = build_diary(school, settings, site="https://сосновская-школа.рф/дневник/",
                            render=renderer.render)
    result.outputs["diary"] = [diary.folder / "index.html"]
