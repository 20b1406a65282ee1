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


class ComputedInvariants(NamedTuple):
    """Invariants computed by jaxdyn (`compute_invariants`), each with its convergence
    estimate.

    **Fields:** `lyapunov_spectrum` (the mean over initial conditions; a delay system's four
    leading exponents), `lyapunov_spread` (their standard deviation over the initial
    conditions), `maximum_lyapunov`, `kaplan_yorke_dimension` (of the mean spectrum),
    `correlation_dimension` (Grassberger–Procaccia; angles as (cos, sin)),
    `dominant_period`, `mean_trace` (⟨tr Df⟩ over the orbits; `None` for a delay system),
    `trace_spread` (its spread over initial conditions), `n_initial_conditions` (those that
    succeeded; `failed_initial_conditions` the runs left out: step limit or blow-up),
    `n_periods` (the averaging length, in dysts periods), `seconds` (wall time), `version`
    (the jaxdyn that computed them).
    """

    lyapunov_spectrum: tuple[float, ...]
    lyapunov_spread: tuple[float, ...]
    maximum_lyapunov: float
    kaplan_yorke_dimension: float
    correlation_dimension: float
    dominant_period: float
    mean_trace: float | None
    trace_spread: float | None
    n_initial_conditions: int
    n_periods: float
    seconds: float
    version: str
    failed_initial_conditions: int = 0

    @property
    def trace_mismatch(self) -> float | None:
        """|Σλ − ⟨tr Df⟩| / max(|⟨tr Df⟩|, max |λᵢ|, 10⁻⁶): the identity check of a flow's
        spectrum, relative to the exponents' own scale where volumes are conserved (tr Df = 0)
        and absolute below 10⁻⁶ (a regular conservative flow: every exponent ≈ 0)."""
        if self.mean_trace is None:
            return None
        scale = max(abs(self.mean_trace), max(abs(x) for x in self.lyapunov_spectrum), 1e-6)
        return abs(sum(self.lyapunov_spectrum) - self.mean_trace) / scale

    def to_json(self) -> dict:
        return self._asdict()

    @classmethod
    def from_json(cls, record: dict) -> "ComputedInvariants":
        record = dict(record)
        for name in ("lyapunov_spectrum", "lyapunov_spread"):
            record[name] = tuple(record[name])
        return cls(**record)


class SystemInfo(NamedTuple):
    """Facts about a system: its dysts record (Gilpin 2021; see
    `jaxdyn/systems/data/NOTICE.md`), whose invariants are dysts's numerical estimates, and
    `computed`, the invariants computed by jaxdyn (`ComputedInvariants`, shipped in
    `data/invariants.json`; `None` where the file has none)."""

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
    computed: ComputedInvariants | None = None


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
        computed=catalog_invariants(name),
    )


@functools.cache
def _catalog_file() -> dict:
    path = resources.files("jaxdyn.systems").joinpath("data/invariants.json")
    return json.loads(path.read_text()) if path.is_file() else {"systems": {}}


def catalog_invariants(name: str) -> ComputedInvariants | None:
    """The invariants of the catalog system `name` as shipped (computed by
    `jaxdyn invariants --write`; `None` for a system the file does not hold or whose run
    failed: the file records why, and `jaxdyn invariants NAME --shipped` shows nothing)."""
    record = _catalog_file()["systems"].get(name)
    if record is None or "error" in record:
        return None
    return ComputedInvariants.from_json(record)


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
        """1/λ₁ where λ₁ is known and positive (class, then published, then computed by
        jaxdyn, then dysts's estimate), else None."""
        exponent = cls.maximum_lyapunov
        if exponent is None and cls.published is not None:
            exponent = cls.published.lyapunov_spectrum[0]
        if exponent is None and cls.has_info():
            info = cls.info()
            ours = info.computed
            exponent = ours.maximum_lyapunov if ours is not None else info.maximum_lyapunov
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
