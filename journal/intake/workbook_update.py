"""``journal templates``: create missing workbooks and bring existing ones up to date.

For every class of the settings there is one class workbook under ``classes/``,
for every curriculum line one subject workbook under ``workbooks/``. Existing
workbooks are found by their ``_meta`` (never by file name). A workbook whose
layout is out of date (a student joined or left, the timetable or the teacher
changed) is rebuilt from code, never re-saved: its content is read, a new
workbook is built with the new students and dates and filled with the content
by meaning, and the new file is read back to check that every non-empty value
of the old one is there, in the same place by meaning. Only then is the old
file copied to ``output/Резервные копии/<time>/`` and replaced. When any value
would be lost (a mark on a date no longer in the timetable, a mark of a student
no longer in the class list), the workbook is refused and left byte for byte as
it was; each such value is a finding with its cell.

Values are compared by meaning (:mod:`journal.intake.workbook_values`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook

from journal.core.files import file_sha256, temp_path_beside
from journal.core.findings import Finding, error, has_errors, warning
from journal.core.text import clean_text as _text
from journal.core.text import text_key
from journal.intake.validation import moved_names, moved_names_text, validate_class
from journal.intake.workbook_values import Meaning, Place, Values, class_values, same_value, subject_values
from journal.school.folder import BACKUP_DIR, SchoolFolder, class_workbook_name, subject_workbook_name
from journal.school.settings import CurriculumItem, SchoolClass, Settings, normalise_class_name
from journal.workbooks import format as wf
from journal.workbooks.build import (
    META_LAYOUT,
    build_class_workbook,
    build_subject_workbook,
    class_layout,
    save_workbook,
    subject_dates,
    subject_layout,
    subject_students,
)
from journal.workbooks.reading import (
    RawClassWorkbook,
    RawSubjectWorkbook,
    ReadResult,
    read_workbook,
)
from journal.workbooks.views import ClassView, SubjectView, view_from_raw

CREATED = "created"


UPDATED = "updated"


UNCHANGED = "unchanged"


REFUSED = "refused"


ACTION_RU = {CREATED: "создан", UPDATED: "обновлён", UNCHANGED: "без изменений", REFUSED: "не обновлён"}


# Finding codes of template updates
T_LOST = "T01"  # a filled value has no place in the new layout


T_CLASS_LIST = "T02"  # the class workbook has errors: its list is not carried into subject workbooks


T_UNREADABLE = "T09"  # an existing workbook reads with errors: it is not updated


T_NOT_JOURNAL = "T10"  # a file in the folder is not recognised as a journal


T_DUPLICATE = "T03"  # two workbooks for the same class × subject × group


T_NAME_TAKEN = "T04"  # the default file name is taken by another file


T_NOT_IN_SETTINGS = "T05"  # a workbook for a class or subject the settings no longer have


T_VERIFY = "T06"  # the rebuilt file does not hold every old value


T_REPLACE = "T07"  # the old file could not be replaced (open in Excel?)


T_OTHER_YEAR = "T08"  # a workbook of another school year


T_ROWS_MOVED = "T11"  # only the names column was sorted: the workbook is not rebuilt (see S08)


MIN_SPARE_ROWS = 10  # a class workbook with fewer empty rows left is rebuilt with more


@dataclass(frozen=True)
class _Target:
    """What the new layout has room for."""

    roster: set[str]
    keys: set[wf.LessonKey]
    finals: set[str]


@dataclass
class WorkbookChange:
    """What happened (or would happen, in a dry run) to one workbook."""

    path: Path
    title: str
    action: str  # CREATED, UPDATED, UNCHANGED or REFUSED
    details: list[str] = field(default_factory=list)  # Russian: «добавлен ученик …»


@dataclass
class TemplatesResult:
    """The outcome of :func:`update_templates`."""

    changes: list[WorkbookChange] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    backup_dir: Path | None = None
    dry_run: bool = False
    root: Path | None = None  # the school folder; findings name files relative to it

    def with_action(self, action: str) -> list[WorkbookChange]:
        """The changes with ``action``."""
        return [c for c in self.changes if c.action == action]

    @property
    def refused(self) -> list[WorkbookChange]:
        """Workbooks left as they were because a value would be lost or they could not be read."""
        return self.with_action(REFUSED)

    @property
    def has_errors(self) -> bool:
        """True when some workbook was refused or an error was found."""
        return bool(self.refused) or has_errors(self.findings)


def update_templates(school: SchoolFolder, settings: Settings, *, now: dt.datetime | None = None,
                     dry_run: bool = False) -> TemplatesResult:
    """Create missing class and subject workbooks and rebuild outdated ones without losing a value."""
    now = now or dt.datetime.now()
    run = _Run(school, settings, now, dry_run)
    run.scan()
    for school_class in settings.classes:
        run.class_workbook(school_class)
    for item in settings.curriculum:
        run.subject_workbook(item)
    run.report_leftovers()
    return run.result


class _Run:
    def __init__(self, school: SchoolFolder, settings: Settings, now: dt.datetime, dry_run: bool) -> None:
        self.school = school
        self.settings = settings
        self.now = now
        self.created = now.strftime("%Y-%m-%d %H:%M:%S")
        self.result = TemplatesResult(dry_run=dry_run, root=school.root)
        self.dry_run = dry_run
        self.read: dict[Path, ReadResult] = {}
        self.classes: dict[str, list[ReadResult]] = {}
        self.subjects: dict[tuple[str, str, str], list[ReadResult]] = {}
        self.used: set[Path] = set()
        self.students: dict[str, list[wf.StudentRecord]] = {}
        self.untrusted_lists: dict[str, Finding] = {}

    # -- scanning ----------------------------------------------------------

    def scan(self) -> None:
        for path in self.school.input_files():
            if path.suffix.lower() != ".xlsx":
                continue
            result = _read_safely(path, self.school.root)
            self.read[path] = result
            meta = result.meta
            if meta is None:
                continue
            if meta.kind == wf.KIND_CLASS:
                self.classes.setdefault(normalise_class_name(meta.class_name), []).append(result)
            elif meta.kind == wf.KIND_SUBJECT:
                self.subjects.setdefault(_subject_key(meta.class_name, meta.subject, meta.group),
                                         []).append(result)

    def _rel(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.school.root))
        except ValueError:
            return str(path)

    def _existing(self, found: list[ReadResult], title: str) -> ReadResult | bool | None:
        """The one existing workbook, None when there is none, False when it cannot be used."""
        if not found:
            return None
        for r in found:
            self.used.add(r.path)
        if len(found) > 1:
            files = ", ".join(f"«{self._rel(r.path)}»" for r in found)
            for r in found:
                self._refuse(r.path, title, error(
                    T_DUPLICATE, f"для «{title}» несколько файлов: {files}. Оставьте один (перенесите "
                    "данные в него), остальные уберите из папки, и повторите команду",
                    file=self._rel(r.path)))
            return False
        existing = found[0]
        if existing.workbook is None or has_errors(existing.findings):
            problems = "; ".join(f.format(with_file=False) for f in existing.findings if f.is_error)
            self._refuse(existing.path, title, error(
                T_UNREADABLE, f"файл не обновлён, потому что он читается с ошибками: {problems}",
                file=self._rel(existing.path)))
            return False
        if existing.meta is not None and existing.meta.school_year != self.settings.school_year:
            self._refuse(existing.path, title, error(
                T_OTHER_YEAR, f"файл за {existing.meta.school_year} учебный год, а в настройках "
                f"{self.settings.school_year}; уберите его из папки школы этого года",
                file=self._rel(existing.path)))
            return False
        return existing

    def _refuse(self, path: Path, title: str, *findings: Finding) -> None:
        self.result.findings.extend(findings)
        change = next((c for c in self.result.changes if c.path == path), None)
        if change is None:
            self.result.changes.append(WorkbookChange(path, title, REFUSED,
                                                      [f.format(with_file=False) for f in findings]))
        else:
            change.action = REFUSED
            change.details.extend(f.format(with_file=False) for f in findings)

    # -- class workbooks ---------------------------------------------------

    def class_workbook(self, school_class: SchoolClass) -> None:
        title = wf.WorkbookMeta(wf.KIND_CLASS, self.settings.school_year, school_class.name).title()
        found = self.classes.get(normalise_class_name(school_class.name), [])
        existing = self._existing(found, title)
        self.students[school_class.name] = []
        if existing is False:
            # the class list is still the best we know for the subject workbooks
            raw = found[0].workbook if len(found) == 1 else None
            if isinstance(raw, RawClassWorkbook):
                self.students[school_class.name] = raw.to_content().students
            return
        if existing is None:
            path = self.school.classes_dir / class_workbook_name(school_class.name)
            if self._free(path, title):
                self._create(path, title, lambda: build_class_workbook(self.settings, school_class,
                                                                       created=self.created))
            return
        assert isinstance(existing, ReadResult)
        raw = existing.workbook
        assert isinstance(raw, RawClassWorkbook)
        content = raw.to_content()
        self.students[school_class.name] = content.students
        self._check_class_list(existing, raw, school_class)
        if existing.meta_values.get(META_LAYOUT) == class_layout(self.settings, school_class) \
                and self._spare_rows(raw) >= MIN_SPARE_ROWS:
            self.result.changes.append(WorkbookChange(existing.path, title, UNCHANGED))
            return
        expected = class_values(raw)
        lost = [f for f in (self._lost(existing, meaning, place, value) for meaning, (place, value)
                            in expected.items()) if f is not None]
        self._rebuild(existing, title, expected,
                      lambda: build_class_workbook(self.settings, school_class, content,
                                                   created=self.created),
                      lambda new: class_values(new) if isinstance(new, RawClassWorkbook) else {},
                      lost=lost, details=["обновлены столбцы групп, учитель и строки для новых записей"])

    @staticmethod
    def _spare_rows(raw: RawClassWorkbook) -> int:
        tables = [t for t in (raw.students, raw.parents, raw.reasons, raw.notes, raw.events, raw.messages)
                  if t is not None]
        spare = []
        for t in tables:
            last = max((i for i, _ in t.filled_rows()), default=-1)
            spare.append(len(t.rows) - 1 - last)
        return min(spare, default=0)

    def _check_class_list(self, existing: ReadResult, raw: RawClassWorkbook,
                          school_class: SchoolClass) -> None:
        """Keep subject rosters as they are when the class workbook would be rejected by a merge.

        Otherwise a student typed into the list, or removed from it, while the class
        workbook still has errors would reach the subject workbooks, and the merge would
        then reject those too, blaming the wrong file.
        """
        view = view_from_raw(raw)
        assert isinstance(view, ClassView)
        validated = validate_class(view, self.settings, file=self._rel(existing.path))
        errors = [f for f in validated.findings if f.is_error]
        if not errors:
            return
        self.untrusted_lists[school_class.name] = error(
            T_CLASS_LIST,
            f"список класса {school_class.name} не перенесён в журналы предметов: в файле классного "
            f"руководителя ошибки ({errors[0].format(with_file=False)}"
            f"{f' и ещё {len(errors) - 1}' if len(errors) > 1 else ''}). Исправьте их "
            f"и снова обновите файлы журнала",
            file=self._rel(existing.path), teacher=school_class.class_teacher)
        self.result.findings.append(self.untrusted_lists[school_class.name])

    # -- subject workbooks -------------------------------------------------

    def subject_workbook(self, item: CurriculumItem) -> None:
        school_class = self.settings.school_class(item.class_name)
        if school_class is None:
            return
        title = wf.WorkbookMeta(wf.KIND_SUBJECT, self.settings.school_year, school_class.name, item.subject,
                                item.group).title()
        if school_class.name in self.untrusted_lists:
            return
        students = self.students.get(school_class.name, [])
        existing = self._existing(self.subjects.get(_subject_key(*item.key), []), title)
        if existing is False:
            return
        if existing is None:
            path = self.school.workbooks_dir / subject_workbook_name(school_class.name, item.subject,
                                                                     item.group)
            if self._free(path, title):
                self._create(path, title, lambda: build_subject_workbook(self.settings, item, students,
                                                                         created=self.created))
            return
        assert isinstance(existing, ReadResult)
        raw = existing.workbook
        assert isinstance(raw, RawSubjectWorkbook)
        expected = subject_values(raw)
        kept = self._kept_dates(item, expected)
        if existing.meta_values.get(META_LAYOUT) == subject_layout(self.settings, item, students, kept):
            self.result.changes.append(WorkbookChange(existing.path, title, UNCHANGED))
            return
        view = view_from_raw(raw)
        moved = moved_names(view) if isinstance(view, SubjectView) else []
        if moved:  # rebuilding would hand the marks to the students now beside them, for good
            self._refuse(existing.path, title, error(
                T_ROWS_MOVED, moved_names_text(moved) + ". Книга не обновлена",
                file=self._rel(existing.path), sheet=wf.SHEET_GRID, cell=moved[0][0].cell))
            return
        names, content = raw.to_content()
        dates = subject_dates(self.settings, item, kept)
        target = _Target(
            roster={s.full_name for s in subject_students(item, students)},
            keys=set(wf.lesson_keys(dates)),
            finals=set(wf.final_columns(self.settings.final_period_names(school_class)))
            if self.settings.gets_marks(school_class) else set())
        lost = [f for f in (self._lost(existing, meaning, place, value, target)
                            for meaning, (place, value) in expected.items()) if f is not None]
        new_names = [s.full_name for s in subject_students(item, students)]
        details = _roster_details(names, new_names) + _date_details(raw, dates)
        if kept:
            details.append("оставлены прошедшие уроки с записями, которых нет в новом расписании: "
                           + _dates_text(sorted(set(kept))))
        if existing.meta is not None and existing.meta.teacher != item.teacher:
            details.append(f"учитель: {existing.meta.teacher or '—'} → {item.teacher or '—'}")
        self._rebuild(existing, title, expected,
                      lambda: build_subject_workbook(self.settings, item, students, content,
                                                     created=self.created, kept_dates=kept),
                      lambda new: subject_values(new) if isinstance(new, RawSubjectWorkbook) else {},
                      lost=lost, details=details or ["обновлено оформление"])

    @property
    def today(self) -> dt.date:
        """The day that divides past lessons from future ones (a demo school's own day)."""
        return self.settings.today or self.now.date()

    def _kept_dates(self, item: CurriculumItem, values: Values) -> list[dt.date]:
        """Past lesson dates that hold data but no longer follow from the timetable.

        A lesson that took place is never moved or dropped: when the timetable changed
        without «действует с», its date stays in the workbook (one column per such lesson).
        A future lesson with data is not kept: it is reported, so the teacher moves the
        record to the new day.
        """
        planned = set(wf.lesson_keys(self.settings.lesson_dates(item)))
        with_data: set[wf.LessonKey] = set()
        for meaning in values:
            key = meaning[2] if meaning[0] == "mark" else meaning[1] if meaning[0] in ("kind", "log") \
                else None
            if isinstance(key, tuple) and isinstance(key[0], dt.date):
                with_data.add(key)
        needed: dict[dt.date, int] = {}
        for day, seq in with_data:
            if (day, seq) not in planned and day <= self.today:
                needed[day] = max(needed.get(day, 0), seq)
        counts: dict[dt.date, int] = {}
        for day, _seq in planned:
            counts[day] = counts.get(day, 0) + 1
        kept: list[dt.date] = []
        for day, seq in sorted(needed.items()):
            kept.extend([day] * (seq - counts.get(day, 0)))
        return kept

    def _lost(self, existing: ReadResult, meaning: Meaning, place: Place, value: object,
              target: _Target | None = None) -> Finding | None:
        """A finding when the value with ``meaning`` has no place in the new layout, else None."""
        sheet, cell = place
        teacher = existing.meta.teacher if existing.meta else ""
        where: dict[str, object] = {"file": self._rel(existing.path), "sheet": sheet, "cell": cell,
                                    "teacher": teacher}
        what = meaning[0]
        if what == "unplaced":
            return error(T_LOST, f"значение «{_text(value)}» стоит в строке без ФИО (или в столбце без даты) "
                         "и не может быть перенесено; впишите ФИО/дату или удалите значение", **where)
        if what == "twice":
            return error(T_LOST, f"значение «{_text(value)}» не может быть перенесено: эта строка "
                         "(ученик или дата) записана в файле дважды. Объедините строки в одну", **where)
        if target is None:
            return None
        if what in ("mark", "final") and meaning[1] not in target.roster:
            return error(T_LOST, f"значение «{_text(value)}» будет потеряно: ученика больше нет в списке "
                         "этого журнала (в списке класса или в этой группе). Если он выбыл, классный "
                         "руководитель ставит дату выбытия, а не удаляет строку; если ФИО изменилось, "
                         "исправьте его в обоих файлах одинаково; если ученик перешёл в другую группу, "
                         "перенесите его отметки в журнал новой группы и сотрите здесь",
                         student=meaning[1], **where)
        if what == "mark" and meaning[2] not in target.keys:
            day = meaning[2][0]  # type: ignore[index]
            return error(T_LOST, f"отметка «{_text(value)}» будет потеряна: урок {day:%d.%m.%Y} ещё не "
                         "прошёл, а по новому расписанию его нет. Перенесите отметку на день урока "
                         "по новому расписанию (или в настройках задайте новой строке расписания "
                         "«Действует с») и повторите команду", student=meaning[1], date=day, **where)
        if what in ("kind", "log") and meaning[1] not in target.keys:
            day = meaning[1][0]  # type: ignore[index]
            return error(T_LOST, f"запись «{_text(value)}» будет потеряна: урок {day:%d.%m.%Y} ещё не "
                         "прошёл, а по новому расписанию его нет. Перенесите запись на день урока по "
                         "новому расписанию и повторите команду", date=day, **where)
        if what == "final" and meaning[2] not in target.finals:
            return error(T_LOST, f"итоговая отметка «{_text(value)}» будет потеряна: столбца «{meaning[2]}» "
                         "больше нет", student=meaning[1], **where)
        return None

    # -- writing -----------------------------------------------------------

    def _free(self, path: Path, title: str) -> bool:
        if path.exists():
            self._refuse(path, title, error(
                T_NAME_TAKEN, f"файл «{self._rel(path)}» уже есть, но это не «{title}» (или он не "
                "читается); новый журнал не создан. Переименуйте или уберите этот файл",
                file=self._rel(path)))
            return False
        return True

    def _create(self, path: Path, title: str, build: Callable[[], Workbook]) -> None:
        if not self.dry_run:
            save_workbook(build(), path)
        self.result.changes.append(WorkbookChange(path, title, CREATED))

    def _rebuild(self, existing: ReadResult, title: str, expected: Values, build: Callable[[], Workbook],
                 values_of: Callable[[object], Values], lost: list[Finding], details: list[str]) -> None:
        path = existing.path
        if lost:
            self._refuse(path, title, *lost)
            return
        tmp = temp_path_beside(path, prefix=".~journal-")
        try:
            save_workbook(build(), tmp)
            new = read_workbook(tmp)
            got = values_of(new.workbook)
            missing = [(place, value) for meaning, (place, value) in expected.items()
                       if meaning not in got or not same_value(got[meaning][1], value)]
            if missing or new.workbook is None:
                teacher = existing.meta.teacher if existing.meta else ""
                findings = [error(T_LOST, f"значение «{_text(value)}» не удаётся перенести в новый файл "
                                  "(например, дата записана так, что её нельзя распознать: пишите "
                                  "ДД.ММ.ГГГГ). Исправьте значение и повторите команду",
                                  file=self._rel(path), sheet=place[0], cell=place[1], teacher=teacher)
                            for place, value in missing]
                self._refuse(path, title, *(findings or [error(T_VERIFY, "новый файл не читается; файл "
                                                               "оставлен как был", file=self._rel(path))]))
                return
            if self.dry_run:
                self.result.changes.append(WorkbookChange(path, title, UPDATED, details))
                return
            if file_sha256(path) != existing.sha256:
                self._refuse(path, title, error(
                    T_REPLACE, "файл изменился, пока программа его обновляла (его сохраняют?); "
                    "повторите команду позже", file=self._rel(path)))
                return
            backup = self._backup_dir() / (path.relative_to(self.school.root)
                                           if path.is_relative_to(self.school.root) else Path(path.name))
            backup.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, backup)
            try:
                os.replace(tmp, path)
            except OSError as exc:
                self._refuse(path, title, error(
                    T_REPLACE, f"файл не удалось заменить ({exc.strerror or exc}): возможно, он открыт "
                    "в Excel. Закройте его и повторите команду", file=self._rel(path)))
                return
            self.result.changes.append(WorkbookChange(path, title, UPDATED, details))
        finally:
            tmp.unlink(missing_ok=True)

    def _backup_dir(self) -> Path:
        if self.result.backup_dir is None:
            stamp = self.now.strftime("%Y-%m-%d %H-%M-%S")
            path = self.school.output_dir / BACKUP_DIR / stamp
            path.mkdir(parents=True, exist_ok=True)
            self.result.backup_dir = path
        return self.result.backup_dir

    def report_leftovers(self) -> None:
        for path, result in self.read.items():
            if path in self.used or any(c.path == path for c in self.result.changes):
                continue
            meta = result.meta
            if meta is None:
                if result.findings:
                    self.result.findings.append(warning(
                        T_NOT_JOURNAL, "файл не распознан как журнал и оставлен как есть: "
                        + "; ".join(f.message for f in result.findings[:2]), file=self._rel(path)))
                continue
            if meta.kind in (wf.KIND_CLASS, wf.KIND_SUBJECT):
                self.result.findings.append(warning(
                    T_NOT_IN_SETTINGS, f"«{meta.title()}»: такого класса или предмета нет в настройках; "
                    "файл оставлен как есть", file=self._rel(path)))


def _roster_details(old: list[str], new: list[str]) -> list[str]:
    added = [n for n in new if n not in old]
    removed = [n for n in old if n not in new]
    details = []
    if added:
        details.append("добавлены ученики: " + ", ".join(added))
    if removed:
        details.append("убраны ученики (без отметок): " + ", ".join(removed))
    return details


def _date_details(raw: RawSubjectWorkbook, dates: list[dt.date]) -> list[str]:
    old = [d for d in raw.lesson_dates() if d is not None]
    if old == dates:
        return []
    added = sorted(set(dates) - set(old))
    removed = sorted(set(old) - set(dates))
    details = [f"уроков было {len(old)}, стало {len(dates)}"]
    if added:
        details.append("новые даты: " + _dates_text(added))
    if removed:
        details.append("убраны даты (без записей): " + _dates_text(removed))
    return details


def _dates_text(days: list[dt.date]) -> str:
    shown = ", ".join(f"{d:%d.%m}" for d in days[:10])
    return shown + (f" и ещё {len(days) - 10}" if len(days) > 10 else "")


def _subject_key(class_name: str, subject: str, group: str) -> tuple[str, str, str]:
    return normalise_class_name(class_name), text_key(subject), text_key(group)


def _read_safely(path: Path, root: Path) -> ReadResult:
    """Read a workbook of the school folder in a worker process (hostile files cannot crash us)."""
    try:
        from journal.workbooks.isolation import read_workbook_safely
    except ImportError:  # pragma: no cover - isolation is part of the package
        return read_workbook(path)
    result = read_workbook_safely(path, root=root)
    return result if isinstance(result, ReadResult) else read_workbook(path)


def format_result(result: TemplatesResult, root: Path | None = None) -> str:
    """A Russian summary for the terminal: each workbook created, updated or refused, then the findings."""
    root = root or result.root

    def rel(path: Path) -> str:
        if root is not None and path.is_relative_to(root):
            return str(path.relative_to(root))
        return str(path)

    lines = []
    prefix = "Пробный запуск, файлы не изменены. " if result.dry_run else ""
    for action, head in ((CREATED, "Созданы" if not result.dry_run else "Будут созданы"),
                         (UPDATED, "Обновлены" if not result.dry_run else "Будут обновлены"),
                         (REFUSED, "Не обновлены (ничего не изменено)")):
        changes = result.with_action(action)
        if not changes:
            continue
        lines.append(f"{head}: {len(changes)}")
        for change in changes:
            lines.append(f"  {change.title} — {rel(change.path)}")
            if action == UPDATED:
                lines.extend(f"      {d}" for d in change.details)
    refused_files = {rel(c.path) for c in result.refused}
    refused_findings = [f for f in result.findings if f.file in refused_files]
    other = [f for f in result.findings if f.file not in refused_files]
    if refused_findings:
        lines.append("Почему не обновлены:")
        lines.extend(f"  {f.format()}" for f in refused_findings)
    if other:
        lines.append("Замечания:")
        lines.extend(f"  {f.format()}" for f in other)
    unchanged = len(result.with_action(UNCHANGED))
    lines.append(f"{prefix}Создано: {len(result.with_action(CREATED))}, обновлено: "
                 f"{len(result.with_action(UPDATED))}, без изменений: {unchanged}, "
                 f"не обновлено: {len(result.refused)}.")
    if result.backup_dir is not None:
        lines.append(f"Копии старых файлов: {result.backup_dir}")
    return "\n".join(lines)
