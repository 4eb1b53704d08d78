"""Delivering letters to parents: the delivery list, e-mail over SMTP, and the sent-log.

Without sending, :func:`plan_deliveries` says for every letter and address what would
happen; :func:`send_letters` e-mails each letter (its PDF attached) to the parents'
addresses that have not had it yet. Every successful send is appended to the sent-log
(``output/Письма родителям/Журнал отправки.jsonl``) at once, keyed by student, range,
address and the letter's checksum, so a rerun after a failure sends only what failed
and nothing is ever sent twice. A letter whose content changed after it was sent (a
mark corrected in the meantime) is a new letter: it is sent, and the list says why.
:func:`write_delivery_list` writes the list (student, parent, e-mail, file, status) as a
workbook for the class teachers.

The SMTP settings (server, port, login, password, security, sender) come from
environment variables ``JOURNAL_SMTP_*`` or from a settings file outside the school
folder (``~/.config/journal/smtp.ini`` by default): never from the repository or the
school folder, and the password is never printed or written anywhere.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import io
import json
import os
import smtplib
import ssl
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from pathlib import Path

from journal.core import xlsx_style as xs
from journal.core.errors import UsageError
from journal.core.files import read_private_config, write_atomically
from journal.core.formatting import initials_ru
from journal.dataset import store
from journal.documents.letters import (
    DateRange,
    LetterFile,
    LettersOutput,
    gather_letters,
    letters_folder,
    render_letters,
)
from journal.documents.pdf import PdfRenderer
from journal.intake.validation import note_names_other_text, students_named_in
from journal.school.folder import LETTERS_DIR, SENT_LOG_FILE, SchoolFolder, safe_file_name
from journal.school.settings import SchoolClass, Settings
from journal.workbooks.isolation import send_lock

DELIVERY_LIST_FILE = "Список рассылки.xlsx"
DEFAULT_CONFIG = Path("~/.config/journal/smtp.ini")
ENV_PREFIX = "JOURNAL_SMTP_"
SECURITY_MODES = ("ssl", "starttls", "none")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "::1")

STATUS_WOULD_SEND = "будет отправлено"
STATUS_SENT = "отправлено"
STATUS_ALREADY_SENT = "уже отправлено ранее"
STATUS_FAILED = "ошибка отправки"
STATUS_PRINT = "нет e-mail: распечатать"
STATUS_PRINT_BAD = "e-mail записан с ошибкой: распечатать"


# --- SMTP settings -------------------------------------------------------------------------


@dataclass(frozen=True)
class SmtpConfig:
    """How to reach the school's mail server. The password never appears in ``repr``."""

    host: str
    port: int
    sender: str
    security: str = "starttls"  # ssl / starttls / none
    user: str = ""
    password: str = field(default="", repr=False)
    timeout: float = 30.0

    def describe(self) -> str:
        """«smtp.example.ru:587 (STARTTLS), вход как school@example.ru» — without the password."""
        login = f", вход как {self.user}" if self.user else ", без входа"
        return f"{self.host}:{self.port} ({self.security.upper()}){login}"


def default_config_path() -> Path:
    """``~/.config/journal/smtp.ini`` (or under ``$XDG_CONFIG_HOME``)."""
    base = os.environ.get("XDG_CONFIG_HOME")
    if base:
        return Path(base) / "journal" / "smtp.ini"
    return DEFAULT_CONFIG.expanduser()


def load_smtp_config(
    config_path: Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    forbidden: Iterable[Path] = (),
) -> SmtpConfig:
    """SMTP settings from ``JOURNAL_SMTP_*`` variables over the settings file.

    Variables: ``JOURNAL_SMTP_HOST``, ``_PORT``, ``_USER``, ``_PASSWORD``, ``_SECURITY``
    (ssl, starttls or none) and ``_FROM``. The file (``config_path`` or
    ``~/.config/journal/smtp.ini``) has a section ``[smtp]`` with ``host``, ``port``,
    ``user``, ``password``, ``security`` and ``from``. A file inside one of the
    ``forbidden`` folders (the school folder, the program's own) is refused: a password
    must not travel with the school's files. Raises :class:`UsageError` with a Russian
    message when something needed is missing.
    """
    env = os.environ if env is None else env
    values: dict[str, str] = {}
    path = Path(config_path).expanduser() if config_path else default_config_path()
    parser = read_private_config(path, explicit=config_path is not None, forbidden=forbidden,
                                 what="почты", default=DEFAULT_CONFIG)
    if parser is not None and parser.has_section("smtp"):
        values.update({k.lower(): v.strip() for k, v in parser.items("smtp")})
    for key in ("host", "port", "user", "password", "security", "from"):
        value = env.get(ENV_PREFIX + key.upper())
        if value is not None and value.strip():
            values[key] = value.strip()
    host = values.get("host", "")
    if not host:
        raise UsageError(
            "Не заданы настройки почты: укажите сервер в переменной окружения JOURNAL_SMTP_HOST "
            f"(и JOURNAL_SMTP_PORT, _USER, _PASSWORD, _SECURITY, _FROM) или в файле {DEFAULT_CONFIG} "
            "(раздел [smtp]: host, port, user, password, security, from)"
        )
    security = values.get("security", "").lower() or None
    port_text = values.get("port", "")
    try:
        port = int(port_text) if port_text else None
    except ValueError as exc:
        raise UsageError(f"Порт почтового сервера «{port_text}» должен быть числом, например 587") from exc
    if security is None:
        security = "ssl" if port == 465 else "starttls"
    if security in ("tls", "smtps"):
        security = "ssl"
    if security not in SECURITY_MODES:
        raise UsageError(
            f"Защита соединения «{security}» не поддерживается: укажите ssl, starttls или none"
        )
    if port is None:
        port = {"ssl": 465, "starttls": 587, "none": 25}[security]
    user = values.get("user", "")
    password = values.get("password", "")
    if security == "none" and password and host.lower() not in LOCAL_HOSTS:
        raise UsageError(
            "Пароль почты нельзя передавать без шифрования: укажите security = starttls или ssl"
        )
    sender = values.get("from", "") or user
    if "@" not in sender:
        raise UsageError("Не задан адрес отправителя: JOURNAL_SMTP_FROM или from в разделе [smtp]")
    return SmtpConfig(host, port, sender, security, user, password)


# --- the sent-log -----------------------------------------------------------------------------


def student_key(letter_file: LetterFile) -> str:
    """«5А|Белов Артём Игоревич»: what the sent-log knows a student by."""
    return f"{letter_file.letter.class_name}|{letter_file.letter.student}"


class SentLog:
    """Which letter went to which address: one JSON line per successful send, appended
    (and flushed to disk) right after the server accepted it."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.entries: list[dict[str, str]] = []
        if self.path.exists():
            for line in self.path.read_text(encoding="utf-8").splitlines():
                line = line.strip()
                if not line:
                    continue
                try:
                    entry = json.loads(line)
                except ValueError:
                    continue  # a line cut by a crash; the sends before it still count
                if isinstance(entry, dict):
                    self.entries.append({k: str(v) for k, v in entry.items()})

    def sent_at(self, letter_file: LetterFile, email: str) -> str | None:
        """When this letter (same student, range and content) went to ``email``, or None."""
        key = student_key(letter_file)
        wanted_range = letter_file.letter.date_range.key
        for e in self.entries:
            if (e.get("student") == key and e.get("range") == wanted_range
                    and e.get("email", "").lower() == email.lower()
                    and (e.get("sha256") == letter_file.sha256
                         or e.get("content_sha256") == letter_file.content_sha256)):
                return e.get("sent_at", "")
        return None

    def sent_earlier_version(self, letter_file: LetterFile, email: str) -> bool:
        """True when another version of this letter (same student and range) went to ``email``."""
        key, wanted_range = student_key(letter_file), letter_file.letter.date_range.key
        return any(e.get("student") == key and e.get("range") == wanted_range
                   and e.get("email", "").lower() == email.lower() for e in self.entries)

    def record(self, letter_file: LetterFile, email: str, message_id: str, when: dt.datetime) -> None:
        """Append one successful send and flush it to disk."""
        entry = {
            "sent_at": when.replace(microsecond=0).isoformat(sep=" "),
            "student": student_key(letter_file),
            "range": letter_file.letter.date_range.key,
            "email": email,
            "sha256": letter_file.sha256,
            "content_sha256": letter_file.content_sha256,
            "file": letter_file.path.name,
            "message_id": message_id,
        }
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self.entries.append(entry)


# --- the delivery list ------------------------------------------------------------------------


@dataclass
class Delivery:
    """One line of the delivery list: a letter and one parent's address (or none)."""

    letter_file: LetterFile
    parent: str
    email: str
    status: str
    detail: str = ""

    @property
    def class_name(self) -> str:
        """The student's class."""
        return self.letter_file.letter.class_name

    @property
    def student(self) -> str:
        """The student's full name."""
        return self.letter_file.letter.student

    @property
    def pending(self) -> bool:
        """True when this address still has to get the letter."""
        return self.status in (STATUS_WOULD_SEND, STATUS_FAILED)


def plan_deliveries(files: Iterable[LetterFile], sent_log: SentLog) -> list[Delivery]:
    """For every letter and parent address: would be sent, already sent, or print it."""
    plan: list[Delivery] = []
    for f in files:
        seen: set[str] = set()
        rows: list[Delivery] = []
        for parent in f.letter.parents:
            for email in parent.emails:
                if email.lower() in seen:
                    continue
                seen.add(email.lower())
                when = sent_log.sent_at(f, email)
                if when is not None:
                    rows.append(Delivery(f, parent.full_name, email, STATUS_ALREADY_SENT, when))
                elif sent_log.sent_earlier_version(f, email):
                    rows.append(Delivery(f, parent.full_name, email, STATUS_WOULD_SEND,
                                         "письмо изменилось после отправки: уйдёт исправленное"))
                else:
                    rows.append(Delivery(f, parent.full_name, email, STATUS_WOULD_SEND))
        if not rows:
            bad = [p for p in f.letter.parents if p.invalid_email]
            if bad:
                rows = [Delivery(f, p.full_name, p.invalid_email, STATUS_PRINT_BAD,
                                 "исправьте адрес в книге классного руководителя") for p in bad]
            else:
                names = ", ".join(p.full_name for p in f.letter.parents)
                rows = [Delivery(f, names, "", STATUS_PRINT)]
        plan.extend(rows)
    return plan


def write_delivery_list(deliveries: Iterable[Delivery], path: Path, title: str) -> Path:
    """The delivery list as a workbook: class, student, parent, e-mail, file, status."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment
    from openpyxl.worksheet.table import Table, TableStyleInfo

    wb = Workbook()
    xs.use_base_font(wb)
    ws = wb.active
    assert ws is not None
    ws.title = "Рассылка"
    ws.append([title])
    ws["A1"].font = xs.font(bold=True, size=12)
    header = ["Класс", "Ученик", "Родитель", "E-mail", "Файл письма", "Страниц", "Статус", "Подробности"]
    ws.append(header)
    rows = list(deliveries)
    for d in rows:
        ws.append([d.class_name, d.student, d.parent, d.email,
                   f"{d.class_name}/{d.letter_file.path.name}", d.letter_file.pages, d.status, d.detail])
    last = len(rows) + 2
    if rows:
        table = Table(displayName="Delivery", ref=f"A2:H{last}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
    widths = [7, 32, 32, 28, 42, 8, 30, 36]
    for index, width in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    attention = xs.ERROR_FILL
    for row in ws.iter_rows(min_row=3, max_row=last):
        status = str(row[6].value or "")
        if status in (STATUS_FAILED, STATUS_PRINT, STATUS_PRINT_BAD):
            for cell in row:
                cell.fill = attention
        row[7].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "2:2"
    buffer = io.BytesIO()
    wb.save(buffer)
    write_atomically(buffer.getvalue(), path)
    return path


# --- sending ----------------------------------------------------------------------------------


def letter_message(letter_file: LetterFile, recipients: list[str], sender: str) -> EmailMessage:
    """The e-mail for one letter: Russian subject and body, the PDF attached."""
    letter = letter_file.letter
    message = EmailMessage()
    message["Subject"] = (f"Успеваемость и посещаемость: {letter.student}, {letter.class_name} класс, "
                          f"{letter.date_range.text_ru}")
    message["From"] = formataddr((letter.school_name, sender))
    message["To"] = ", ".join(recipients)
    message["Message-ID"] = make_msgid(domain=sender.rsplit("@", 1)[-1])
    teacher = initials_ru(letter.class_teacher) if letter.class_teacher else "классный руководитель"
    message.set_content(
        "Здравствуйте!\n\n"
        f"Во вложении — письмо об успеваемости и посещаемости: {letter.student}, "
        f"{letter.class_name} класс, {letter.date_range.text_ru}. В нём отметки, средний балл, "
        "домашние задания, пропуски уроков и слово классного руководителя.\n\n"
        "Если у вас есть вопросы, ответьте на это письмо или свяжитесь с классным руководителем.\n\n"
        f"С уважением,\n{teacher}, классный руководитель {letter.class_name} класса\n"
        f"{letter.school_name}\n"
    )
    message.add_attachment(letter_file.path.read_bytes(), maintype="application", subtype="pdf",
                           filename=letter_file.path.name)
    return message


def _connect(config: SmtpConfig) -> smtplib.SMTP:
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if config.security == "ssl":
        server = smtplib.SMTP_SSL(config.host, config.port, timeout=config.timeout, context=context)
    else:
        server = smtplib.SMTP(config.host, config.port, timeout=config.timeout)
    try:
        if config.security == "starttls":
            server.starttls(context=context)
        if config.user:
            _login(server, config.user, config.password)
    except BaseException:
        server.close()
        raise
    return server


def _login(server: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; a login or password that is not ASCII goes as UTF-8 in AUTH PLAIN (RFC 4616),
    which ``smtplib`` cannot send by itself."""
    try:
        (user + password).encode("ascii")
    except UnicodeEncodeError:
        server.ehlo_or_helo_if_needed()
        token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
        code, response = server.docmd("AUTH", "PLAIN " + token)
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, response) from None
        return
    try:
        server.login(user, password)
    except smtplib.SMTPServerDisconnected as exc:  # some servers hang up on a wrong password
        raise smtplib.SMTPAuthenticationError(535, b"disconnected during login") from exc


def _reason(exc: BaseException) -> str:
    """A Russian reason for a failed send that never carries the password."""
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return "сервер не принял логин или пароль"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = "; ".join(f"{addr}: {code} {_text(msg)}" for addr, (code, msg) in exc.recipients.items())
        return f"сервер отклонил адрес ({codes})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"сервер ответил {exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, ssl.SSLError):
        return f"ошибка шифрования ({exc.reason or type(exc).__name__})"
    if isinstance(exc, OSError):
        return f"нет связи с почтовым сервером ({exc.strerror or type(exc).__name__})"
    return type(exc).__name__


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def send_letters(
    plan: list[Delivery],
    config: SmtpConfig,
    sent_log: SentLog,
    *,
    now: Callable[[], dt.datetime] = dt.datetime.now,
    connect: Callable[[SmtpConfig], smtplib.SMTP] = _connect,
) -> list[Delivery]:
    """E-mail every letter to its pending addresses (one message per student).

    Updates each :class:`Delivery` in ``plan`` (sent, or failed with a reason) and
    returns the plan. A refused address fails alone; a lost connection fails the
    letter being sent and is opened again for the next one; when the server cannot
    be reached or refuses the login, every letter still pending fails with that reason.
    Nothing that failed is in the sent-log, so the next run retries exactly those.
    """
    by_letter: dict[Path, list[Delivery]] = {}
    for d in plan:
        if d.pending:
            by_letter.setdefault(d.letter_file.path, []).append(d)
    if not by_letter:
        return plan
    server: smtplib.SMTP | None = None
    pending = list(by_letter.values())
    try:
        for index, rows in enumerate(pending):
            letter_file = rows[0].letter_file
            recipients = [d.email for d in rows]
            if server is None:
                try:
                    server = connect(config)
                except (smtplib.SMTPException, OSError) as exc:
                    reason = f"почтовый сервер {config.host}:{config.port}: {_reason(exc)}"
                    for later in pending[index:]:
                        for d in later:
                            d.status, d.detail = STATUS_FAILED, reason
                    break
            try:
                message = letter_message(letter_file, recipients, config.sender)
                refused = server.send_message(message, from_addr=config.sender, to_addrs=recipients)
            except smtplib.SMTPRecipientsRefused as exc:
                refused_all = {k.lower(): v for k, v in exc.recipients.items()}
                for d in rows:
                    code, text = refused_all.get(d.email.lower(), (0, b""))
                    d.status, d.detail = STATUS_FAILED, f"сервер отклонил адрес: {code} {_text(text)}"
                continue
            except (smtplib.SMTPException, OSError) as exc:
                for d in rows:
                    d.status, d.detail = STATUS_FAILED, _reason(exc)
                if server is not None:
                    _quietly_close(server)
                server = None
                continue
            refused_lower = {k.lower(): v for k, v in refused.items()}
            when = now()
            for d in rows:
                if d.email.lower() in refused_lower:
                    code, text = refused_lower[d.email.lower()]
                    d.status, d.detail = STATUS_FAILED, f"сервер отклонил адрес: {code} {_text(text)}"
                else:
                    sent_log.record(letter_file, d.email, str(message["Message-ID"]), when)
                    d.status, d.detail = STATUS_SENT, when.replace(microsecond=0).isoformat(sep=" ")
    finally:
        if server is not None:
            _quietly_close(server)
    return plan


def _quietly_close(server: smtplib.SMTP) -> None:
    try:
        server.quit()
    except (smtplib.SMTPException, OSError):
        server.close()


# --- the whole command --------------------------------------------------------------------------


@dataclass
class LettersRun:
    """What ``journal letters`` did."""

    output: LettersOutput
    deliveries: list[Delivery]
    delivery_list: Path
    sent_log: Path
    sent: bool  # True when --send was given
    notices: list[str] = field(default_factory=list)  # warnings told before anything was made
    silent_classes: list[str] = field(default_factory=list)  # nothing entered: no letters

    def count(self, status: str) -> int:
        """How many lines of the delivery list have ``status``."""
        return sum(1 for d in self.deliveries if d.status == status)

    @property
    def failed(self) -> list[Delivery]:
        """The lines whose sending failed."""
        return [d for d in self.deliveries if d.status == STATUS_FAILED]


def sent_log_path(school: SchoolFolder) -> Path:
    """``output/Письма родителям/Журнал отправки.jsonl``."""
    return school.output(LETTERS_DIR) / SENT_LOG_FILE


def program_folder() -> Path:
    """The folder of the program's own files (a source checkout's root when there is one)."""
    package = Path(__file__).resolve().parents[1]
    return package.parent if (package.parent / "pyproject.toml").exists() else package


def run_letters(
    school: SchoolFolder,
    settings: Settings,
    date_range: DateRange,
    *,
    class_name: str | None = None,
    send: bool = False,
    smtp_config: Path | None = None,
    env: Mapping[str, str] | None = None,
    renderer: PdfRenderer | None = None,
    warn: Callable[[str], None] | None = None,
) -> LettersRun:
    """Make the letters of the range, the class files and the delivery list; with
    ``send`` e-mail the letters not yet sent. A class with nothing entered for the range
    gets no letters, so none are sent (:attr:`LettersRun.silent_classes`).

    A class teacher's note that names another student of the school is told to ``warn``
    (and kept in :attr:`LettersRun.notices`) before any letter is made or sent.

    The SMTP settings are read first, so a missing one stops the command before
    anything is printed. Raises :class:`UsageError` for an unknown class.
    """
    chosen = settings.school_class(class_name) if class_name is not None else None
    if class_name is not None and chosen is None:
        known = ", ".join(c.name for c in settings.classes)
        raise UsageError(f"Класса «{class_name}» нет в настройках. Классы школы: {known}")
    config = None
    if send:
        config = load_smtp_config(smtp_config, env=env, forbidden=(school.root, program_folder()))
    lock = send_lock(school.store_path) if config is not None else contextlib.nullcontext(None)
    with lock as held:
        if held is not None and held.notice and warn is not None:
            warn(held.notice)
        run = _letters_run(school, settings, date_range, chosen, class_name, config, renderer, send,
                           warn)
    if held is not None and held.notice:
        run.notices.insert(0, held.notice)
    return run


def _letters_run(school: SchoolFolder, settings: Settings, date_range: DateRange,
                 chosen: SchoolClass | None, class_name: str | None, config: SmtpConfig | None,
                 renderer: PdfRenderer | None, send: bool,
                 warn: Callable[[str], None] | None) -> LettersRun:
    with store.opened(school.store_path, readonly=True) as conn:
        batch = gather_letters(conn, settings, date_range, class_name)
        everyone = store.school_student_names(conn)
    letters = batch.letters
    notices = [f"{letter.class_name}, {letter.student}: {note_names_other_text(other)}"
               for letter in letters if letter.note
               for other in students_named_in(letter.note, letter.student, everyone)]
    for notice in notices:
        if warn is not None:
            warn(notice)
    folder = letters_folder(school, date_range)
    own_renderer = renderer is None
    active = renderer or PdfRenderer()
    try:
        output = render_letters(letters, folder, active, date_range)
    finally:
        if own_renderer:
            active.close()
    log = SentLog(sent_log_path(school))
    deliveries = plan_deliveries(output.files, log)
    if config is not None:
        send_letters(deliveries, config, log)
    name = DELIVERY_LIST_FILE if chosen is None else \
        safe_file_name(f"Список рассылки — {chosen.name}") + ".xlsx"
    title = f"Письма родителям {date_range.text_ru}" + (
        "" if config is not None else " — проверка: ничего не отправлено")
    path = write_delivery_list(deliveries, folder / name, title)
    return LettersRun(output, deliveries, path, log.path, send, notices=notices,
                      silent_classes=batch.silent_classes)
