"""Finding systems by name: `names()`, `get("Lorenz", rho=30.0)`."""

import difflib
import inspect

from . import (
    _biology,
    _delay,
    _flows,
    _geophysics,
    _hyperchaos,
    _jerk,
    _mechanics,
    _models,
    _sprott,
    _transport,
    _variants,
)
from ._delay import AbstractDelaySystem
from ._system import AbstractSystem

_MODULES = (
    _flows, _variants, _sprott, _jerk, _hyperchaos, _geophysics, _mechanics, _transport,
    _models, _biology, _delay,
)  # fmt: skip


def _systems_of(module) -> dict[str, type]:
    return {
        name: cls
        for name, cls in vars(module).items()
        if inspect.isclass(cls)
        and issubclass(cls, AbstractSystem | AbstractDelaySystem)
        and not inspect.isabstract(cls)
        and cls.__module__ == module.__name__
    }


_CATALOG: dict[str, type] = {
    name: cls for module in _MODULES for name, cls in _systems_of(module).items()
}


def names() -> list[str]:
    """The names of the systems in the catalog, sorted."""
    return sorted(_CATALOG)


def get(name: str, **parameters) -> AbstractSystem | AbstractDelaySystem:
    """The system called `name`, with any default parameters replaced by `parameters`."""
    if name not in _CATALOG:
        close = difflib.get_close_matches(name, _CATALOG, n=3, cutoff=0.5)
        hint = f"closest: {', '.join(close)}" if close else "systems.names() lists them all"
        raise ValueError(f"systems.get: unknown system {name!r}; {hint}")
    cls = _CATALOG[name]
    known = set(cls.__dataclass_fields__)
    unknown = set(parameters) - known
    if unknown:
        raise ValueError(
            f"systems.get: {name} has no parameter(s) {sorted(unknown)}; "
            f"expected some of {sorted(known)}"
        )
    return cls(**parameters)
