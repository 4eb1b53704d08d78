"""``journal district push``: send what a school's dataset gained since the last push.

The school's hash-chained history (:mod:`journal.dataset.chain`) says what changed: every
record after the last one pushed lists the rows it inserted, changed or removed. A push

1. locks the school's row in the district database (pushes of one school wait for each
   other, different schools never do) and reads how far its chain was pushed;
2. checks that the record pushed last is still in the school's chain with the same hash (a
   dataset restored from an old copy or made anew is refused unless pushed ``again``);
3. verifies what the chain gained since (:func:`journal.dataset.chain.verify_since`: the
   newer records' hashes, linked to the pushed one, and every row they touched against its
   table; the whole history on a first push) and refuses, in Russian, a dataset that does
   not verify. Rows no newer record touched are not read: the district already holds them
   as the chain recorded them, and ``journal verify`` checks them at the school;
4. replaces, in one transaction, the district's copy of every row those records touched
   (their JSON content, as the chain holds it, decoded by PostgreSQL), and notes the
   newest record's number and hash.

Pushing twice changes nothing; a push killed half-way leaves the district database as it
was (PostgreSQL rolls the transaction back).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from journal.core.errors import JournalError, UsageError
from journal.dataset import chain, postgres, store
from journal.school.settings import Settings
from journal.school.settings_json import settings_to_json


class PushRefused(JournalError):
    """The school's dataset may not be pushed (its history does not verify, or it does not
    continue what the district holds); exit code 1."""


def school_id_of(settings: Settings) -> str:
    """The school's id in the district database: its name and school year."""
    return f"{settings.school_name.strip()} ({settings.school_year.strip()})"


@dataclass(frozen=True)
class PushResult:
    """What a push did."""

    school_id: str
    from_chain_id: int
    to_chain_id: int
    rows: int
    settings_changed: bool
    seconds: float
    verify_seconds: float

    @property
    def changed(self) -> bool:
        """True when the district database was written."""
        return self.to_chain_id != self.from_chain_id or self.settings_changed

    def summary_ru(self) -> str:
        """One Russian sentence for the coordinator."""
        if not self.changed:
            return (f"Школа «{self.school_id}»: в районной базе уже всё есть, отправлять нечего "
                    f"(записей истории: {self.to_chain_id}).")
        if self.to_chain_id == self.from_chain_id:
            return f"Школа «{self.school_id}»: обновлены настройки школы в районной базе."
        return (f"Школа «{self.school_id}»: отправлены записи истории с "
                f"{self.from_chain_id + 1} по {self.to_chain_id}, строк: {self.rows}. "
                f"Время: {_seconds_ru(self.seconds)}.")


def _seconds_ru(seconds: float) -> str:
    return f"{seconds:.1f} с".replace(".", ",")


def push_school(store_path: Path, settings: Settings, url: str, *, again: bool = False) -> PushResult:
    """Push the dataset at ``store_path`` of the school ``settings`` describe to ``url``.

    ``again``: replace everything the district holds of the school by its whole history
    (after the school's dataset was restored from a copy or made anew).
    """
    started = time.perf_counter()
    if not Path(store_path).exists():
        raise UsageError("Общая база школы ещё не создана: сначала выполните journal merge")
    school_id = school_id_of(settings)
    settings_text = settings_to_json(settings)
    conn = postgres.connect(url)
    try:
        postgres.check_schema(conn)
        with postgres.transaction(conn), store.opened(store_path, readonly=True) as local:
            local.execute("BEGIN")  # one consistent view of the school's file
            state = postgres.lock_school(conn, school_id, settings.school_name, settings.school_year)
            head = chain.last_record(local)
            if head is None:
                raise PushRefused("В общей базе школы нет истории изменений: выполните journal merge")
            after = 0 if again else state.pushed_chain_id
            if after:
                pushed = chain.record(local, after)
                if pushed is None or pushed.hash != state.pushed_hash:
                    raise PushRefused(
                        f"История общей базы школы не продолжает ту, что уже лежит в районной базе "
                        f"(там записи по №{after}). Так бывает, если базу школы восстановили из "
                        "старой копии или собрали заново. Если это так, отправьте её целиком: "
                        "journal district push --again")
                if head.id < after:
                    raise PushRefused("В районной базе история школы длиннее, чем в её общей базе: "
                                      "отправьте её целиком: journal district push --again")
            checking = time.perf_counter()
            verification = chain.verify_since(local, after, limit=3)
            verify_seconds = time.perf_counter() - checking
            if not verification.intact:
                raise PushRefused(
                    "Общая база школы не проходит проверку истории (journal verify), поэтому в "
                    "районную базу она не отправлена. " + " ".join(verification.problems))
            if again:
                postgres.delete_school_rows(conn, school_id)
            rows = 0
            if head.id > after:
                for table, changed in chain.contents_after(local, after, head.id).items():
                    if table in chain.TRACKED:
                        rows += postgres.replace_contents(conn, school_id, table, changed,
                                                          replace=after > 0)
                postgres.record_push(conn, state, chain_id=head.id, chain_hash=head.hash,
                                     head_at=head.at, settings=settings_text, rows=rows)
            settings_changed = state.settings != settings_text
            if settings_changed and head.id == after:
                postgres.update_settings(conn, school_id, settings_text)
            local.execute("COMMIT")
    finally:
        conn.close()
    return PushResult(school_id, state.pushed_chain_id, head.id, rows, settings_changed,
                      time.perf_counter() - started, verify_seconds)
