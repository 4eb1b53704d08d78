"""Audit of the journal: corrections, removals, late entries, late marking and late topics.

* **Changes** come from the change history the merge keeps (``changes``): every
  correction (a value replaced), removal (a value deleted) and late entry (a value typed
  after the allowed days), with old and new value, detected in the range.
* **Written works marked late**: the late entries of marks of a written kind of work
  (``WorkKind.written``), whose deadline is ``norms.written_days(grade)`` days (5 for
  grades 2–9, 7 for 10–11 by default), for lessons in the range.
* **Topics filled late**: topics that were missing when the workbook was merged after the
  deadline (the lesson date + ``norms.ordinary_mark_days``).

Both follow the merge's rule (:mod:`journal.intake.merge`): only what was observed is judged;
what a workbook held at its first merge is the baseline, and the days late are a lower
bound (counted to the last merge that did not yet see the entry).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from journal.reports.common import (
    DateLike,
    DateRange,
    has_text,
    in_ranges,
    rows_of,
    sort_by_class,
    within,
)
from journal.reports.data import Dataset
from journal.school.settings import Settings

CHANGE_RU = {"correction": "исправление", "removal": "удаление", "late_entry": "запоздалая запись"}
FINAL_KIND_RU = {"period": "отметка за период", "year": "годовая отметка",
                 "exam": "экзаменационная отметка", "final": "итоговая отметка"}
ENTITY_RU = {"mark": "отметка", "attendance": "пропуск", "final_mark": "итоговая отметка",
             "topic": "тема урока", "homework": "домашнее задание"}
CHANGE_COLUMNS = ["detected_at", "change", "entity", "teacher", "class", "subject", "grp",
                  "student", "lesson_date", "kind", "period", "old_value", "new_value",
                  "days_late", "file", "cell"]
WRITTEN_COLUMNS = ["teacher", "class", "subject", "grp", "date", "kind", "marks", "first_seen",
                   "days", "allowed_days"]
TOPIC_COLUMNS = ["teacher", "class", "subject", "grp", "date", "topic", "first_seen", "days",
                 "allowed_days"]
SUMMARY_COLUMNS = ["teacher", "correction", "removal", "late_entry", "late_written",
                   "late_topics"]


def change_log(dataset: Dataset, start: DateLike = None, end: DateLike = None,
               class_name: str = "", settings: Settings | None = None,
               ranges: Mapping[str, DateRange] | None = None) -> pd.DataFrame:
    """Changes concerning the days from ``start`` to ``end`` (or, with ``ranges``, each
    class's own days): those whose lesson date is in the range, and those without a lesson
    date (period marks) whose period ends in it (with ``settings``; otherwise: detected in
    it); oldest first. ``change`` and ``entity`` keep the dataset's English codes (see
    ``CHANGE_RU``/``ENTITY_RU`` for the words); the kind of a period mark is in words."""
    data = dataset.only_class(class_name)
    changes = data.changes
    if changes.empty:
        return pd.DataFrame(columns=CHANGE_COLUMNS)
    day = pd.to_datetime(changes["lesson_date"]).fillna(_period_end(changes, settings)).fillna(
        pd.to_datetime(changes["detected_at"]).dt.normalize())
    dated = changes.assign(_day=day)
    frame = in_ranges(dated, ranges, "_day") if ranges is not None \
        else within(dated, start, end, "_day")
    frame = frame.sort_values(["detected_at", "class", "subject"], kind="stable")
    if "kind" in frame.columns:
        final = frame["entity"] == "final_mark"
        frame = frame.assign(kind=frame["kind"].where(
            ~final, frame["kind"].map(lambda k: FINAL_KIND_RU.get(str(k), k))))
    return frame[[c for c in CHANGE_COLUMNS if c in frame.columns]].reset_index(drop=True)


def _period_end(changes: pd.DataFrame, settings: Settings | None) -> pd.Series:
    """The last day of the period a change without a lesson date names («1 четверть»)."""
    if settings is None or "period" not in changes.columns:
        return pd.Series(pd.NaT, index=changes.index)
    ends = {p.name.strip().lower(): pd.Timestamp(p.end) for p in settings.periods}
    return changes["period"].map(lambda text: ends.get(str(text or "").strip().lower(), pd.NaT))


def late_written_works(dataset: Dataset, settings: Settings, start: DateLike = None,
                       end: DateLike = None, class_name: str = "") -> pd.DataFrame:
    """Lessons of a written kind of work whose marks were entered late, one row per lesson.

    These are the change history's late entries (``late_entry`` of a mark) whose kind of
    work is written (``WorkKind.written``): the merge judged them against the deadline for
    written work (``norms.written_days(grade)``). ``days`` is the largest ``days_late``,
    a lower bound (see :mod:`journal.intake.merge`); lessons dated from ``start`` to ``end``.
    """
    changes = dataset.only_class(class_name).changes
    if changes.empty:
        return pd.DataFrame(columns=WRITTEN_COLUMNS)
    late = changes[(changes["change"] == "late_entry") & (changes["entity"] == "mark")]
    late = within(late, start, end, "lesson_date")
    written = late["kind"].map(lambda k: bool((w := settings.work_kind(str(k))) and w.written))
    late = late[written.astype(bool)]
    if late.empty:
        return pd.DataFrame(columns=WRITTEN_COLUMNS)
    late = late.assign(date=late["lesson_date"], seq=late["seq"].fillna(1),
                       days=pd.to_numeric(late["days_late"], errors="coerce"))
    frame = late.groupby(["teacher", "class", "subject", "grp", "date", "seq", "kind"],
                         sort=False).agg(marks=("id", "size"), first_seen=("detected_at", "max"),
                                         days=("days", "max")).reset_index()
    frame["allowed_days"] = [settings.norms.written_days(_grade(settings, c)) for c in frame["class"]]
    return sort_by_class(frame, "subject", "date")[WRITTEN_COLUMNS]


def _grade(settings: Settings, class_name: object) -> int:
    found = settings.school_class(str(class_name))
    return found.grade if found is not None else 5


def _observations(data: Dataset) -> dict[tuple[str, str, str], list[pd.Timestamp]]:
    """The moments each workbook (class, subject, group) is known to have been merged:
    every distinct first-seen moment of its marks, absences, topics and homework."""
    parts = []
    for frame, columns in ((data.marks, ["first_seen"]), (data.attendance, ["first_seen"]),
                           (data.lessons, ["topic_first_seen", "homework_first_seen"])):
        if frame.empty:
            continue
        for column in columns:
            parts.append(pd.DataFrame({"class": frame["class"], "subject": frame["subject"],
                                       "grp": frame["grp"],
                                       "moment": pd.to_datetime(frame[column])}))
    if not parts:
        return {}
    moments = pd.concat(parts, ignore_index=True).dropna(subset=["moment"]).drop_duplicates()
    return {(str(c), str(s), str(g)): sorted(group["moment"])
            for (c, s, g), group in moments.groupby(["class", "subject", "grp"])}


def late_topics(dataset: Dataset, settings: Settings, start: DateLike = None,
                end: DateLike = None, class_name: str = "") -> pd.DataFrame:
    """Lessons whose topic was written late, by the same rule as the merge's late entries.

    A topic is late when its workbook was merged after the deadline (the lesson date +
    ``norms.ordinary_mark_days``) and the topic was not there yet. Topics present at the
    workbook's first merge are the baseline and are not judged. ``days`` counts from the
    deadline to that earlier merge: a lower bound. Lessons dated from ``start`` to ``end``.
    """
    data = dataset.only_class(class_name)
    lessons = within(data.lessons, start, end)
    if lessons.empty:
        return pd.DataFrame(columns=TOPIC_COLUMNS)
    lessons = lessons[has_text(lessons["topic"]) & lessons["topic_first_seen"].notna()]
    observed = _observations(data)
    allowed = settings.norms.ordinary_mark_days
    rows = []
    for cls, subject, grp, day, topic, seen, teacher, substitute in rows_of(
            lessons, "class", "subject", "grp", "date", "topic", "topic_first_seen", "teacher",
            "substitute"):
        seen = pd.Timestamp(seen)
        earlier = [m for m in observed.get((str(cls), str(subject), str(grp)), []) if m < seen]
        if not earlier:
            continue
        deadline = pd.Timestamp(day).normalize() + pd.Timedelta(days=allowed)
        days = (earlier[-1].normalize() - deadline).days
        if days > 0:
            rows.append({"teacher": substitute or teacher, "class": cls, "subject": subject,
                         "grp": grp, "date": pd.Timestamp(day), "topic": topic, "first_seen": seen,
                         "days": days, "allowed_days": allowed})
    frame = pd.DataFrame(rows, columns=TOPIC_COLUMNS)
    return sort_by_class(frame, "subject", "date")


def late_by_workbook(late: pd.DataFrame) -> pd.DataFrame:
    """Late written works or late topics summed per teacher × class × subject × group:
    how many lessons, the largest and the mean delay, the first and the last lesson date."""
    columns = ["teacher", "class", "subject", "grp", "lessons", "max_days", "mean_days",
               "first_date", "last_date"]
    if late.empty:
        return pd.DataFrame(columns=columns)
    frame = late.groupby(["teacher", "class", "subject", "grp"], sort=False).agg(
        lessons=("date", "size"), max_days=("days", "max"), mean_days=("days", "mean"),
        first_date=("date", "min"), last_date=("date", "max")).reset_index()
    return sort_by_class(frame, "teacher", "subject")[columns]


def audit_by_teacher(changes: pd.DataFrame, written: pd.DataFrame,
                     topics: pd.DataFrame) -> pd.DataFrame:
    """Per teacher: how many corrections, removals, late entries, late written works and
    late topics (the frames of the other functions)."""
    teachers = sorted(set(changes.get("teacher", pd.Series(dtype=str)))
                      | set(written.get("teacher", pd.Series(dtype=str)))
                      | set(topics.get("teacher", pd.Series(dtype=str))))
    rows = []
    for teacher in teachers:
        mine = changes[changes["teacher"] == teacher] if not changes.empty else changes
        rows.append({
            "teacher": teacher or "—",
            **{kind: int((mine["change"] == kind).sum()) if not mine.empty else 0
               for kind in ("correction", "removal", "late_entry")},
            "late_written": int((written["teacher"] == teacher).sum()) if not written.empty else 0,
            "late_topics": int((topics["teacher"] == teacher).sum()) if not topics.empty else 0,
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
