"""A tiny run of the benchmark generator and of one benchmark, so that they never rot.

No timing is asserted: only that a synthetic school merges cleanly, that a derived
workbook is a distinct valid workbook of its own class, and that a benchmark script
prints its JSON / summary.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"
sys.path.insert(0, str(BENCH))

import merge_run  # noqa: E402
import synthetic  # noqa: E402

from journal.intake.merge import file_sha256, validate_read  # noqa: E402
from journal.intake.validation import KnownStudent  # noqa: E402
from journal.school.folder import subject_workbook_name  # noqa: E402
from journal.workbooks.reading import read_workbook  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture()
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("JOURNAL_BENCH_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_tiny_school_merges_cleanly_and_is_cached(cache: Path, capsys: pytest.CaptureFixture[str]) -> None:
    school, settings = synthetic.ensure_school(8)
    files = synthetic.workbook_paths(school)
    assert len(files) == 9  # 8 subject workbooks + the class teacher's
    assert [item.class_name for item in settings.curriculum] == ["5А"] * 8

    assert merge_run.main(["--size", "8", "--mode", "cold"]) == 0
    cold = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert cold["counts"]["merged"] == 9
    assert cold["findings"] == 0
    assert cold["wall"] > 0 and cold["peak"] > 0

    assert merge_run.main(["--size", "8", "--mode", "one-changed"]) == 0
    changed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert changed["counts"] == {"merged": 1, "unchanged": 8, "rejected": 0, "held": 0,
                                 "unreadable": 0}
    assert changed["changes"] >= 1  # the changed marks are corrections

    stamp = (school.root / synthetic.COMPLETE).stat().st_mtime
    again, _ = synthetic.ensure_school(8)
    assert (again.root / synthetic.COMPLETE).stat().st_mtime == stamp


def test_derived_workbook_is_a_valid_workbook_of_another_class(cache: Path, tmp_path: Path) -> None:
    seeds = synthetic.ensure_seeds(1)
    settings = synthetic.synthetic_settings(synthetic.SEED_CLASSES * 8 + 8)
    seed_class, new_class = synthetic.class_of(0), synthetic.class_of(synthetic.SEED_CLASSES)
    assert new_class.name != seed_class.name and new_class.grade == seed_class.grade
    source = seeds / "class-0" / subject_workbook_name(seed_class.name, "Математика")
    target = tmp_path / "derived.xlsx"
    synthetic.derive_workbook(source, target, seed_class.name, new_class.name, tweak=5)

    assert file_sha256(target) != file_sha256(source)
    original, derived = read_workbook(source), read_workbook(target)
    assert derived.ok, derived.findings
    assert derived.workbook is not None and original.workbook is not None
    assert derived.workbook.meta.class_name == new_class.name
    differ = [(i, j) for i, row in enumerate(derived.workbook.marks)
              for j, value in enumerate(row) if value != original.workbook.marks[i][j]]
    assert 1 <= len(differ) <= 3

    class_list = [KnownStudent(s.full_name) for s in synthetic.class_students(0)]
    validated = validate_read(derived.workbook, settings, "derived.xlsx", None,
                              {new_class.name: class_list}, today=synthetic.AS_OF)
    assert validated.records is not None and not validated.has_errors, validated.findings[:3]
    assert validated.records.class_name == new_class.name


def test_merge_in_small_batches_gives_the_same_dataset(cache: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Read batches (and workbooks held as bytes between them) change nothing in the data."""
    import shutil

    from journal.dataset import store
    from journal.intake import merge
    from journal.school.folder import SchoolFolder

    school, settings = synthetic.ensure_school(8)
    dumps = []
    for batch in (1000, 2):
        copy = SchoolFolder(tmp_path / f"batch-{batch}")
        shutil.copytree(school.root, copy.root, ignore=shutil.ignore_patterns("journal.sqlite*"))
        monkeypatch.setattr(merge, "READ_BATCH", batch, raising=False)
        result = merge.merge_school(copy, settings, now=synthetic.MERGE_AT)
        assert result.count("merged") == 9
        with store.opened(copy.store_path) as conn:
            dumps.append([line for line in store.dump(conn)
                          if not line.startswith(('INSERT INTO "merges"', 'INSERT INTO "merge_files"',
                                                     'INSERT INTO "chain"'))])
    assert dumps[0] == dumps[1]


def test_synthetic_class_names_never_repeat_and_keep_their_seed_grade() -> None:
    classes = [synthetic.class_of(k) for k in range(1300)]  # a district's 10,000 workbooks
    assert len({c.name for c in classes}) == len(classes)
    assert all(c.grade == synthetic.class_of(synthetic.seed_of(k)).grade for k, c in enumerate(classes))
