"""One pipeline for ``journal merge``, ``journal check`` and the demo's simulated history.

Stages, each a function with its own input and output:

1. **open** (:func:`open_stage`, merging process): files whose bytes are those of their last
   merge — accepted, or rejected with nothing around them changed — are not read again;
2. **front** (:func:`front_stage`, workers): every other file is screened and its ``_meta``
   read, so that two files of one journal (``W04``, :func:`duplicates_stage`) are known
   before anything is written;
3. **prepare** (:class:`Prepare`, workers): read → validate → plan (:mod:`journal.intake.plan`);
   class workbooks first (subject workbooks are checked against their class lists, read
   once and handed to the workers), the dataset read by the workers through WAL;
4. **write** (:func:`write_stage`, merging process): one transaction per workbook, while
   the workers go on with the next files;
5. **finish** (:func:`finish_stage`): lock files, gone workbooks, a ``merge_files`` row per
   file, the merge's row.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from journal.core.files import file_sha256
from journal.core.findings import Finding, error, has_errors, warning
from journal.dataset import store
from journal.intake.apply import (
    ApplyOutcome,
    SubjectIdentity,
    write_class,
    write_school_events,
    write_subject,
)
from journal.intake.outcomes import (
    GONE,
    HELD,
    MERGED,
    REJECTED,
    REMOVED,
    SKIPPED,
    STATUS_RU,
    UNCHANGED,
    UNREADABLE,
    WORKBOOK_GONE,
    FileOutcome,
    MergeResult,
    file_order,
    finding_of,
    key_of,
    row_of,
    with_teacher,
)
from journal.intake.plan import Planned, plan_workbook, read_state
from journal.intake.validation import (
    ClassRecords,
    KnownStudent,
    SubjectRecords,
    Validated,
    validate_class,
    validate_subject,
)
from journal.school.folder import LockFile, SchoolFolder
from journal.school.settings import Settings, normalise_class_name
from journal.workbooks import reading
from journal.workbooks import screening as ps
from journal.workbooks.format import KIND_CLASS, KIND_SUBJECT, WorkbookMeta
from journal.workbooks.isolation import stream_workbooks_safely
from journal.workbooks.reading import ReadResult, read_meta
from journal.workbooks.screening import LOCK_FILE, display_name
from journal.workbooks.views import ClassView, view_from_raw

Progress = Callable[[int, int, str], None]
DATE_DEPENDENT = frozenset({"D06", "W04"})  # findings that may change with the day or other files


# ---------------------------------------------------------------------------
# validation against a class list (the validate stage)
# ---------------------------------------------------------------------------


def validate_read(raw: object, settings: Settings, file: str, conn: sqlite3.Connection | None,
                  class_lists: dict[str, list[KnownStudent]] | None = None,
                  today: dt.date | None = None) -> Validated:
    """Validate one read workbook; a subject workbook is checked against its class list.

    The class list comes from ``class_lists`` or, failing that, from the dataset ``conn``
    (the class workbook merged before); None when neither has it.
    """
    view = view_from_raw(raw)
    if isinstance(view, ClassView):
        return validate_class(view, settings, file=file)
    school_class = settings.school_class(view.meta.class_name)
    class_list: list[KnownStudent] | None = None
    if school_class is not None:
        if class_lists is not None and school_class.name in class_lists:
            class_list = class_lists[school_class.name]
        elif conn is not None:
            class_list = stored_class_lists(conn, [school_class.name]).get(school_class.name)
    return validate_subject(view, settings, class_list, file=file, today=today)


def stored_class_lists(conn: sqlite3.Connection, classes: Sequence[str]) -> dict[str, list[KnownStudent]]:
    """The class lists of merged class workbooks, as subject validation needs them."""
    lists: dict[str, list[KnownStudent]] = {}
    for name in classes:
        if name in lists or not store.workbook_row(conn, KIND_CLASS, name):
            continue
        groups = store.class_groups(conn, name)
        lists[name] = [KnownStudent(student, _date(row["joined"]), _date(row["left_on"]),
                                    tuple(sorted(groups.get(student, {}).items())))
                       for student, row in store.class_students(conn, name).items()]
    return lists


def known_students(records: ClassRecords) -> list[KnownStudent]:
    """The class list of validated class records, as subject validation needs it."""
    return [KnownStudent(s.full_name, s.joined, s.left, s.groups) for s in records.students]


def _date(text: object) -> dt.date | None:
    return dt.date.fromisoformat(str(text)) if text else None


# ---------------------------------------------------------------------------
# the worker stages: front (screen + _meta) and prepare (read → validate → plan)
# ---------------------------------------------------------------------------


@dataclass
class Context:
    """What the workers need, handed to them once when they start."""

    settings: Settings
    root: Path | None
    now: dt.datetime
    merge_id: int = 0
    today: dt.date | None = None  # validation's day (D06); None: not checked
    store_path: Path | None = None  # the dataset the workers read (None: no dataset)
    confirm_removals: bool = False
    check_all: bool = False  # ``journal check``: validate also files rejected before validation
    class_lists: dict[str, list[KnownStudent]] = field(default_factory=dict)
    duplicates: frozenset[str] = frozenset()


@dataclass
class Prepared:
    """A file after the worker stages; ``sha256`` and ``findings`` as the isolation layer expects."""

    path: Path
    sha256: str = ""
    findings: list[Finding] = field(default_factory=list)
    meta: WorkbookMeta | None = None
    readable: bool = False
    validated: bool = False
    class_records: ClassRecords | None = None
    who: SubjectIdentity | None = None
    planned: Planned | None = None


_CONNECTIONS: dict[int, sqlite3.Connection | None] = {}


@dataclass
class Prepare:
    """The prepare stage of one file, run in a worker process; files in ``screened`` were
    screened by the front stage (their hash is compared with the read's afterwards)."""

    context: Context
    screened: frozenset[Path] = frozenset()

    def __call__(self, path: Path) -> Prepared:
        ctx = self.context
        read = reading.read_workbook(path, extent_screened=path in self.screened)
        raw = read.workbook
        prepared = Prepared(path, read.sha256, read.findings, read.meta, raw is not None)
        name = display_name(path, ctx.root)
        if raw is None or (has_errors(read.findings) and not ctx.check_all):
            return prepared
        if name in ctx.duplicates and not ctx.check_all:
            return prepared
        validated = validate_read(raw, ctx.settings, name, None, ctx.class_lists, ctx.today)
        prepared.findings.extend(validated.findings)
        prepared.validated = True
        rec = validated.records
        if isinstance(rec, ClassRecords):
            prepared.class_records = rec
        elif isinstance(rec, SubjectRecords):
            prepared.who = SubjectIdentity.of(rec)
            valid = not has_errors(prepared.findings) and name not in ctx.duplicates
            conn = self._dataset()
            if valid or rec.missing_lessons:
                state, observed = read_state(conn, rec)
                prepared.planned = plan_workbook(
                    rec, state, observed, ctx.now, ctx.merge_id,
                    share=ctx.settings.norms.large_removal_share,
                    confirm_removals=ctx.confirm_removals, valid=valid)
                prepared.findings.extend(prepared.planned.findings)
        return prepared

    def _dataset(self) -> sqlite3.Connection | None:
        """This worker's read-only connection (WAL: it reads while the merge writes)."""
        pid = os.getpid()
        if pid not in _CONNECTIONS:
            path = self.context.store_path
            _CONNECTIONS[pid] = (store.connect(path, readonly=True)
                                 if path is not None and path.exists() else None)
        return _CONNECTIONS[pid]


@dataclass
class Front:
    """A file after the front stage: its ``_meta`` (None when unreadable) and screening."""

    path: Path
    name: str
    result: ReadResult
    screening: ps.Screening | None


def front_stage(paths: list[Path], root: Path | None) -> list[Front]:
    """Screen every file and read its ``_meta`` on the workers."""
    screenings: dict[int, ps.Screening] = {}
    fronts = []
    for index, result in stream_workbooks_safely(paths, root=root, parse=read_meta,
                                                 screenings=screenings):
        fronts.append(Front(paths[index], display_name(paths[index], root), result,
                            screenings.get(index)))
    return fronts


def prepare_stage(fronts: list[Front], context: Context,
                  tick: Callable[[str], None]) -> Iterator[tuple[Front, Prepared]]:
    """Read, validate and plan ``fronts`` on the workers; results in input order, as they come."""
    if not fronts:
        return
    screened = {i: f.screening for i, f in enumerate(fronts) if f.screening is not None}
    paths = [f.path for f in fronts]
    prepare = Prepare(context, frozenset(paths[i] for i in screened))
    for index, result in stream_workbooks_safely(
            paths, root=context.root, parse=prepare, screened=screened,
            progress=lambda _d, _t, file: tick(file)):
        if not isinstance(result, Prepared):  # refused, died, timed out: a ReadResult
            result = Prepared(result.path, result.sha256, list(result.findings))
        yield fronts[index], result


# ---------------------------------------------------------------------------
# stages in the merging process
# ---------------------------------------------------------------------------


@dataclass
class Opened:
    """The open stage's answer: outcomes of files not read again, and the files to read."""

    outcomes: dict[str, FileOutcome]
    to_read: list[Path]


def open_stage(conn: sqlite3.Connection, school: SchoolFolder, same_settings: bool,
               tick: Callable[[str], None]) -> Opened:
    """Files whose bytes are those of their last merge are not read again: accepted ones are
    ``unchanged``, rejected ones keep their findings — unless they may now be judged
    otherwise (another day's dates, another file of the same journal, a changed class list)."""
    paths = school.input_files()
    accepted = store.accepted_hashes(conn) if same_settings else {}
    last = store.last_file_rows(conn) if same_settings else {}
    hashes = {path: file_sha256(path) for path in paths}
    # a class list can only have changed if a class workbook's bytes did since the last merge
    # (a class workbook rejected again with the same bytes changed nothing)
    class_changed = any(
        _is_inside(p, school.classes_dir)
        and (last.get(display_name(p, school.root)) or {}).get("sha256") != hashes[p]
        for p in paths)
    opened = Opened({}, [])
    for path in paths:
        name, sha = display_name(path, school.root), hashes[path]
        if accepted.get(name) == sha:
            row = store.workbook_by_file(conn, name) or {}
            outcome = FileOutcome(
                name, UNCHANGED, sha, str(row.get("kind", "")), str(row.get("class", "")),
                str(row.get("subject", "")), str(row.get("grp", "")), str(row.get("teacher", "")),
                findings=[finding_of(f) for f in store.stored_findings(conn, name)])
        elif (not class_changed and (before := last.get(name)) is not None
              and before["sha256"] == sha and before["status"] == REJECTED):
            findings = [finding_of(f) for f in store.stored_findings(conn, name)]
            if not findings or any(f.code in DATE_DEPENDENT for f in findings):
                opened.to_read.append(path)
                continue
            outcome = FileOutcome(name, REJECTED, sha, str(before["kind"]), str(before["class"]),
                                  str(before["subject"]), str(before["grp"]),
                                  str(before["teacher"]), findings=findings, kept=True)
        else:
            opened.to_read.append(path)
            continue
        opened.outcomes[name] = outcome
        tick(name)
        tick(name)
    return opened


def outcome_of_front(front: Front, settings: Settings) -> FileOutcome:
    """The file's outcome as its ``_meta`` tells (status settled later)."""
    result = front.result
    sha = result.sha256 or (front.screening.fingerprint.sha256
                            if front.screening and front.screening.fingerprint else "")
    if has_errors(result.findings):  # refused by screening, or the worker died on it
        return FileOutcome(front.name, UNREADABLE, sha, findings=list(result.findings))
    outcome = FileOutcome(front.name, REJECTED, sha, findings=list(result.findings))
    meta = result.meta
    if meta is not None and meta.kind in (KIND_CLASS, KIND_SUBJECT):
        outcome.kind, outcome.class_name = meta.kind, meta.class_name
        outcome.subject, outcome.group = meta.subject, meta.group
        school_class = settings.school_class(meta.class_name)
        if school_class is not None:
            outcome.class_name = school_class.name
        outcome.teacher = meta.teacher or _teacher_from_settings(settings, meta)
    return outcome


def duplicates_stage(outcomes: dict[str, FileOutcome]) -> set[str]:
    """``W04``: a second file of the same class workbook or class × subject × group.

    Added to every such file read in this run (an unchanged one keeps its last findings);
    returns the names of the files that got it.
    """
    keys: dict[tuple[str, str, str, str], list[str]] = {}
    for name, outcome in outcomes.items():
        if outcome.kind and outcome.status != UNREADABLE:
            keys.setdefault(key_of(outcome), []).append(name)
    named: set[str] = set()
    for key, names in keys.items():
        if len(names) < 2:
            continue
        for name in names:
            outcome = outcomes[name]
            if outcome.status == UNCHANGED or outcome.kept:
                continue
            others = ", ".join(f"«{n}»" for n in names if n != name)
            what = "класса" if key[0] == KIND_CLASS else "этого класса, предмета и группы"
            outcome.findings.append(error(
                "W04", f"есть ещё один файл {what}: {others}. Оставьте в папке один файл — "
                       "тот, в котором учитель работает, — остальные уберите",
                file=name, teacher=outcome.teacher))
            named.add(name)
    return named


def settle(outcome: FileOutcome, prepared: Prepared) -> None:
    """Carry the worker stages' answer into the file's outcome (status: would be merged)."""
    outcome.findings = _merged_findings(outcome.findings, prepared.findings)
    if prepared.sha256:
        outcome.sha256 = prepared.sha256
    if not prepared.readable:
        outcome.status = UNREADABLE
        outcome.kind = outcome.class_name = outcome.subject = outcome.group = outcome.teacher = ""
        return
    if not prepared.validated:
        if has_errors(prepared.findings):  # the read found errors: nothing of _meta stands
            outcome.kind = outcome.class_name = outcome.subject = outcome.group = outcome.teacher = ""
        outcome.status = REJECTED
        return
    if prepared.class_records is not None and not has_errors(outcome.findings):
        outcome.teacher = prepared.class_records.class_teacher
    if prepared.who is not None and not has_errors(outcome.findings):
        outcome.teacher = prepared.who.teacher
        outcome.subject, outcome.group = prepared.who.subject, prepared.who.group
    if prepared.planned is not None and prepared.planned.held:
        outcome.status = HELD
    elif has_errors(outcome.findings):
        outcome.status = REJECTED
    else:
        outcome.status = MERGED


def _merged_findings(front: list[Finding], prepared: list[Finding]) -> list[Finding]:
    """The front stage's findings (screening warnings, W04) with the worker stages' ones."""
    return [f for f in front if f not in prepared] + prepared


def write_stage(conn: sqlite3.Connection, outcome: FileOutcome, prepared: Prepared,
                merge_id: int) -> None:
    """Write a file the worker stages found mergeable, in one transaction (status updated)."""
    if outcome.status != MERGED:
        return
    try:
        if prepared.class_records is not None:
            write_class(conn, prepared.class_records, merge_id, outcome.sha256)
            applied = ApplyOutcome(MERGED)
        else:
            assert prepared.who is not None and prepared.planned is not None
            assert prepared.planned.plan is not None
            write_subject(conn, prepared.who, prepared.planned.plan, merge_id, outcome.sha256)
            applied = ApplyOutcome(MERGED, changes=len(prepared.planned.plan.changes))
    except sqlite3.IntegrityError as exc:  # a program fault: keep the other files
        applied = ApplyOutcome(REJECTED, finding=error(
            "W07", f"файл не удалось записать в общую базу ({exc}); прежние данные "
                   "сохранены. Это ошибка программы: сообщите разработчикам",
            file=outcome.file, teacher=outcome.teacher))
    outcome.status, outcome.changes = applied.status, applied.changes
    if applied.finding is not None:
        outcome.findings.append(applied.finding)


def finish_stage(conn: sqlite3.Connection, result: MergeResult, outcomes: dict[str, FileOutcome],
                 now: dt.datetime) -> MergeResult:
    """Record a ``merge_files`` row per file (and its findings) and finish the merge's row."""
    import json

    for name in sorted(outcomes):
        outcome = outcomes[name]
        if outcome.status != UNCHANGED and not outcome.kept:
            outcome.findings = [with_teacher(f, outcome.teacher) for f in outcome.findings]
        store.record_merge_file(
            conn, result.merge_id,
            {"file": name, "sha256": outcome.sha256, "kind": outcome.kind,
             "class": outcome.class_name, "subject": outcome.subject, "grp": outcome.group,
             "teacher": outcome.teacher, "status": outcome.status, "errors": outcome.errors,
             "warnings": outcome.warnings, "changes": outcome.changes},
            None if outcome.status == UNCHANGED or outcome.kept else
            [row_of(f) for f in outcome.findings],
        )
    result.files = [outcomes[p] for p in sorted(outcomes, key=file_order(outcomes))]
    counts = {status: result.count(status) for status in STATUS_RU}
    files = json.dumps([{"file": o.file, "sha256": o.sha256, "status": o.status}
                        for o in result.files], ensure_ascii=False)
    store.finish_merge(conn, result.merge_id, store.now_text(now), files, counts)
    return result


# ---------------------------------------------------------------------------
# the whole pipeline
# ---------------------------------------------------------------------------


def run_merge(conn: sqlite3.Connection, school: SchoolFolder, settings: Settings,
              now: dt.datetime, *, fingerprint: str, tool_version: str, confirm_removals: bool,
              progress: Progress | None, confirm_gone: Sequence[str] = ()) -> MergeResult:
    """``journal merge`` of a school folder: open → front → prepare → write → finish."""
    stamp = store.now_text(now)
    merge_id = store.begin_merge(conn, stamp, tool_version)
    result = MergeResult(merge_id=merge_id, started_at=stamp)
    tick = _ticker(len(school.input_files()) * 2, progress)
    store.set_settings_hash(conn, merge_id, fingerprint)
    write_school_events(conn, settings, stamp)
    # settings changed since the last merge: every workbook is read and validated again
    same_settings = store.last_settings_hash(conn, merge_id) in (fingerprint, "")
    opened = open_stage(conn, school, same_settings, tick)
    outcomes = opened.outcomes
    context = Context(settings, school.root, now, merge_id, today=now.date(),
                      store_path=school.store_path, confirm_removals=confirm_removals)
    for outcome in _prepared_outcomes(opened.to_read, context, outcomes, tick, conn=conn):
        tick(outcome.file)
    for lock in school.lock_files():
        outcome = lock_outcome(lock, school, outcomes)
        outcomes[outcome.file] = outcome
    result.notices.extend(gone_workbooks(conn, outcomes, confirm_gone))
    return finish_stage(conn, result, outcomes, now)


def run_check(paths: list[Path], settings: Settings, school: SchoolFolder | None,
              progress: Progress | None) -> list[FileOutcome]:
    """``journal check``: the same stages, nothing written; ``merged`` means «would be accepted».

    Subject workbooks are checked against the class lists of class workbooks given in the
    same call, else of those in the school folder that a merge would accept, else of the
    dataset (when it exists).
    """
    root = school.root if school else None
    # A teacher's file may be checked where it lies (a flash drive, the downloads):
    # only a merge insists that workbooks sit inside the school folder.
    inside = root is not None and all(_is_inside(p, root) for p in paths)
    store_path = school.store_path if school is not None and school.store_path.exists() else None
    now = dt.datetime.combine(settings.today or dt.date.today(), dt.time())
    context = Context(settings, root if inside else None, now, store_path=store_path,
                      check_all=True)
    outcomes: dict[str, FileOutcome] = {}
    extra = (lambda classes: _class_lists_in_folder(school, settings, classes)) if school else None
    for _outcome in _prepared_outcomes(paths, context, outcomes, _ticker(len(paths), progress),
                                       folder_lists=extra):
        pass
    return [outcomes[display_name(p, context.root)] for p in paths]


def _prepared_outcomes(paths: list[Path], context: Context, outcomes: dict[str, FileOutcome],
                       tick: Callable[[str], None], *, conn: sqlite3.Connection | None = None,
                       folder_lists: Callable[[set[str]], dict[str, list[KnownStudent]]] | None = None,
                       ) -> Iterator[FileOutcome]:
    """front → W04 → prepare class workbooks (→ write) → class lists → prepare subject
    workbooks (→ write); yields each file's outcome, in input order within each phase.
    With ``conn`` the workbooks are written; without, only judged."""
    fronts = front_stage(paths, context.root)
    for front in fronts:
        outcomes[front.name] = outcome_of_front(front, context.settings)
    context.duplicates = frozenset(duplicates_stage(outcomes))
    waiting = []
    for front in fronts:
        if outcomes[front.name].status == UNREADABLE:
            tick(front.name)
            yield outcomes[front.name]
        else:
            waiting.append(front)
    classes = [f for f in waiting if outcomes[f.name].kind != KIND_SUBJECT]
    subjects = [f for f in waiting if outcomes[f.name].kind == KIND_SUBJECT]
    given: dict[str, list[KnownStudent]] = {}
    for front, prepared in prepare_stage(classes, context, tick):
        outcome = outcomes[front.name]
        settle(outcome, prepared)
        if conn is not None:
            write_stage(conn, outcome, prepared, context.merge_id)
        elif prepared.class_records is not None:
            given[prepared.class_records.class_name] = known_students(prepared.class_records)
        yield outcome
    wanted = sorted({outcomes[f.name].class_name for f in subjects} - set(given))
    if folder_lists is not None:
        given.update(folder_lists(set(wanted)))
    if conn is not None:
        given.update(stored_class_lists(conn, wanted))
    elif context.store_path is not None:
        with store.opened(context.store_path) as read_only:
            given.update({k: v for k, v in stored_class_lists(read_only, wanted).items()
                          if k not in given})
    context.class_lists = given
    for front, prepared in prepare_stage(subjects, context, tick):
        outcome = outcomes[front.name]
        settle(outcome, prepared)
        if conn is not None:
            write_stage(conn, outcome, prepared, context.merge_id)
        yield outcome
    for outcome in outcomes.values():
        if outcome.status != UNCHANGED and not outcome.kept:
            outcome.findings = [with_teacher(f, outcome.teacher) for f in outcome.findings]


def _ticker(total: int, progress: Progress | None) -> Callable[[str], None]:
    done = 0

    def tick(name: str) -> None:
        nonlocal done
        done += 1
        if progress:
            progress(done, total, name)

    return tick


# ---------------------------------------------------------------------------
# files around the workbooks: lock files, gone workbooks
# ---------------------------------------------------------------------------


def gone_workbooks(conn: sqlite3.Connection, outcomes: dict[str, FileOutcome],
                   confirm_gone: Sequence[str]) -> list[str]:
    """Add a GONE (or, when confirmed, REMOVED) outcome for each accepted workbook whose file
    is no longer in the folder; notices for names in ``confirm_gone`` that match none."""
    confirmed = store.confirmed_gone(conn)
    wanted = {_gone_key(name): name for name in confirm_gone}
    matched: set[str] = set()
    for row in store.accepted_workbooks(conn):
        file, sha = str(row["file"]), str(row["sha256"])
        if file in outcomes or (file, sha) in confirmed:
            continue
        outcome = FileOutcome(file, GONE, sha, str(row["kind"]), str(row["class"]),
                              str(row["subject"]), str(row["grp"]), str(row["teacher"]))
        keys = {_gone_key(file), _gone_key(Path(file).name)}
        hit = keys & wanted.keys()
        if hit:
            matched |= hit
            outcome.status = REMOVED
        else:
            seen = str(row["last_seen"] or "")
            when = f" (последний раз — {dt.date.fromisoformat(seen[:10]):%d.%m.%Y})" if seen else ""
            outcome.findings.append(warning(
                WORKBOOK_GONE,
                f"журнал уже был принят в общую базу{when}, но его файла «{Path(file).name}» "
                "больше нет в папке. Его отметки, пропуски и уроки сохранены в базе. Если файл "
                "убрали или переименовали по ошибке, верните его на место; если журнал убран "
                "намеренно, подтвердите это при сборе журналов (руководство, раздел 3)",
                file=file, teacher=outcome.teacher))
        outcomes[file] = outcome
    return [f"«{wanted[key]}» не найден среди принятых журналов, которых нет в папке: "
            "подтверждать нечего. Проверьте имя файла" for key in wanted.keys() - matched]


def _gone_key(name: str) -> str:
    return " ".join(name.replace("\\", "/").split()).lower()


def lock_outcome(lock: LockFile, school: SchoolFolder, outcomes: dict[str, FileOutcome]) -> FileOutcome:
    """A lock file beside a workbook: skipped with a warning (R12) for the workbook's teacher.

    The workbook is open in Excel or LibreOffice somewhere: what the merge took is its
    last saved version.
    """
    name = display_name(lock.path, school.root)
    if lock.workbook is None:
        message = (f"служебный файл {lock.program} остался без своей книги (книгу переместили "
                   f"или {lock.program} закрылся аварийно). Если книга нигде не открыта, "
                   "удалите этот файл")
        return FileOutcome(name, SKIPPED, findings=[warning(LOCK_FILE, message, file=name)])
    workbook = display_name(lock.workbook, school.root)
    message = (f"книга «{lock.workbook.name}» сейчас открыта в {lock.program} на каком-то "
               "компьютере (рядом лежит этот служебный файл); в общую базу взята её последняя "
               "сохранённая версия. Попросите учителя сохранить и закрыть книгу и соберите "
               "журналы ещё раз; если книга уже нигде не открыта, удалите этот файл")
    outcome = FileOutcome(name, SKIPPED, findings=[warning(LOCK_FILE, message, file=name)])
    book = outcomes.get(workbook)
    if book is not None:
        outcome.kind, outcome.class_name, outcome.subject = book.kind, book.class_name, book.subject
        outcome.group, outcome.teacher = book.group, book.teacher
    return outcome


def _teacher_from_settings(settings: Settings, meta: WorkbookMeta) -> str:
    """Whose workbook it is by the settings, when its ``_meta`` names no teacher."""
    if meta.kind == KIND_CLASS:
        school_class = settings.school_class(meta.class_name)
        return school_class.class_teacher if school_class else ""
    item = settings.curriculum_item(meta.class_name, meta.subject, meta.group)
    return item.teacher if item else ""


def _is_inside(path: Path, root: Path) -> bool:
    real, base = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([real, base]) == base


def _class_lists_in_folder(school: SchoolFolder, settings: Settings,
                           classes: set[str]) -> dict[str, list[KnownStudent]]:
    """The class lists a merge would check these classes' subject workbooks against: those of
    the class workbooks in the school folder that a merge would accept."""
    if not classes:
        return {}
    wanted = {normalise_class_name(c) for c in classes}
    paths = [p for p in school.input_files() if _is_inside(p, school.classes_dir)]
    now = dt.datetime.combine(settings.today or dt.date.today(), dt.time())
    context = Context(settings, school.root, now)
    outcomes: dict[str, FileOutcome] = {}
    fronts = [f for f in front_stage(paths, school.root)
              if f.result.meta is not None and f.result.meta.kind == KIND_CLASS
              and normalise_class_name(f.result.meta.class_name) in wanted]
    lists: dict[str, list[KnownStudent]] = {}
    for front, prepared in prepare_stage(fronts, context, lambda _name: None):
        outcomes[front.name] = outcome = FileOutcome(front.name, REJECTED)
        settle(outcome, prepared)
        if prepared.class_records is not None and outcome.status == MERGED:
            lists[prepared.class_records.class_name] = known_students(prepared.class_records)
    return lists

