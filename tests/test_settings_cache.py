"""The per-user cache of read settings: the same file on the same day is read once."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from conftest import make_tiny_settings

from journal.core.errors import SettingsError
from journal.workbooks import settings_cache, settings_reader
from journal.workbooks.settings_reader import load_settings
from journal.workbooks.settings_writer import write_settings_workbook


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(settings_cache.CACHE_ENV, str(folder))
    return folder


@pytest.fixture
def reads(monkeypatch):
    """Every time the settings workbook is really read."""
    calls: list[object] = []
    real = settings_reader.read_settings

    def counted(path, data=None):
        calls.append(path)
        return real(path, data)

    monkeypatch.setattr(settings_reader, "read_settings", counted)
    return calls


def test_the_same_file_is_read_once_and_gives_equal_settings(tmp_path, cache, reads):
    path = tmp_path / "Настройки.xlsx"
    write_settings_workbook(make_tiny_settings(), path)
    first = load_settings(path)
    second = load_settings(path)
    assert len(reads) == 1
    assert second == first
    assert [p.suffix for p in (cache / "settings").iterdir()] == [".json"]


def test_a_changed_file_another_day_or_no_cache_read_it_again(tmp_path, cache, reads, monkeypatch):
    path = tmp_path / "Настройки.xlsx"
    write_settings_workbook(make_tiny_settings(), path)
    load_settings(path)
    write_settings_workbook(replace(make_tiny_settings(), school_name="Другая школа"), path)
    assert load_settings(path).school_name == "Другая школа"
    assert len(reads) == 2
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    real_key = settings_cache.key_of
    monkeypatch.setattr(settings_cache, "key_of", lambda data, today=None: real_key(data, tomorrow))
    load_settings(path)
    assert len(reads) == 3
    monkeypatch.setenv(settings_cache.CACHE_ENV, "")
    load_settings(path)
    load_settings(path)
    assert len(reads) == 5


def test_settings_with_errors_are_never_cached(tmp_path, cache, reads):
    path = tmp_path / "Настройки.xlsx"
    write_settings_workbook(make_tiny_settings(), path)
    path.write_bytes(b"not a workbook")
    for _ in range(2):
        with pytest.raises(SettingsError):
            load_settings(path)
    assert len(reads) == 2
    assert not (cache / "settings").exists() or not list((cache / "settings").iterdir())


def test_an_unreadable_cache_entry_is_read_anew(tmp_path, cache, reads):
    path = tmp_path / "Настройки.xlsx"
    write_settings_workbook(make_tiny_settings(), path)
    first = load_settings(path)
    for entry in (cache / "settings").iterdir():
        entry.write_text("{broken", encoding="utf-8")
    assert load_settings(path) == first
    assert len(reads) == 2
