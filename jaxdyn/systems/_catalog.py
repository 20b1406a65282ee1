"""Finding systems by name: `names()`, `get("Lorenz", rho=30.0)`."""

from __future__ import annotations

import difflib
import inspect

from . import _flows, _hyperchaos, _models, _sprott
from ._system import AbstractSystem


def _systems_of(module) -> dict[str, type[AbstractSystem]]:
    return {
        name: cls
        for name, cls in vars(module).items()
        if inspect.isclass(cls)
        and issubclass(cls, AbstractSystem)
        and cls.__module__ == module.__name__
    }


_CATALOG: dict[str, type[AbstractSystem]] = {
    name: cls
    for module in (_flows, _sprott, _hyperchaos, _models)
    for name, cls in _systems_of(module).items()
}


def names() -> list[str]:
    """The names of the systems in the catalog, sorted."""
    return sorted(_CATALOG)


def get(name: str, **parameters) -> AbstractSystem:
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
