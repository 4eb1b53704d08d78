"""``journal diary``: the family diary folder, the code slips and the participation figures.

``output/Дневник/`` is published as it is (school website, shared folder, flash drive):
``index.html`` (the page, with its style and script inlined) and ``d/<name>.js``, one
encrypted bundle per student. A bundle is rewritten only when what it holds changed; a
bundle of a code that was replaced, or of a student no longer on a list, is deleted.

Everything secret stays in ``output/Коды доступа/`` (owner-only): the codes file, the
printable slips per class and the participation table.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from journal.core.errors import UsageError
from journal.dataset import store
from journal.documents.diary import crypto
from journal.documents.diary.codes import CodeBook, Family, codes_path, family_key, write_private
from journal.documents.diary.data import StudentDiary, class_diaries, school_classes
from journal.school.folder import CODES_DIR, PARTICIPATION_FILE, SchoolFolder, safe_file_name
from journal.school.settings import Settings, normalise_class_name

DIARY_DIR = "Дневник"
BUNDLES_DIR = "d"
PUBLIC_FILE_MODE = 0o644
PUBLIC_DIR_MODE = 0o755
NAME_RE = re.compile(r"^[0-9a-f]{32}$")

Render = Callable[[str, Path], object]


@dataclass
class DiaryOutcome:
    """What one build did."""

    folder: Path
    codes_file: Path
    students: int = 0
    written: int = 0  # bundles rewritten now
    removed: int = 0  # bundles deleted (codes replaced, students gone)
    new_codes: int = 0
    slips: list[Path] = field(default_factory=list)  # slip PDFs printed now
    participation: Path | None = None
    renewed: str = ""  # the student whose code was replaced by --new-code


def diary_folder(school: SchoolFolder) -> Path:
    """``output/Дневник/``."""
    return school.output_dir / DIARY_DIR


def build_diary(school: SchoolFolder, settings: Settings, *, site: str | None = None,
                access_log: Path | None = None, renew: tuple[str, str] | None = None,
                now: dt.datetime | None = None, render: Render | None = None) -> DiaryOutcome:
    """Build the diary folder and the class teachers' slips.

    ``renew`` (name as typed, class) gives that student a new code first; the old code stops
    working now, because its bundle is deleted. ``render`` prints HTML to PDF (by default a
    :class:`journal.documents.pdf.PdfRenderer` is started when a class's slips need printing).
    """
    moment = now or dt.datetime.now().replace(microsecond=0)
    with store.opened(school.store_path) as conn:
        stamp = store.last_merge_finished(conn) or moment.strftime("%Y-%m-%d %H:%M:%S")
        today = settings.today or dt.date.fromisoformat(stamp[:10])
        diaries = [d for c, teacher in school_classes(conn, settings)
                   for d in class_diaries(conn, settings, c, teacher, today)]
    book = CodeBook.load(codes_path(school.output_dir))
    if site is not None:
        book.site = site.strip()
    outcome = DiaryOutcome(diary_folder(school), book.path, students=len(diaries))
    if renew is not None:
        outcome.renewed = _renew(book, diaries, renew, moment)
    for diary in diaries:
        if family_key(diary.class_name, diary.student) not in book.families:
            book.issue(diary.class_name, diary.student, moment)
            outcome.new_codes += 1
    book.derive()
    _publish(outcome, book, diaries, stamp, settings)
    book.save()
    outcome.slips = _print_slips(school, settings, book, diaries, render)
    book.save()
    outcome.participation = write_participation(school, book, diaries, access_log)
    return outcome


def _renew(book: CodeBook, diaries: list[StudentDiary], renew: tuple[str, str], moment: dt.datetime) -> str:
    typed, class_name = renew
    words = [w.replace("ё", "е") for w in typed.lower().split()]
    found = [d for d in diaries if normalise_class_name(d.class_name) == normalise_class_name(class_name)
             and d.student.lower().replace("ё", "е").split()[:len(words)] == words]
    if not words or not found:
        raise UsageError(f"В классе {class_name} нет ученика «{typed}». Напишите фамилию и имя, как в "
                         "списке класса, например: journal diary --new-code \"Белов Артём\" --class 5А")
    if len(found) > 1:
        raise UsageError(f"В классе {class_name} несколько учеников «{typed}»: "
                         f"{', '.join(d.student for d in found)}. Напишите полностью, с отчеством")
    book.issue(found[0].class_name, found[0].student, moment)
    return found[0].student


def _public_write(data: bytes, out: Path) -> None:
    """Write a published file (encrypted or public by design) readable by a web server."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".~{out.name}")
    tmp.write_bytes(data)
    os.chmod(tmp, PUBLIC_FILE_MODE)
    os.replace(tmp, out)


def _publish(outcome: DiaryOutcome, book: CodeBook, diaries: list[StudentDiary], stamp: str,
             settings: Settings) -> None:
    folder = outcome.folder
    bundles = folder / BUNDLES_DIR
    bundles.mkdir(parents=True, exist_ok=True)
    for path in (folder, bundles):
        os.chmod(path, PUBLIC_DIR_MODE)
    keep: set[str] = set()
    for diary in diaries:
        family = book.families[family_key(diary.class_name, diary.student)]
        keep.add(family.name)
        plain = json.dumps(diary.data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()
        digest = hashlib.sha256(plain).hexdigest()
        path = bundles / f"{family.name}.js"
        if family.content == digest and path.exists():
            continue
        _public_write(bundle_script(family, plain), path)
        family.content = digest
        outcome.written += 1
    for path in bundles.iterdir():
        if path.suffix == ".js" and path.stem not in keep:
            path.unlink()
            outcome.removed += 1
    page = entry_page(settings.school_name, book, stamp)
    index = folder / "index.html"
    if not index.exists() or index.read_bytes() != page:
        _public_write(page, index)


def bundle_script(family: Family, plaintext: bytes) -> bytes:
    """The bundle file: a script that hands its ciphertext to the page."""
    sealed = crypto.seal(bytes.fromhex(family.secret), family.name, plaintext)
    body = json.dumps({"s": crypto.b64(sealed.salt), "n": crypto.b64(sealed.nonce),
                       "c": crypto.b64(sealed.ciphertext)})
    return f'diaryBundle("{family.name}",{body});\n'.encode("ascii")


def _static(name: str) -> str:
    return resources.files("journal.documents.diary").joinpath("static", name).read_text(encoding="utf-8")


def entry_page(school_name: str, book: CodeBook, stamp: str) -> bytes:
    """``index.html`` with its style, script and public settings inlined (one file, no requests)."""
    meta = json.dumps({"school": school_name, "salt": book.salt, "iterations": book.iterations,
                       "stamp": stamp}, ensure_ascii=False).replace("<", "\\u003c")
    page = _static("index.html")
    page = page.replace("/*CSS*/", _static("diary.css")).replace("/*META*/", meta)
    return page.replace("/*JS*/", _static("diary.js").replace("</script", "<\\/script")).encode("utf-8")


# --- slips ------------------------------------------------------------------------------------

SLIPS_CSS = """
body { font-size: 10pt; }
.slips { display: grid; grid-template-columns: 1fr 1fr; gap: 0; }
.slip { border: 0.8pt dashed #888; padding: 3mm 4mm; break-inside: avoid; display: flex; gap: 3mm; }
.slip .text { flex: 1 1 auto; min-width: 0; }
.slip .qr { flex: 0 0 auto; width: 24mm; }
.slip .qr svg { width: 24mm; height: 24mm; }
.slip .school { font-size: 7.5pt; color: #444; }
.slip .student { font-size: 11.5pt; font-weight: bold; margin: 1.5mm 0 0.5mm 0; }
.slip .code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 14pt; font-weight: bold;
  letter-spacing: 0.6pt; margin: 1.5mm 0; white-space: nowrap; }
.slip .site { font-size: 8.5pt; }
.slip .site .url { display: block; font-family: "DejaVu Sans Mono", Consolas, monospace;
  white-space: nowrap; }
.slip .how { font-size: 7pt; line-height: 1.2; color: #333; margin-top: 1mm; }
"""


def slips_html(settings: Settings, class_name: str, families: list[Family], site: str) -> str:
    """One class's slips (two per row, cut along the dashed lines)."""
    import segno

    from journal.documents.html import document, esc

    cells = []
    for family in families:
        target = f"{site}#{family.code}" if site else family.code
        qr = segno.make(target, error="m").svg_inline(scale=3, border=2)
        address = (f'Адрес:<span class="url" style="font-size: {_url_size_pt(site)}pt">'
                   f'{esc(site)}</span>' if site else "Адрес дневника сообщит классный руководитель")
        cells.append(
            '<div class="slip"><div class="text">'
            f'<div class="school">{esc(settings.school_name)}</div>'
            f'<div>Электронный дневник · {esc(family.class_name)} класс</div>'
            f'<div class="student">{esc(family.student)}</div>'
            f'<div>Код доступа:</div><div class="code">{esc(family.code)}</div>'
            f'<div class="site">{address}</div>'
            '<div class="how">Откройте адрес или наведите камеру телефона на QR-код и введите код. '
            "Большие и маленькие буквы, пробелы и чёрточки не важны. Храните код как ключ: "
            "по нему видны отметки вашего ребёнка. Потеряли — попросите у классного руководителя "
            "новый.</div>"
            f'</div><div class="qr">{qr}</div></div>')
    body = (f"<h1>Коды доступа к электронному дневнику — {esc(class_name)} класс</h1>"
            f'<div class="slips">{"".join(cells)}</div>')
    return document(f"Коды доступа — {class_name}", body, "portrait", extra_css=SLIPS_CSS,
                    page_numbers=False)


SLIP_TEXT_MM = 58.0  # the text column of a slip: half an A4 page less the QR code and padding
MONO_CHAR_MM_PER_PT = 0.212  # DejaVu Sans Mono: a character is 0.6 em wide


def _url_size_pt(url: str) -> float:
    """A font size that keeps the whole address on one line of a slip (a typed address must not
    break inside a word), 8 pt at most; a very long address gets small type rather than a break."""
    return round(min(8.0, SLIP_TEXT_MM / (MONO_CHAR_MM_PER_PT * max(len(url), 1))), 1)


def slips_path(school: SchoolFolder, class_name: str) -> Path:
    """``output/Коды доступа/<class> — листки с кодами.pdf``."""
    return school.output_dir / CODES_DIR / (safe_file_name(f"{class_name} — листки с кодами") + ".pdf")


def _print_slips(school: SchoolFolder, settings: Settings, book: CodeBook, diaries: list[StudentDiary],
                 render: Render | None) -> list[Path]:
    by_class: dict[str, list[Family]] = {}
    for d in diaries:
        by_class.setdefault(d.class_name, []).append(book.families[family_key(d.class_name, d.student)])
    todo = []
    for class_name, families in by_class.items():
        families.sort(key=lambda f: f.student)
        fingerprint = hashlib.sha256(json.dumps([book.site, [(f.student, f.code) for f in families]],
                                                ensure_ascii=False).encode()).hexdigest()
        path = slips_path(school, class_name)
        if book.slips.get(class_name) != fingerprint or not path.exists():
            todo.append((class_name, families, fingerprint, path))
    if not todo:
        return []
    printed = []
    renderer = None
    if render is None:
        from journal.documents.pdf import PdfRenderer

        renderer = PdfRenderer()
        renderer.start()
        render = renderer.render
    try:
        for class_name, families, fingerprint, path in todo:
            render(slips_html(settings, class_name, families, book.site), path)
            os.chmod(path, 0o600)
            book.slips[class_name] = fingerprint
            printed.append(path)
    finally:
        if renderer is not None:
            renderer.close()
    return printed


# --- participation (3.5) ------------------------------------------------------------------------

LOG_LINE = re.compile(r'^(\S+) \S+ \S+ \[([^\]:]+)[^\]]*\] "(?:GET|HEAD) (\S+)[^"]*" (\d{3})')


def count_visits(log: Path) -> dict[str, tuple[int, str]]:
    """{bundle name: (visits, last day, ISO)} from a web server's access log.

    A visit is one address opening the bundle on one day (status 200 or 304); the log is in
    the common or combined format.
    """
    seen: dict[str, set[tuple[str, str]]] = {}
    last: dict[str, str] = {}
    with open(log, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            match = LOG_LINE.match(line)
            if not match or match.group(4) not in ("200", "304"):
                continue
            path = match.group(3).split("?", 1)[0]
            stem = path.rsplit("/", 1)[-1].removesuffix(".js")
            if not path.endswith(".js") or not NAME_RE.match(stem):
                continue
            day = _log_day(match.group(2))
            seen.setdefault(stem, set()).add((match.group(1), day))
            last[stem] = max(last.get(stem, ""), day)
    return {name: (len(days), last[name]) for name, days in seen.items()}


MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _log_day(text: str) -> str:
    """«27/Nov/2026» → «2026-11-27» (the text itself when it is not such a date)."""
    parts = text.split("/")
    if len(parts) == 3 and parts[1].lower() in MONTHS and parts[0].isdigit() and parts[2].isdigit():
        return f"{parts[2]}-{MONTHS.index(parts[1].lower()) + 1:02d}-{int(parts[0]):02d}"
    return text


def _day_ru(day: str) -> str:
    return f"{day[8:10]}.{day[5:7]}.{day[:4]}" if re.fullmatch(r"\d{4}-\d\d-\d\d", day) else day


def write_participation(school: SchoolFolder, book: CodeBook, diaries: list[StudentDiary],
                        access_log: Path | None) -> Path:
    """``output/Коды доступа/Участие семей.csv``: per class, codes handed out and, with an
    access log, the families who opened the diary and their visits; then one line per family."""
    visits = count_visits(access_log) if access_log is not None else {}
    by_class: dict[str, list[Family]] = {}
    for d in diaries:
        by_class.setdefault(d.class_name, []).append(book.families[family_key(d.class_name, d.student)])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Класс", "Учеников", "Выдано кодов", "Открывали дневник (семей)", "Посещений",
                     "Участие, %"])
    for class_name, families in by_class.items():
        opened = [visits[f.name][0] for f in families if f.name in visits]
        share = f"{100 * len(opened) / len(families):.0f}" if access_log and families else "—"
        writer.writerow([class_name, len(families), sum(1 for f in families if f.code),
                         len(opened) if access_log else "—", sum(opened) if access_log else "—", share])
    if access_log is not None:
        writer.writerow([])
        writer.writerow(["Класс", "Ученик", "Посещений", "Последнее посещение"])
        for class_name, families in by_class.items():
            for f in families:
                count, day = visits.get(f.name, (0, ""))
                writer.writerow([class_name, f.student, count, _day_ru(day)])
    path = school.output_dir / CODES_DIR / PARTICIPATION_FILE
    write_private(("\ufeff" + out.getvalue()).encode("utf-8"), path)
    return path

