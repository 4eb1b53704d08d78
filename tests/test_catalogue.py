"""The catalogue of findings: every code raised is in it once, docs match it, users read Russian."""

from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from support.merge_fixtures import (
    MON,
    WED,
    class_content,
    edit_cells,
    grid_cell,
    math_content,
    new_school,
    write_class,
    write_subject,
)

import journal
from journal.core import catalogue
from journal.core.catalogue import CATALOGUE, CODE_PATTERN, GROUPS, Severity
from journal.core.findings import error, warning
from journal.intake.merge import check_files, merge_school
from journal.workbooks import format as wf

JOURNAL = Path(journal.__file__).parent
A = "Алексеев Артём Павлович"
B = "Борисова Дарья Игоревна"

# Calls that make a finding, and the severity each gives (CellProblem becomes an error).
MAKERS = {"error": Severity.ERROR, "err": Severity.ERROR, "CellProblem": Severity.ERROR,
          "warning": Severity.WARNING, "warn": Severity.WARNING}
OLD_STYLE = re.compile(r"^(set-[a-z-]+|print_[a-z_]+)$")

# Latin a user may meet: names of programs and file types, and commands typed in a terminal.
ALLOWED_LATIN = {"Excel", "LibreOffice", "Calc", "Word", "OpenDocument", "Office", "xlsx", "xls",
                 "ods", "doc", "CSV", "HTML", "XML", "DOCTYPE", "ENTITY", "Ctrl", "End"}
COMMAND = re.compile(r"journal\s+[a-z]+(\s+--[a-z-]+)*")
LATIN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


def english(text: str) -> list[str]:
    """Latin words of three or more letters, snake_case and dotted names in ``text``."""
    found = []
    for word in LATIN.findall(COMMAND.sub("", text)):
        if "_" in word or "." in word:
            if word.rsplit(".", 1)[-1] not in ALLOWED_LATIN or "_" in word:
                found.append(word)
        elif len(re.sub(r"[^A-Za-z]", "", word)) >= 3 and word not in ALLOWED_LATIN:
            found.append(word)
    return found


def test_english_finds_identifiers_and_words():
    assert english("лист «_meta», имя jr_marks, journal.core и hello") == [
        "_meta", "jr_marks", "journal.core", "hello"]
    assert english("ячейка F12, «5А — Математика.xlsx», выполните journal merge --confirm-removals") == []


# -- the catalogue itself --------------------------------------------------------------------

def test_no_code_is_defined_twice():
    tree = ast.parse((JOURNAL / "core" / "catalogue.py").read_text(encoding="utf-8"))
    codes = [node.args[0].value for node in ast.walk(tree)
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "Entry"
             and node.args and isinstance(node.args[0], ast.Constant)]
    assert len(codes) == len(catalogue.entries()) > 100
    assert sorted(c for c in set(codes) if codes.count(c) > 1) == []
    with pytest.raises(ValueError, match="twice"):
        catalogue._index((catalogue.entries()[0], catalogue.entries()[0]))


def test_every_code_is_one_style_and_in_a_group():
    for entry in catalogue.entries():
        assert CODE_PATTERN.match(entry.code) and entry.group in GROUPS, entry
        assert entry.severities and entry.title and entry.advice, entry


def test_titles_and_advice_are_russian():
    for entry in catalogue.entries():
        assert english(entry.title) == [] and english(entry.advice) == [], entry
        assert re.search("[а-яё]", entry.title) and entry.advice.endswith("."), entry


# -- making findings -------------------------------------------------------------------------

def test_a_finding_shows_its_title_beside_the_code():
    finding = error("N07", "Не заполнено: «Начало».", file="Настройки.xlsx", sheet="Периоды", cell="B3")
    assert finding.format() == ("[ошибка N07 · не заполнено обязательное поле] Настройки.xlsx: "
                                "лист «Периоды», ячейка B3: Не заполнено: «Начало».")
    assert warning("P02", "нет отметки").format().startswith("[предупреждение P02 · нет отметки за период] ")


def test_the_factory_refuses_a_code_the_catalogue_lacks():
    with pytest.raises(catalogue.UnknownCode):
        error("set-required", "Не заполнено")
    with pytest.raises(catalogue.UnknownCode):
        error("Z99", "что-то")
    with pytest.raises(catalogue.UnknownCode, match="warning"):
        warning("N07", "Не заполнено")  # catalogued as an error only


def _module_name(path: Path) -> str:
    return ".".join(("journal", *path.relative_to(JOURNAL).with_suffix("").parts))


def _modules() -> dict[str, ast.Module]:
    return {_module_name(p): ast.parse(p.read_text(encoding="utf-8")) for p in JOURNAL.rglob("*.py")}


def _imports(tree: ast.Module) -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """(alias → module, name → (module, name)) of a module's imports from journal."""
    modules: dict[str, str] = {}
    names: dict[str, tuple[str, str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("journal"):
            for alias in node.names:
                modules[alias.asname or alias.name] = f"{node.module}.{alias.name}"
                names[alias.asname or alias.name] = (node.module, alias.name)
    return modules, names


def _constants(trees: dict[str, ast.Module]) -> dict[str, dict[str, str]]:
    """module → NAME → string, for module-level ``NAME = "X01"`` and ``NAME = other.NAME``."""
    found: dict[str, dict[str, str]] = {m: {} for m in trees}
    for _ in range(3):  # aliases of aliases
        for module, tree in trees.items():
            modules, names = _imports(tree)
            for node in tree.body:
                if not (isinstance(node, ast.Assign) and len(node.targets) == 1
                        and isinstance(node.targets[0], ast.Name)):
                    continue
                value = _resolve(node.value, module, found, modules, names)
                if value is not None:
                    found[module][node.targets[0].id] = value
    return found


def _resolve(node: ast.expr, module: str, found: dict[str, dict[str, str]], modules: dict[str, str],
             names: dict[str, tuple[str, str]]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Name):
        if node.id in found.get(module, {}):
            return found[module][node.id]
        if node.id in names:
            source, name = names[node.id]
            return found.get(source, {}).get(name)
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules:
        return found.get(modules[node.value.id], {}).get(node.attr)
    return None


def _calls_making_findings() -> list[tuple[str, int, str, str | None]]:
    """(module, line, function, code or None when computed) for every call that makes a finding."""
    trees = _modules()
    constants = _constants(trees)
    calls = []
    for module, tree in trees.items():
        if module == "journal.core.findings":
            continue
        modules, names = _imports(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = (func.id if isinstance(func, ast.Name)
                    else func.attr if isinstance(func, ast.Attribute) else "")
            if name not in MAKERS or (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
                                      and func.value.id in ("log", "logger", "logging")):
                continue
            code = _resolve(node.args[0], module, constants, modules, names)
            calls.append((module, node.lineno, name, code))
    return calls


def test_every_code_raised_in_journal_is_catalogued():
    calls = _calls_making_findings()
    literal = [c for c in calls if c[3] is not None]
    assert len(literal) > 150
    missing = [c for c in literal if c[3] not in CATALOGUE]
    assert missing == []
    wrong = [c for c in literal if MAKERS[c[2]] not in CATALOGUE[str(c[3])].severities]
    assert wrong == []


def test_no_code_of_the_old_styles_is_left():
    old = []
    for path in JOURNAL.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        exported = {id(c) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
                    for c in ast.walk(node.value)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in exported
                    and OLD_STYLE.match(node.value)):
                old.append((path.name, node.lineno, node.value))
    assert old == []


def test_module_code_constants_are_catalogued():
    codes = {(module, name): value for module, values in _constants(_modules()).items()
             for name, value in values.items() if CODE_PATTERN.match(value)}
    assert {key: value for key, value in codes.items() if value not in CATALOGUE} == {}


# -- the docs --------------------------------------------------------------------------------

@pytest.mark.parametrize("page", sorted(catalogue.DOC_TABLES))
def test_docs_tables_are_the_catalogue(page):
    text = (catalogue.docs_dir() / page).read_text(encoding="utf-8")
    assert text == catalogue.with_table(text, catalogue.DOC_TABLES[page]), (
        f"docs/{page} differs from journal/core/catalogue.py: run python -m journal.core.catalogue --write")


def test_the_generated_table_lists_every_code():
    table = catalogue.markdown()
    assert all(f"| `{code}` |" in table for code in CATALOGUE)
    assert "| `N07` | ошибка | не заполнено обязательное поле |" in table


# -- what check and merge print --------------------------------------------------------------

def _school_with_mistakes(root: Path, settings):
    school = new_school(root)
    write_class(school, "5А", class_content(
        "5А", parents=[wf.ParentRecord(A, "Алексеева Мария Ивановна", email="не адрес")]))
    marks = {(A, MON, 1): "x", (B, MON, 1): "5/4/3", (A, WED, 1): "4-", (B, WED, 1): "Н/Б",
             (A, WED, 2): 5}
    content = math_content(marks, topics=False)
    content.kinds[(WED, 2)] = "Танец"
    path = write_subject(school, content)
    edit_cells(path, wf.SHEET_GRID, {grid_cell(path, B, WED, 2): dt.date(2026, 4, 12)})
    return school


def test_check_and_merge_messages_are_catalogued_and_russian(tmp_path, tiny_settings):
    school = _school_with_mistakes(tmp_path / "школа", tiny_settings)
    checked = check_files(school.input_files(), tiny_settings, school=school)
    merged = merge_school(school, tiny_settings, now=dt.datetime(2026, 12, 1, 16))
    findings = [f for o in checked for f in o.findings] + merged.findings
    codes = {f.code for f in findings}
    assert {"M01", "M02", "M04", "M05", "K01", "C06"} <= codes, codes
    for finding in findings:
        assert finding.code in CATALOGUE
        text = finding.format(with_file=False)  # the file's path is the school folder's, not ours
        assert f" · {CATALOGUE[finding.code].title}]" in text
        assert english(text) == [], text
