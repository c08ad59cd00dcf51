"""Data classes that cost nothing to define.

`dataclasses.dataclass` writes and compiles an `__init__`, `__repr__` and `__eq__` for every class,
a third of a millisecond each: with kpsy's fifty classes, more than everything a cached question
does. `light` makes the same dataclass (fields, defaults, `dataclasses.fields`, `asdict`, pydantic
all work as usual) with those methods written once, here, for every class.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, overload

if TYPE_CHECKING:  # for type checkers only: importing typing_extensions costs start-up time
    from typing_extensions import dataclass_transform as dataclass_transform
else:

    def dataclass_transform(**_: Any) -> Callable[[T], T]:
        return lambda decorated: decorated


T = TypeVar("T")
_MISSING = dataclasses.MISSING


def _names(cls: type) -> tuple[str, ...]:
    names: tuple[str, ...] | None = cls.__dict__.get("__light_names__")
    if names is None:
        names = tuple(f.name for f in dataclasses.fields(cls) if f.init)
        type.__setattr__(cls, "__light_names__", names)
    return names


def _defaults(cls: type) -> tuple[tuple[str, Any, Any], ...]:
    """(name, default, default factory) of each field, looked up once for each class."""
    found: tuple[tuple[str, Any, Any], ...] | None = cls.__dict__.get("__light_defaults__")
    if found is None:
        fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
        found = tuple((name, fields[name].default, fields[name].default_factory) for name in _names(cls))
        type.__setattr__(cls, "__light_defaults__", found)
    return found


def _init(self: Any, *args: Any, **kwargs: Any) -> None:
    cls = type(self)
    defaults = _defaults(cls)
    if len(args) > len(defaults):
        raise TypeError(f"{cls.__name__}() takes {len(defaults)} arguments, {len(args)} given")
    setter = object.__setattr__
    for (name, _, _), value in zip(defaults, args, strict=False):
        if name in kwargs:
            raise TypeError(f"{cls.__name__}() got two values for {name!r}")
        setter(self, name, value)
    for name, default, factory in defaults[len(args) :]:
        if name in kwargs:
            value = kwargs.pop(name)
        elif default is not _MISSING:
            value = default
        elif factory is not _MISSING:
            value = factory()
        else:
            raise TypeError(f"{cls.__name__}() missing argument {name!r}")
        setter(self, name, value)
    if kwargs:
        raise TypeError(f"{cls.__name__}() got unexpected arguments {', '.join(map(repr, kwargs))}")
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:
        post_init()


def _values(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, f.name) for f in dataclasses.fields(self))


def _repr(self: Any) -> str:
    inner = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr)
    return f"{type(self).__qualname__}({inner})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is not self.__class__:
        return NotImplemented
    return _values(self) == _values(other)


def _hash(self: Any) -> int:
    return hash(_values(self))


@overload
@dataclass_transform(field_specifiers=(dataclasses.field,))
def light(cls: type[T], /) -> type[T]: ...


@overload
@dataclass_transform(field_specifiers=(dataclasses.field,))
def light(*, kw_only: bool = False, hashable: bool = False) -> Callable[[type[T]], type[T]]: ...


def light(cls: Any = None, /, *, kw_only: bool = False, hashable: bool = False) -> Any:
    """A dataclass (keyword-only fields with `kw_only`, usable as a dict key with `hashable`) whose
    methods are shared rather than generated. Treat its objects as read-only."""

    def make(target: type[T]) -> type[T]:
        if not target.__doc__:  # else dataclass builds one with inspect.signature: milliseconds of start-up
            target.__doc__ = target.__name__
        made = dataclasses.dataclass(init=False, repr=False, eq=False, kw_only=kw_only)(target)
        made.__init__ = _init  # type: ignore[method-assign]
        made.__repr__ = _repr  # type: ignore[method-assign]
        made.__eq__ = _eq  # type: ignore[method-assign]
        made.__hash__ = _hash if hashable else None  # type: ignore[method-assign, assignment]
        return made

    return make if cls is None else make(cls)


def shallow(obj: Any) -> dict[str, Any]:
    """A data class's fields as a dict, values as they are (`dataclasses.asdict` copies them deeply)."""
    return {f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}


def glob_match(name: str, pattern: str) -> bool:
    """`name` matches `pattern`, in which one `*` stands for any characters (fnmatch compiles a regular
    expression for each pattern: start-up time)."""
    if "*" not in pattern:
        return name == pattern
    head, _, tail = pattern.partition("*")
    if "*" in tail:
        import fnmatch

        return fnmatch.fnmatchcase(name, pattern)
    return len(name) >= len(head) + len(tail) and name.startswith(head) and name.endswith(tail)


def lazy_re(regex: str, flags: int = 0) -> Callable[[], re.Pattern[str]]:
    """A regular expression compiled when first used: `PATTERN().match(...)`. Compiled at import,
    kpsy's expressions would cost more than a question answered from the cache (one class of CJK
    ranges alone takes milliseconds), though most runs use few of them."""
    compiled: list[re.Pattern[str]] = []

    def get() -> re.Pattern[str]:
        if not compiled:
            compiled.append(re.compile(regex, flags))
        return compiled[0]

    return get
