"""The school's settings as JSON text and back (the district database keeps them per school).

Every dataclass of :mod:`journal.school.settings` is written field by field with its class
name, so a field added to the model is carried without a change here. Dates are ISO text,
tuples lists, frozensets sorted lists. Reading back gives a :class:`Settings` equal to the one
written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Any

from journal.school import settings as model

_CLASSES: dict[str, type] = {name: cls for name, cls in vars(model).items()
                             if isinstance(cls, type) and dataclasses.is_dataclass(cls)
                             and cls.__module__ == model.__name__}


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        data = {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
        return {"$": type(value).__name__, **data}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, frozenset):
        return {"$set": sorted((_encode(v) for v in value), key=repr)}
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[_encode(k), _encode(v)] for k, v in value.items()]}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if not isinstance(value, dict):
        return value
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    if "$set" in value:
        return frozenset(_decode(v) for v in value["$set"])
    if "$dict" in value:
        return {_decode(k): _decode(v) for k, v in value["$dict"]}
    cls = _CLASSES[value["$"]]
    return cls(**{k: _decode(v) for k, v in value.items() if k != "$"})


def settings_to_json(settings: model.Settings) -> str:
    """The settings as compact JSON text (keys sorted, so equal settings give equal text)."""
    return json.dumps(_encode(settings), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def settings_from_json(text: str) -> model.Settings:
    """The :class:`Settings` that :func:`settings_to_json` wrote."""
    settings = _decode(json.loads(text))
    if not isinstance(settings, model.Settings):
        raise ValueError("not the settings of a school")
    return settings
