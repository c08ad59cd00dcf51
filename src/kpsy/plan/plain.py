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
    """(name, type) of each field; from the compiled shapes when kpsy made them for this class
    (reading a class's annotations costs milliseconds), else from its type hints."""
    from kpsy.plan.validators import compiled_fields

    known = compiled_fields(cls)
    if known is not None:
        return known
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _unwrap(hints[f.name])) for f in dataclasses.fields(cls) if f.init)


def from_plain(tp: Any, data: Any) -> Any:
    """`data` rebuilt as a value of type `tp` (a record class, list, union, literal, …); PlainError if it is not one."""
    return _converter(tp)(data)


Converter = typing.Callable[[Any], Any]


@functools.cache
def _converter(tp: Any) -> Converter:
    """A function that rebuilds plain data as `tp`, made once per type (checking each value's type
    with the type's own code, not by inspecting the type again for every value)."""
    tp = _unwrap(tp)
    origin = typing.get_origin(tp)
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        return _record_converter(tp)
    if origin is list:
        return _list_converter(*typing.get_args(tp))
    if origin is dict:
        return _dict_converter(*typing.get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return _union_converter(tp)
    if origin is typing.Literal:
        return _literal_converter(typing.get_args(tp))
    if tp is _NONE:
        return _none
    if tp is dt.date:
        return _date
    if tp is float:
        return _float
    if tp in (str, int, bool):
        return functools.partial(_exactly, tp)
    raise PlainError(f"cannot rebuild {tp}")


def _list_converter(item_type: Any) -> Converter:
    item = _converter(item_type)

    def to_list(data: Any) -> list[Any]:
        if type(data) is not list:
            raise PlainError("expected a list")
        return [item(v) for v in data]

    return to_list


def _dict_converter(key_type: Any, value_type: Any) -> Converter:
    key, value = _converter(key_type), _converter(value_type)

    def to_dict(data: Any) -> dict[Any, Any]:
        if type(data) is not dict:
            raise PlainError("expected an object")
        return {key(k): value(v) for k, v in data.items()}

    return to_dict


def _union_converter(tp: Any) -> Converter:
    """The first of the union's types that the data fits."""
    options = [_converter(option) for option in typing.get_args(tp)]

    def to_union(data: Any) -> Any:
        for option in options:
            try:
                return option(data)
            except PlainError:
                continue
        raise PlainError(f"{data!r} fits none of {tp}")

    return to_union


def _literal_converter(allowed: tuple[Any, ...]) -> Converter:
    def to_literal(data: Any) -> Any:
        if data not in allowed:
            raise PlainError(f"{data!r} is not one of {allowed}")
        return data

    return to_literal


def _record_converter(cls: type) -> Converter:
    fields = [(name, _lazy(ftp)) for name, ftp in _fields(cls)]
    names = {name for name, _ in fields}

    def to_record(data: Any) -> Any:
        if type(data) is not dict:
            raise PlainError(f"{cls.__name__}: expected an object")
        if data.keys() != names:
            raise PlainError(f"{cls.__name__}: fields differ")
        return cls(**{name: convert(data[name]) for name, convert in fields})

    return to_record


def _lazy(tp: Any) -> Converter:
    """The converter for `tp`, made when first needed (records may refer to each other)."""
    made: list[Converter] = []

    def convert(data: Any) -> Any:
        if not made:
            made.append(_converter(tp))
        return made[0](data)

    return convert


def _none(data: Any) -> None:
    if data is not None:
        raise PlainError("expected null")


def _date(data: Any) -> dt.date:
    if type(data) is not str:
        raise PlainError("expected a date")
    try:
        return dt.date.fromisoformat(data)
    except ValueError:
        raise PlainError(f"{data!r} is not a date") from None


def _float(data: Any) -> float:
    if type(data) is bool or type(data) not in (int, float):
        raise PlainError("expected a number")
    return float(data)


def _exactly(tp: type, data: Any) -> Any:
    if type(data) is not tp:
        raise PlainError(f"expected {tp.__name__}")
    return data
