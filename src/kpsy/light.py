"""Data classes that cost nothing to define.

`dataclasses.dataclass` writes and compiles an `__init__`, `__repr__` and `__eq__` for every class,
a third of a millisecond each, and reads every annotation: with kpsy's fifty classes, more than
everything a cached question does. `light` makes the same dataclass (fields, defaults,
`dataclasses.fields`, `asdict`, pydantic all work as usual) with those methods written once, here,
for every class, and leaves dataclasses' own processing until something asks for the fields
(`dataclasses.fields`, `is_dataclass`, pydantic): making and reading objects needs only the names
and defaults, which are taken from the class body as it is written.
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
_FIELD = dataclasses._FIELD  # type: ignore[attr-defined]  # a field proper (not ClassVar or InitVar)


def _defaults(cls: type) -> tuple[tuple[str, Any, Any], ...]:
    """(name, default, default factory) of each field, looked up once for each class."""
    found: tuple[tuple[str, Any, Any], ...] | None = cls.__dict__.get("__light_defaults__")
    if found is None:
        fields = cls.__dataclass_fields__  # type: ignore[attr-defined]
        found = tuple(
            (f.name, f.default, f.default_factory) for f in fields.values() if f._field_type is _FIELD and f.init
        )
        type.__setattr__(cls, "__light_defaults__", found)
    return found


def _written_defaults(cls: type) -> tuple[tuple[str, Any, Any], ...] | None:
    """(name, default, default factory) of each field as the class body writes them, without
    evaluating an annotation; None where only dataclasses can tell (inherited fields, ClassVar,
    InitVar, KW_ONLY, fields left out of `__init__`, annotations that are not strings)."""
    if any("__dataclass_fields__" in base.__dict__ or "__light_kw_only__" in base.__dict__ for base in cls.__mro__[1:]):
        return None
    found = []
    # the class's own annotations, as written (inspect.get_annotations would import inspect: start-up time)
    for name, annotation in cls.__dict__.get("__annotations__", {}).items():  # noqa: RUF063
        if type(annotation) is not str or any(word in annotation for word in _SPECIAL):
            return None
        value = cls.__dict__.get(name, _MISSING)
        if isinstance(value, dataclasses.Field):
            if not value.init or value.kw_only is not _MISSING:
                return None
            found.append((name, value.default, value.default_factory))
        else:
            found.append((name, value, _MISSING))
    return tuple(found)


_SPECIAL = ("ClassVar", "InitVar", "KW_ONLY")


class _Fields:
    """Stands for a light class's `__dataclass_fields__` until something reads them: then the class
    is made a dataclass (once), and what dataclasses made is returned."""

    def __get__(self, obj: Any, cls: type) -> Any:
        return _process(cls).__dict__["__dataclass_fields__"]


def _process(cls: type) -> type:
    if isinstance(cls.__dict__.get("__dataclass_fields__"), _Fields):
        type.__delattr__(cls, "__dataclass_fields__")
        _as_dataclass(cls, cls.__dict__["__light_kw_only__"])
    return cls


def _as_dataclass(target: Any, kw_only: bool) -> Any:
    """`target` made a dataclass by dataclasses, with light's shared methods."""
    hashable = target.__dict__.get("__hash__") is _hash
    made: Any = dataclasses.dataclass(init=False, repr=False, eq=False, kw_only=kw_only)(target)
    made.__init__ = _init
    made.__repr__ = _repr
    made.__eq__ = _eq
    made.__hash__ = _hash if hashable else None
    return made


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
    return tuple(getattr(self, name) for name, _, _ in _defaults(type(self)))


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

    def make(target: Any) -> Any:
        if not target.__doc__:  # else dataclass builds one with inspect.signature: milliseconds of start-up
            target.__doc__ = target.__name__
        written = _written_defaults(target)
        if written is None:
            made = _as_dataclass(target, kw_only)
            made.__hash__ = _hash if hashable else None
            return made
        target.__light_kw_only__ = kw_only
        target.__light_defaults__ = written
        target.__dataclass_fields__ = _Fields()
        target.__init__ = _init
        target.__repr__ = _repr
        target.__eq__ = _eq
        target.__hash__ = _hash if hashable else None
        return target

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
