"""Validating a plan file's data against its record class, with pydantic, fast.

pydantic builds a validator from a record class by generating a core schema, which takes most of a
second's tenth for kpsy's records: more than everything else a command does. So the core schemas
are generated ahead of time, by pydantic, into `kpsy/plan/_compiled.py` (a Python literal that
names kpsy's own classes and check functions; no data from outside), and a validator is made from
them with pydantic-core directly. When the records or the installed pydantic-core differ from those
the file was made with, validators are built by pydantic as usual: slower, never wrong.

    python -m kpsy.plan.validators    # rewrite kpsy/plan/_compiled.py and _fields.py after changing the records
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, TypeVar

from kpsy.plan import model

T = TypeVar("T")
COMPILED = Path(__file__).with_name("_compiled.py")
FIELDS = Path(__file__).with_name(
    "_fields.py"
)  # the fields alone: what a cached plan needs, read in a fraction of the time


def model_hash() -> str:
    """A digest of the records' source: what the compiled schemas were made from."""
    try:  # BLAKE2 without importing hashlib, which loads OpenSSL: start-up time
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - a Python built without it
        from hashlib import blake2b

    return blake2b(Path(model.__file__).read_bytes(), digest_size=16).hexdigest()


def core_version() -> str:
    import pydantic_core

    return str(pydantic_core.__version__)


@functools.cache
def _current() -> Any:
    """kpsy/plan/_compiled.py when it was made from the records as they are, else None."""
    try:
        from kpsy.plan import _compiled as compiled
    except ImportError:  # pragma: no cover - the file is part of the package
        return None
    return compiled if model_hash() == compiled.MODEL_HASH else None


@functools.cache
def _compiled() -> dict[str, Any]:
    """The compiled core schemas, when they fit the records and the installed pydantic-core."""
    compiled = _current()
    if compiled is None or core_version() != compiled.CORE_VERSION:
        return {}
    return compiled.SCHEMAS  # type: ignore[no-any-return]


@functools.cache
def _current_fields() -> Any:
    """kpsy/plan/_fields.py when it was made from the records as they are, else None."""
    try:
        from kpsy.plan import _fields as fields
    except ImportError:  # pragma: no cover - the file is part of the package
        return None
    return fields if model_hash() == fields.MODEL_HASH else None


def compiled_fields(cls: type) -> tuple[tuple[str, Any], ...] | None:
    """(name, type) of each field of a record class, as written into kpsy/plan/_fields.py."""
    fields = _current_fields()
    if fields is None or getattr(model, cls.__name__, None) is not cls:
        return None
    return fields.FIELDS.get(cls.__name__)  # type: ignore[no-any-return]


@functools.cache
def validator(cls: type) -> Any:
    """Something with `validate_python(data)` that returns a `cls` record or raises a ValidationError."""
    schema = _compiled().get(cls.__name__) if getattr(model, cls.__name__, None) is cls else None
    if schema is not None:
        from pydantic_core import SchemaError, SchemaValidator

        try:
            return SchemaValidator(schema)
        except SchemaError:  # pragma: no cover - pydantic-core changed its schema format
            pass
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def validate(cls: type[T], data: Any) -> T:
    """`data` as a `cls` record; raises pydantic_core.ValidationError when its shape is wrong."""
    chosen: Any = validator(cls)  # type: ignore[arg-type]
    return chosen.validate_python(data)  # type: ignore[no-any-return]


# --- writing kpsy/plan/_compiled.py ---------------------------------------------------------------

_REF_ID = re.compile(r":\d+$")  # pydantic suffixes refs with id(cls), which changes every run


def _source(value: Any, indent: str = "") -> str:
    """`value` (a core schema) as Python source that rebuilds it from kpsy's own names."""
    inner = indent + "    "
    if isinstance(value, dict):
        items = [
            f"{inner}{key!r}: {_source(item, inner)},"
            for key, item in value.items()
            if key != "metadata"  # JSON Schema hooks: not needed to validate
        ]
        return "{\n" + "\n".join(items) + f"\n{indent}}}" if items else "{}"
    if isinstance(value, list | tuple):
        items = [f"{inner}{_source(item, inner)}," for item in value]
        body = "[\n" + "\n".join(items) + f"\n{indent}]" if items else "[]"
        return body if isinstance(value, list) else f"tuple({body})"
    if isinstance(value, str):
        return repr(_REF_ID.sub("", value))
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if value in (list, dict, set, tuple, frozenset):
        return value.__name__  # type: ignore[no-any-return]
    name = getattr(value, "__name__", None)
    if name is not None and getattr(model, name, None) is value:
        return f"model.{name}"
    raise ValueError(f"cannot write {value!r} into a compiled schema: give it a name in kpsy.plan.model")


def _type_source(tp: Any) -> str:
    """A field's type (Annotated markers dropped) as Python source naming kpsy's and typing's names."""
    import datetime as dt
    import types
    import typing

    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    origin = typing.get_origin(tp)
    if origin is list:
        return f"list[{_type_source(typing.get_args(tp)[0])}]"
    if origin is dict:
        key, value = typing.get_args(tp)
        return f"dict[{_type_source(key)}, {_type_source(value)}]"
    if origin in (typing.Union, types.UnionType):
        return " | ".join(_type_source(a) for a in typing.get_args(tp))  # cheaper to build than typing.Union
    if origin is typing.Literal:
        return "typing.Literal[" + ", ".join(repr(a) for a in typing.get_args(tp)) + "]"
    if tp is type(None):
        return "None"
    if tp is dt.date:
        return "dt.date"
    if tp in (str, int, float, bool):
        return tp.__name__  # type: ignore[no-any-return]
    return _source(tp)


def _records() -> list[type]:
    """Every record class of kpsy.plan.model."""
    import dataclasses

    return [
        cls
        for cls in vars(model).values()
        if isinstance(cls, type) and dataclasses.is_dataclass(cls) and hasattr(cls, "__pydantic_config__")
    ]


_HEAD = (
    '"""{what} of the plan-file records, generated by `python -m kpsy.plan.validators`:\n'
    'do not edit (see kpsy/plan/validators.py)."""\n\n'
    "# ruff: noqa\n"
    "# fmt: off\n"
    "import datetime as dt\n"
    "import typing\n\n"
    "from kpsy.plan import model\n\n"
)


def compiled_source() -> str:
    """The text of kpsy/plan/_compiled.py for the records as they are now."""
    from pydantic import TypeAdapter

    from kpsy.plan.kinds import KINDS

    schemas = {}
    for kind in KINDS.values():
        if getattr(model, kind.model.__name__, None) is kind.model:
            schemas[kind.model.__name__] = TypeAdapter(kind.model).core_schema
    body = ",\n".join(f"    {name!r}: {_source(schema, '    ')}" for name, schema in schemas.items())
    return (
        _HEAD.format(what="pydantic core schemas")
        + f"MODEL_HASH = {model_hash()!r}\n"
        + f"CORE_VERSION = {core_version()!r}\n\n"
        + f"SCHEMAS = {{\n{body},\n}}\n"
    )


def fields_source() -> str:
    """The text of kpsy/plan/_fields.py: (name, type) of each field of each record, for rebuilding
    records from a cached plan without reading annotations or loading the core schemas."""
    import dataclasses
    import typing

    fields = []
    for cls in _records():
        hints = typing.get_type_hints(cls)
        inner = "".join(f"({f.name!r}, {_type_source(hints[f.name])}), " for f in dataclasses.fields(cls) if f.init)
        fields.append(f"    {cls.__name__!r}: ({inner}),")
    return (
        _HEAD.format(what="The fields")
        + f"MODEL_HASH = {model_hash()!r}\n\n"
        + "FIELDS = {\n"
        + "\n".join(fields)
        + "\n}\n"
    )


def main() -> None:
    from kpsy.util import write_atomic

    write_atomic(COMPILED, compiled_source())
    write_atomic(FIELDS, fields_source())


if __name__ == "__main__":
    main()
