"""``typing.NamedTuple``'s class syntax without importing ``typing``.

The quick commands (``netjournal.cli_quick``) make a few named tuples (a search hit, a
listed reflection), and ``typing`` costs them ~3 ms to import, a tenth of their own
work.  Modules on that path write

    TYPE_CHECKING = False
    if TYPE_CHECKING:
        from typing import NamedTuple
    else:
        from netjournal.named import NamedTuple

so that type checkers see ``typing``'s, and the program gets the same class from
``collections.namedtuple`` here: the annotated fields in order, their defaults, and
the class's own methods, properties and docstring, as ``typing.NamedTupleMeta`` makes
it (CPython 3.11).  A test compares the two.
"""

from __future__ import annotations

import collections

_SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})
_PROHIBITED = frozenset({"__new__", "__init__", "__slots__", "__getnewargs__", "_fields", "_field_defaults",
                         "_make", "_replace", "_asdict", "_source"})


class _Meta(type):
    def __new__(mcs, typename: str, bases: tuple[type, ...], namespace: dict[str, object]) -> type:
        if bases != (_Base,):
            raise TypeError("a named tuple has no other base")
        fields = list(namespace.get("__annotations__", {}))  # type: ignore[call-overload]
        defaults = [name for name in fields if name in namespace]
        if defaults != fields[len(fields) - len(defaults):]:
            raise TypeError(f"{typename}: a field without a default after one with a default")
        made = collections.namedtuple(typename, fields, defaults=[namespace[name] for name in defaults],
                                      module=namespace["__module__"])  # type: ignore[arg-type]
        made.__annotations__ = dict(namespace.get("__annotations__", {}))  # type: ignore[call-overload]
        for key, value in namespace.items():
            if key in _PROHIBITED:
                raise AttributeError(f"cannot overwrite NamedTuple attribute {key}")
            if key not in _SPECIAL and key not in fields:
                setattr(made, key, value)
        return made


_Base = type.__new__(_Meta, "NamedTuple", (), {})


def NamedTuple() -> None:  # noqa: N802  (typing's name)
    """Only the class syntax: ``class Hit(NamedTuple): path: str``."""
    raise TypeError("use the class syntax")


NamedTuple.__mro_entries__ = lambda bases: (_Base,)  # type: ignore[attr-defined]
