"""The contract of a chaotic flow dy/dt = f(t, y; θ), and the published facts about it."""

from __future__ import annotations

import abc
import functools
import json
from importlib import resources
from typing import ClassVar, NamedTuple

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float


class SystemInfo(NamedTuple):
    """Published facts about a system, from the dysts database (Gilpin 2021; see
    `jaxdyn/systems/data/NOTICE.md`). The invariants are dysts's numerical estimates."""

    name: str
    description: str
    citation: str
    dimension: int
    initial_conditions: tuple[float, ...]
    dt: float
    period: float
    parameters: dict
    maximum_lyapunov: float | None
    lyapunov_spectrum: tuple[float, ...] | None
    kaplan_yorke_dimension: float | None
    correlation_dimension: float | None


class Invariants(NamedTuple):
    """Invariants from the literature, with their source."""

    lyapunov_spectrum: tuple[float, ...]
    kaplan_yorke_dimension: float | None
    source: str


@functools.cache
def _database() -> dict:
    text = resources.files("jaxdyn.systems").joinpath("data/chaotic_attractors.json").read_text()
    return json.loads(text)


def system_info(name: str) -> SystemInfo:
    """The dysts record of the system called `name`."""
    record = _database()[name]
    spectrum = record.get("lyapunov_spectrum_estimated")
    return SystemInfo(
        name=name,
        description=record.get("description", ""),
        citation=record.get("citation", ""),
        dimension=int(record["embedding_dimension"]),
        initial_conditions=tuple(record["initial_conditions"]),
        dt=float(record["dt"]),
        period=float(record["period"]),
        parameters=dict(record["parameters"]),
        maximum_lyapunov=record.get("maximum_lyapunov_estimated"),
        lyapunov_spectrum=tuple(spectrum) if spectrum else None,
        kaplan_yorke_dimension=record.get("kaplan_yorke_dimension"),
        correlation_dimension=record.get("correlation_dimension"),
    )


class _CatalogEntry(eqx.Module):
    """What every catalogued system shares: the class's name keys its record in the dysts
    database (`info()`); `published`, where set, holds literature invariants with their
    source; `variable_dimension` systems accept states of any length >= the recorded one."""

    published: ClassVar[Invariants | None] = None
    variable_dimension: ClassVar[bool] = False

    @classmethod
    def info(cls) -> SystemInfo:
        """The system's dysts record (a `ValueError` for systems it does not hold)."""
        if not cls.has_info():
            raise ValueError(
                f"{cls.__name__} has no record in the dysts database: pass y0 explicitly"
            )
        return system_info(cls.__name__)

    @classmethod
    def has_info(cls) -> bool:
        return cls.__name__ in _database()


class AbstractSystem(_CatalogEntry):
    """A continuous-time system dy/dt = rhs(t, y). Parameters are fields declared with
    `jaxdyn.systems.parameter` (JAX arrays: `jax.grad` and `jax.vmap` see them, new values
    never recompile)."""

    @property
    def dimension(self) -> int:
        return self.info().dimension

    def default_ic(self, dtype=None) -> Float[Array, " dim"]:
        """A point on the attractor (dysts's initial condition)."""
        return jnp.asarray(self.info().initial_conditions, dtype=dtype)

    @abc.abstractmethod
    def rhs(self, t: Float[Array, ""], y: Float[Array, " dim"]) -> Float[Array, " dim"]:
        """The vector field."""

    def jacobian(self, t, y) -> Float[Array, "dim dim"]:
        """∂f/∂y at (t, y), by forward-mode autodiff."""
        return jax.jacfwd(lambda state: self.rhs(t, state))(y)
