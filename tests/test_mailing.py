"""Sending letters to parents over a real SMTP server started on 127.0.0.1 by the tests."""

from __future__ import annotations

import email
import hashlib
import json
import multiprocessing as mp
import shutil
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from openpyxl import load_workbook
from support.letters_fixtures import PARENTS, TODAY, build_school_folder
from typer.testing import CliRunner

from journal.cli.main import app
from journal.core.errors import UsageError
from journal.documents.letters import default_range, letters_folder
from journal.documents.mailing import (
    STATUS_ALREADY_SENT,
    STATUS_FAILED,
    STATUS_PRINT,
    STATUS_PRINT_BAD,
    STATUS_SENT,
    STATUS_WOULD_SEND,
    LettersRun,
    load_smtp_config,
    run_letters,
)
from journal.documents.pdf import PdfRenderer
from journal.school.folder import SchoolFolder

USER = "school@example.ru"
PASSWORD = "Pa55-секрет-7Qx"
REFUSED = "refuse-me@example.ru"
RANGE = default_range(TODAY)

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


class Mailbox:
    """An SMTP handler that keeps every message and refuses the addresses in ``refuse``."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], EmailMessage]] = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content,
                                           policy=default_policy)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 OK"


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == USER.encode()
          and auth_data.password == PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = _free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port, authenticator=_authenticator,
                            auth_require_tls=False, auth_required=True,
                            auth_exclude_mechanism=["LOGIN"])
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def renderer() -> Iterator[PdfRenderer]:
    with PdfRenderer() as r:
        yield r


@pytest.fixture(scope="module")
def printed_school(tmp_path_factory: pytest.TempPathFactory, renderer: PdfRenderer) -> Path:
    """A school folder whose letters are printed once; each test works on a copy."""
    root = tmp_path_factory.mktemp("mailing") / "school"
    build_school_folder(root)
    folder = SchoolFolder.open(root)
    run_letters(folder, _settings(folder), RANGE, renderer=renderer)
    (root / "output" / "Письма родителям" / RANGE.folder_name / "Список рассылки.xlsx").unlink()
    return root


@pytest.fixture
def school(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, printed_school: Path) -> SchoolFolder:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no real smtp.ini is read
    for key in ("HOST", "PORT", "USER", "PASSWORD", "SECURITY", "FROM"):
        monkeypatch.delenv(f"JOURNAL_SMTP_{key}", raising=False)
    shutil.copytree(printed_school, tmp_path / "school")
    return SchoolFolder.open(tmp_path / "school")


def smtp_env(port: int, password: str = PASSWORD) -> dict[str, str]:
    return {"JOURNAL_SMTP_HOST": "127.0.0.1", "JOURNAL_SMTP_PORT": str(port),
            "JOURNAL_SMTP_SECURITY": "none", "JOURNAL_SMTP_USER": USER,
            "JOURNAL_SMTP_PASSWORD": password, "JOURNAL_SMTP_FROM": USER}


def _settings(school: SchoolFolder):
    from journal.workbooks.settings_reader import load_settings

    return load_settings(school.settings_path)


def _send(school: SchoolFolder, renderer: PdfRenderer, port: int, password: str = PASSWORD) -> LettersRun:
    return run_letters(school, _settings(school), RANGE, send=True, env=smtp_env(port, password),
                       renderer=renderer)


def _addresses(student: str) -> set[str]:
    return {a.strip() for _, typed in PARENTS[student] for a in typed.replace(";", " ").split() if "@" in a}


@pytest.mark.slow
def test_without_send_nothing_goes_out_and_the_list_says_what_would(
    school: SchoolFolder, renderer: PdfRenderer, mailbox: tuple[Mailbox, int]
) -> None:
    box, _port = mailbox
    run = run_letters(school, _settings(school), RANGE, renderer=renderer)
    assert box.messages == []
    assert not run.sent_log.exists()
    statuses = {(d.student, d.email): d.status for d in run.deliveries}
    assert statuses[("Белов Артём Игоревич", "belova@example.ru")] == STATUS_WOULD_SEND
    assert statuses[("Васильева Полина Андреевна", "")] == STATUS_PRINT
    assert statuses[("Жукова Ульяна Романовна", "почта не указана")] == STATUS_PRINT_BAD
    sheet = load_workbook(run.delivery_list).active
    assert sheet is not None
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == len(run.deliveries)
    header = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert header[:5] == ("Класс", "Ученик", "Родитель", "E-mail", "Файл письма")
    assert {r[1] for r in rows} == {f.letter.student for f in run.output.files}
    belov = next(r for r in rows if r[1] == "Белов Артём Игоревич")
    assert belov[2] == "Белова Наталья Юрьевна" and belov[3] == "belova@example.ru"
    assert belov[6] == STATUS_WOULD_SEND


@pytest.mark.slow
def test_a_refused_address_fails_alone_and_a_retry_sends_only_it(
    school: SchoolFolder, renderer: PdfRenderer, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    box.refuse = {REFUSED}
    first = _send(school, renderer, port)

    failed = first.failed
    assert [(d.student, d.email) for d in failed] == [("Дмитриева Ксения Павловна", REFUSED)]
    assert "550" in failed[0].detail
    with_mail = [f for f in first.output.files if f.letter.emails]
    assert len(box.messages) == len(with_mail) - 1
    by_student: dict[str, tuple[str, list[str], EmailMessage]] = {}
    for sender, rcpts, message in box.messages:
        assert sender == USER
        attachment = next(message.iter_attachments())
        student = next(f.letter.student for f in first.output.files
                       if f.sha256 == hashlib.sha256(attachment.get_content()).hexdigest())
        assert student not in by_student, "one message per student"
        by_student[student] = (sender, rcpts, message)
        assert student in str(message["Subject"])
        assert attachment.get_filename().endswith(f"{student}.pdf")
        assert set(rcpts) == _addresses(student)
    assert set(by_student["Ершов Никита Владимирович"][1]) == {"ershova@example.ru", "ershov@example.ru"}
    assert "Васильева Полина Андреевна" not in by_student
    log_lines = first.sent_log.read_text(encoding="utf-8").splitlines()
    assert len(log_lines) == sum(len(r) for _, r, _ in box.messages)

    box.messages.clear()
    box.refuse.clear()
    second = _send(school, renderer, port)
    assert [rcpts for _, rcpts, _ in box.messages] == [[REFUSED]]
    assert second.failed == []
    assert second.count(STATUS_SENT) == 1
    assert second.count(STATUS_ALREADY_SENT) == first.count(STATUS_SENT)

    box.messages.clear()
    third = _send(school, renderer, port)
    assert box.messages == []
    assert third.count(STATUS_SENT) == 0 and third.failed == []


@pytest.mark.slow
def test_a_wrong_password_sends_nothing_and_logs_nothing(
    school: SchoolFolder, renderer: PdfRenderer, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    run = _send(school, renderer, port, password="wrong")
    assert box.messages == []
    assert run.count(STATUS_SENT) == 0
    assert len(run.failed) == sum(1 for d in run.deliveries if d.email and "@" in d.email)
    assert "логин или пароль" in run.failed[0].detail
    assert not run.sent_log.exists() or run.sent_log.read_text(encoding="utf-8") == ""


@pytest.mark.slow
def test_the_command_sends_and_no_credential_reaches_any_output(
    school: SchoolFolder, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    box.refuse = {REFUSED}
    runner = CliRunner()
    args = ["letters", "--school", str(school.root), "--today", "27.11.2026", "--send"]
    result = runner.invoke(app, args, env=smtp_env(port))
    assert result.exit_code == 1, result.output
    assert REFUSED in result.output and "Повторите команду" in result.output
    assert box.messages
    seen = result.output
    for path in school.output_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert PASSWORD.encode() not in data, path
            assert PASSWORD.encode("utf-16-be") not in data, path
    for _, _, message in box.messages:
        assert PASSWORD not in message.as_string()
    assert PASSWORD not in seen

    box.refuse.clear()
    again = runner.invoke(app, args, env=smtp_env(port))
    assert again.exit_code == 0, again.output
    assert "Отправлено: 1;" in again.output


@pytest.mark.slow
def test_an_unreachable_server_fails_every_letter_for_a_later_retry(
    school: SchoolFolder, renderer: PdfRenderer
) -> None:
    run = _send(school, renderer, _free_port())
    assert run.count(STATUS_SENT) == 0
    assert run.failed and all("нет связи" in d.detail for d in run.failed)
    assert all(d.status in (STATUS_FAILED, STATUS_PRINT, STATUS_PRINT_BAD) for d in run.deliveries)


def test_send_without_smtp_settings_is_a_usage_error(school: SchoolFolder) -> None:
    result = CliRunner().invoke(app, ["letters", "--school", str(school.root), "--send"])
    assert result.exit_code == 2
    assert "JOURNAL_SMTP_HOST" in result.output
    assert not (school.output_dir / "Письма родителям" / RANGE.folder_name / "Список рассылки.xlsx").exists()


# --- SMTP settings -----------------------------------------------------------------------------


def test_settings_from_the_environment() -> None:
    config = load_smtp_config(env={"JOURNAL_SMTP_HOST": "smtp.example.ru", "JOURNAL_SMTP_USER": USER,
                                   "JOURNAL_SMTP_PASSWORD": PASSWORD})
    assert (config.host, config.port, config.security, config.sender) == ("smtp.example.ru", 587,
                                                                          "starttls", USER)
    assert PASSWORD not in repr(config) and PASSWORD not in config.describe()


def test_settings_file_with_environment_over_it(tmp_path: Path) -> None:
    path = tmp_path / "smtp.ini"
    path.write_text(f"[smtp]\nhost = mail.example.ru\nport = 465\nuser = {USER}\npassword = {PASSWORD}\n"
                    "from = letters@example.ru\n", encoding="utf-8")
    config = load_smtp_config(path, env={})
    assert (config.host, config.port, config.security, config.password) == ("mail.example.ru", 465, "ssl",
                                                                             PASSWORD)
    assert config.sender == "letters@example.ru"
    assert load_smtp_config(path, env={"JOURNAL_SMTP_HOST": "other.example.ru"}).host == "other.example.ru"


def test_a_settings_file_inside_the_school_folder_is_refused(school: SchoolFolder) -> None:
    path = school.root / "smtp.ini"
    path.write_text(f"[smtp]\nhost = mail.example.ru\nuser = {USER}\npassword = {PASSWORD}\n",
                    encoding="utf-8")
    with pytest.raises(UsageError, match="не должен"):
        load_smtp_config(path, env={}, forbidden=[school.root])


@pytest.mark.parametrize(("env", "message"), [
    ({}, "JOURNAL_SMTP_HOST"),
    ({"JOURNAL_SMTP_HOST": "smtp.example.ru", "JOURNAL_SMTP_PORT": "пять"}, "числом"),
    ({"JOURNAL_SMTP_HOST": "smtp.example.ru", "JOURNAL_SMTP_SECURITY": "quantum", "JOURNAL_SMTP_FROM": USER},
     "не поддерживается"),
    ({"JOURNAL_SMTP_HOST": "smtp.example.ru", "JOURNAL_SMTP_SECURITY": "none", "JOURNAL_SMTP_USER": USER,
      "JOURNAL_SMTP_PASSWORD": PASSWORD}, "без шифрования"),
    ({"JOURNAL_SMTP_HOST": "smtp.example.ru"}, "отправителя"),
])
def test_bad_settings_are_usage_errors(env: dict[str, str], message: str, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    with pytest.raises(UsageError, match=message) as caught:
        load_smtp_config(env=env)
    assert PASSWORD not in str(caught.value)


def test_the_sent_log_is_json_lines_without_secrets(
    school: SchoolFolder, renderer: PdfRenderer, mailbox: tuple[Mailbox, int]
) -> None:
    _box, port = mailbox
    run = _send(school, renderer, port)
    entries = [json.loads(line) for line in run.sent_log.read_text(encoding="utf-8").splitlines()]
    assert entries and all(set(e) >= {"student", "range", "email", "sha256", "sent_at"} for e in entries)
    assert all(e["range"] == RANGE.key for e in entries)
    assert PASSWORD not in run.sent_log.read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_corrected_letter_goes_out_once_more_and_only_it(
    school: SchoolFolder, renderer: PdfRenderer, mailbox: tuple[Mailbox, int]
) -> None:
    import sqlite3

    box, port = mailbox
    first = _send(school, renderer, port)
    sent_before = first.count(STATUS_SENT)
    box.messages.clear()
    with sqlite3.connect(school.store_path) as conn:
        conn.execute("UPDATE notes SET text = 'Егор — призёр районной олимпиады по физике.' WHERE "
                     "student_id = (SELECT id FROM students WHERE full_name = 'Зайцев Егор Алексеевич')")
    plan = run_letters(school, _settings(school), RANGE, renderer=renderer)
    changed = [d for d in plan.deliveries if d.status == STATUS_WOULD_SEND]
    assert [(d.student, "исправленное" in d.detail) for d in changed] == [("Зайцев Егор Алексеевич", True)]
    second = _send(school, renderer, port)
    assert [rcpts for _, rcpts, _ in box.messages] == [["zaitseva@example.ru"]]
    assert second.count(STATUS_ALREADY_SENT) == sent_before - 1


@pytest.mark.slow
def test_a_note_naming_another_student_is_told_before_letters_are_made(
    school: SchoolFolder, renderer: PdfRenderer
) -> None:
    import sqlite3

    with sqlite3.connect(school.store_path) as conn:
        other = conn.execute("SELECT full_name FROM students WHERE full_name <> "
                             "'Зайцев Егор Алексеевич' ORDER BY id LIMIT 1").fetchone()[0]
        surname = other.split()[0]
        conn.execute("UPDATE notes SET text = ? WHERE student_id = (SELECT id FROM students "
                     "WHERE full_name = 'Зайцев Егор Алексеевич')",
                     (f"Егор обидел {surname}а на перемене.",))
    told: list[tuple[str, int]] = []
    letters_dir = letters_folder(school, RANGE)

    def warn(text: str) -> None:
        told.append((text, len(list(letters_dir.rglob("*.pdf")))))

    shutil.rmtree(letters_dir)
    run = run_letters(school, _settings(school), RANGE, renderer=renderer, warn=warn)
    assert told and all(made == 0 for _text, made in told)  # told before any letter was made
    assert any("Зайцев Егор Алексеевич" in text and f"«{other}»" in text for text, _ in told)
    assert run.notices == [text for text, _ in told]
    assert list(letters_dir.rglob("*.pdf"))  # a warning: the letters are made all the same


@pytest.mark.slow
def test_a_second_send_is_refused_while_one_runs(
    school: SchoolFolder, renderer: PdfRenderer, mailbox: tuple[Mailbox, int]
) -> None:
    from journal.core.errors import StoreBusyError
    from journal.workbooks.isolation import send_lock

    _box, port = mailbox
    ctx = mp.get_context("fork" if "fork" in mp.get_all_start_methods() else "spawn")
    ready, release = ctx.Event(), ctx.Event()
    holder = ctx.Process(target=_hold_send, args=(str(school.store_path), ready, release))
    holder.start()
    try:
        assert ready.wait(30)
        with pytest.raises(StoreBusyError, match="уже отправляются"):
            _send(school, renderer, port)
    finally:
        release.set()
        holder.join(10)
    with send_lock(school.store_path):
        pass


def _hold_send(store_path: str, ready: object, release: object) -> None:
    from journal.workbooks.isolation import send_lock

    with send_lock(store_path):
        ready.set()  # type: ignore[attr-defined]
        release.wait(30)  # type: ignore[attr-defined]


def _empty_class(school: SchoolFolder, class_name: str) -> list[str]:
    """Remove everything teachers entered for a class (a class nobody filled in); its students."""
    import sqlite3

    conn = sqlite3.connect(school.store_path)
    try:
        lessons = "SELECT id FROM lessons WHERE class = ?"
        students = "SELECT id FROM students WHERE class = ?"
        conn.execute(f"DELETE FROM marks WHERE lesson_id IN ({lessons})", (class_name,))
        conn.execute(f"DELETE FROM attendance WHERE lesson_id IN ({lessons})", (class_name,))
        conn.execute("DELETE FROM final_marks WHERE class = ?", (class_name,))
        conn.execute(f"DELETE FROM notes WHERE student_id IN ({students})", (class_name,))
        conn.execute("UPDATE lessons SET topic = '', homework = '' WHERE class = ?", (class_name,))
        conn.commit()
        return [r[0] for r in conn.execute("SELECT full_name FROM students WHERE class = ?", (class_name,))]
    finally:
        conn.close()


@pytest.mark.slow
def test_a_class_with_nothing_entered_gets_no_letters_and_none_is_sent(
    school: SchoolFolder, renderer: PdfRenderer, mailbox: tuple[Mailbox, int]
) -> None:
    box, port = mailbox
    students = _empty_class(school, "10Б")
    run = _send(school, renderer, port)
    assert run.silent_classes == ["10Б"]
    assert not {f.letter.student for f in run.output.files} & set(students)
    assert "10Б" not in run.output.class_files
    sent_to = {a for _sender, rcpts, _message in box.messages for a in rcpts}
    assert sent_to and not sent_to & {a for s in students for a in _addresses(s)}


def test_the_command_says_which_class_got_no_letters(school: SchoolFolder) -> None:
    _empty_class(school, "10Б")
    for name in ("1А", "5А"):
        _empty_class(school, name)
    result = CliRunner().invoke(app, ["letters", "--school", str(school.root), "--to", "27.11.2026"])
    assert result.exit_code == 0, result.output
    for name in ("1А", "5А", "10Б"):
        assert f"{name}: за 14.11–27.11.2026 в журнал класса ничего не внесено" in result.output
    assert "Писем: 0" in result.output
