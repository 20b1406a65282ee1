"""The contract of a chaotic flow dy/dt = f(t, y; θ), and the published facts about it."""

import abc
import functools
import json
from importlib import resources
from typing import ClassVar, NamedTuple

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

from .._checks import check_positive


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
    """What every system shares: metadata on the class, with the dysts record (keyed by the
    class's name, `info()`) as the fallback for catalogued systems.

    Class-level metadata a user-defined system may set (each `None` = unknown):

    - `default_state`: a point on (or near) the attractor, the default initial state;
    - `dominant_period`: the dominant period, the time scale of default horizons and steps;
    - `maximum_lyapunov`: λ₁ where known (its inverse is the Lyapunov time).

    `published`, where set, holds literature invariants with their source;
    `variable_dimension` systems accept states of any length >= the recorded one.
    """

    default_state: ClassVar[tuple[float, ...] | None] = None
    dominant_period: ClassVar[float | None] = None
    maximum_lyapunov: ClassVar[float | None] = None
    published: ClassVar[Invariants | None] = None
    variable_dimension: ClassVar[bool] = False

    @classmethod
    def info(cls) -> SystemInfo:
        """The system's dysts record (a `ValueError` for systems it does not hold)."""
        if not cls.has_info():
            raise ValueError(
                f"{cls.__name__} has no record in the dysts database: pass y0 (and period) "
                "explicitly, or set default_state and dominant_period on the class"
            )
        return system_info(cls.__name__)

    @classmethod
    def has_info(cls) -> bool:
        return cls.__name__ in _database()

    @classmethod
    def period(cls) -> float | None:
        """The dominant period: the class's `dominant_period`, else the dysts record's, else
        None."""
        if cls.dominant_period is not None:
            return float(cls.dominant_period)
        return cls.info().period if cls.has_info() else None

    @classmethod
    def lyapunov_time(cls) -> float | None:
        """1/λ₁ where λ₁ is known and positive (class, then published, then dysts), else
        None."""
        exponent = cls.maximum_lyapunov
        if exponent is None and cls.published is not None:
            exponent = cls.published.lyapunov_spectrum[0]
        if exponent is None and cls.has_info():
            exponent = cls.info().maximum_lyapunov
        return 1.0 / exponent if exponent is not None and exponent > 0 else None

    @classmethod
    def _state_from_class(cls, dtype):
        if cls.default_state is not None:
            return jnp.asarray(cls.default_state, dtype=dtype)
        return None


def resolve_period(system, period, what: str) -> float:
    """`period` if given (checked > 0), else the system's dominant period; a ValueError
    naming the argument when neither is known."""
    if period is None:
        period = system.period()
        if period is None:
            raise ValueError(
                f"{what}: {type(system).__name__} has no known dominant period; pass period= "
                "(or set dominant_period on the class)"
            )
    return check_positive(period, "period", what)


class AbstractSystem(_CatalogEntry):
    """A continuous-time system dy/dt = rhs(t, y). Parameters are fields declared with
    `jaxdyn.systems.parameter` (JAX arrays: `jax.grad` and `jax.vmap` see them, new values
    never recompile)."""

    @property
    def dimension(self) -> int:
        """The state's length: the class's `default_state`'s, else the dysts record's."""
        if self.default_state is not None:
            return len(self.default_state)
        return self.info().dimension

    def default_ic(self, dtype=None) -> Float[Array, " dim"]:
        """A point on the attractor: the class's `default_state`, else dysts's initial
        condition (a ValueError naming both when neither exists)."""
        state = self._state_from_class(dtype)
        return state if state is not None else jnp.asarray(self.info().initial_conditions, dtype)

    @abc.abstractmethod
    def rhs(self, t: Float[Array, ""], y: Float[Array, " dim"]) -> Float[Array, " dim"]:
        """The vector field."""

    def jacobian(self, t, y) -> Float[Array, "dim dim"]:
        """∂f/∂y at (t, y), by forward-mode autodiff."""
        return jax.jacfwd(lambda state: self.rhs(t, state))(y)
