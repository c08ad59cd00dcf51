"""Plan records to plain data (JSON types) and back, without pydantic, checking every type on the way back.

Used by the cache: an entry is JSON, and reading it back either rebuilds exactly the records that
were written or fails (`PlainError`), never anything else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import types
import typing
from typing import Any

_NONE = type(None)


class PlainError(ValueError):
    """Plain data that is not what the record class says."""


def to_plain(value: Any) -> Any:
    """A record (or list of them, or a value) as JSON types; dates as YYYY-MM-DD."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


@functools.cache
def _fields(cls: type) -> tuple[tuple[str, Any], ...]:
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _unwrap(hints[f.name])) for f in dataclasses.fields(cls) if f.init)


def from_plain(tp: Any, data: Any) -> Any:
    """`data` rebuilt as a value of type `tp` (a record class, list, union, literal, …); PlainError if it is not one."""
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if not isinstance(data, dict):
            raise PlainError(f"{tp.__name__}: expected an object")
        fields = _fields(tp)
        if set(data) != {name for name, _ in fields}:
            raise PlainError(f"{tp.__name__}: fields differ")
        return tp(**{name: from_plain(ftp, data[name]) for name, ftp in fields})
    if origin is list:
        if not isinstance(data, list):
            raise PlainError("expected a list")
        (item,) = typing.get_args(tp)
        return [from_plain(item, v) for v in data]
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(tp):
            try:
                return from_plain(option, data)
            except PlainError:
                continue
        raise PlainError(f"{data!r} fits none of {tp}")
    if origin is typing.Literal:
        if data not in typing.get_args(tp):
            raise PlainError(f"{data!r} is not one of {typing.get_args(tp)}")
        return data
    if tp is _NONE:
        if data is not None:
            raise PlainError("expected null")
        return None
    if tp is dt.date:
        if not isinstance(data, str):
            raise PlainError("expected a date")
        return dt.date.fromisoformat(data)
    if tp is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise PlainError("expected a number")
        return float(data)
    if tp in (str, int, bool):
        if type(data) is not tp:
            raise PlainError(f"expected {tp.__name__}")
        return data
    raise PlainError(f"cannot rebuild {tp}")
