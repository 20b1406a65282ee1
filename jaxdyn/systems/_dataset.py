"""`dataset`: trajectories of a system sampled by the dysts protocol, for forecasting."""

import math

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float, PRNGKeyArray

from .._checks import check_positive
from ._catalog import get
from ._delay import AbstractDelaySystem, _hermite, delay_trajectory
from ._integrate import ensemble, trajectory
from ._system import AbstractSystem

_UNITS = ("period", "lyapunov_time")
_SPREAD_PERIODS = 50  # initial conditions are drawn from this stretch of the attractor
_HISTORY_SAMPLES = 100  # per τ (or per period if shorter): a delay system's history


class Dataset(eqx.Module):
    """Trajectories sampled at a fixed number of points per time unit.

    **Fields:** `ts` (sample times from each trajectory's start, spacing `dt`), `ys`
    (trajectories × points × dim: observations, standardised when asked), `mean` and `std`
    (per coordinate, over the training part; `ys` = (observed − mean)/std when standardised,
    else mean 0 and std 1), `dt`, `n_train` (the first `n_train` points of every trajectory
    are its training part; `train` and `test` slice them).
    """

    ts: Float[Array, " points"]
    ys: Float[Array, "trajectories points dim"]
    mean: Float[Array, " dim"]
    std: Float[Array, " dim"]
    dt: float = eqx.field(static=True)
    n_train: int = eqx.field(static=True)

    @property
    def train(self) -> Float[Array, "trajectories train dim"]:
        return self.ys[:, : self.n_train]

    @property
    def test(self) -> Float[Array, "trajectories test dim"]:
        return self.ys[:, self.n_train :]


def dataset(
    system: AbstractSystem | AbstractDelaySystem | str,
    *,
    key: PRNGKeyArray,
    n_periods: float = 12.0,
    points_per_period: int = 100,
    unit: str = "period",
    n_initial_conditions: int = 1,
    train_fraction: float = 5 / 6,
    noise: float = 0.0,
    standardize: bool = True,
    y0: Float[Array, " dim"] | None = None,
) -> Dataset:
    """Trajectories of `system` by the protocol of the dysts benchmark (Gilpin, NeurIPS 2021):
    initial conditions on the attractor, resampling to a fixed number of points per dominant
    period (100 "fine", 15 "coarse" in dysts; the defaults give its 1000 + 200 points) or per
    Lyapunov time (`unit="lyapunov_time"`, 30 in the zero-shot protocol of Zhang & Gilpin,
    2025), optional observation noise, standardisation, a train/test split.

    Initial conditions: a trajectory from `y0` (default: the system's point on the attractor)
    is run through a transient of 10 periods and then 50 more; the initial conditions are its
    states at `n_initial_conditions` times drawn uniformly from those 50 periods with `key`
    (for a delay system, its past τ up to each of those times, as the history).
    Each trajectory is integrated from one of them (all at once, split over devices) and
    sampled every dt = unit / `points_per_period` for `n_periods` units. Noise: Gaussian
    observation noise of standard deviation `noise` × the coordinate's standard deviation
    (dysts's noisy datasets force the dynamics instead; here the orbit is clean and the
    measurement noisy). The same `key` gives the same dataset, bit for bit.

    **Arguments:** `system` (or its catalog name), `key`, `n_periods` (> 0, in units),
    `points_per_period` (≥ 2), `unit` ("period" or "lyapunov_time"), `n_initial_conditions`
    (≥ 1), `train_fraction` (in (0, 1): the training part of every trajectory), `noise`
    (≥ 0), `standardize`, `y0`.

    **Returns:** a `Dataset`.
    """
    what = "dataset"
    if isinstance(system, str):
        system = get(system)
    if not isinstance(system, AbstractSystem | AbstractDelaySystem):
        raise ValueError(f"{what}: expected a system or a catalog name, got {system!r}")
    if unit not in _UNITS:
        raise ValueError(f"{what}: expected unit in {_UNITS}, got {unit!r}")
    n_periods = check_positive(n_periods, "n_periods", what)
    points_per_period = check_positive(points_per_period, "points_per_period", what, integer=True)
    if points_per_period < 2:
        raise ValueError(f"{what}: expected points_per_period >= 2, got {points_per_period}")
    n_ic = check_positive(n_initial_conditions, "n_initial_conditions", what, integer=True)
    train_fraction = check_positive(train_fraction, "train_fraction", what)
    if not train_fraction < 1:
        raise ValueError(f"{what}: expected train_fraction in (0, 1), got {train_fraction}")
    noise = check_positive(noise, "noise", what, allow_zero=True)

    period = system.period()
    length = period if unit == "period" else system.lyapunov_time()
    if length is None:
        raise ValueError(
            f"{what}: {type(system).__name__} has no known {unit.replace('_', ' ')}; pass a "
            "system that sets it (dominant_period or maximum_lyapunov on the class)"
        )
    dt = length / points_per_period
    n_points = max(2, round(n_periods * points_per_period))
    n_train = min(n_points - 1, max(1, round(train_fraction * n_points)))
    ic_key, noise_key = jax.random.split(key)

    starts = _initial_conditions(system, y0, period, n_ic, ic_key)
    ts = np.arange(n_points) * dt
    clean = _trajectories(system, starts, ts)
    spread = jnp.std(clean[:, :n_train].reshape(-1, clean.shape[-1]), axis=0)
    observed = clean + noise * spread * jax.random.normal(noise_key, clean.shape, clean.dtype)
    train = observed[:, :n_train].reshape(-1, clean.shape[-1])
    mean, std = (jnp.mean(train, axis=0), jnp.std(train, axis=0)) if standardize else (
        jnp.zeros(clean.shape[-1], clean.dtype), jnp.ones(clean.shape[-1], clean.dtype)
    )  # fmt: skip
    std = jnp.where(std > 0, std, 1)  # a constant coordinate stays as it is
    ys = (observed - mean) / std
    return Dataset(jnp.asarray(ts, clean.dtype), ys, mean, std, float(dt), int(n_train))


def _initial_conditions(system, y0, period, n_ic, key):
    """Starts on one long trajectory at `n_ic` random times after a 10-period transient: its
    states, or for a delay system its histories (a state alone, continued as a constant
    past, is not on a delay system's attractor and can leave it: PiecewiseCircuit blew up
    from one)."""
    t_transient = 10 * period
    times = np.sort(np.asarray(jax.random.uniform(key, (n_ic,), minval=0, maxval=1)))
    times = t_transient + _SPREAD_PERIODS * period * np.asarray(times, np.float64)
    t1 = t_transient + _SPREAD_PERIODS * period
    if isinstance(system, AbstractDelaySystem):
        # τ/K apart, K ≥ 100 samples per the faster of τ and the period: x(t − τ) is the
        # sample K back, so the slopes come from the equation and the history is cubic Hermite.
        samples = max(_HISTORY_SAMPLES, math.ceil(_HISTORY_SAMPLES * system.tau / period))
        spacing = system.tau / samples
        grid = np.arange(math.ceil(t1 / spacing) + 1) * spacing
        xs = trajectory(system, float(grid[-1]), y0=y0, ts=grid).ys[:, 0]
        delayed = jnp.concatenate([jnp.full(samples, xs[0]), xs[:-samples]])
        slopes = jax.vmap(system.rhs)(jnp.asarray(grid, xs.dtype), xs, delayed)
        return [_Past(jnp.asarray(t, xs.dtype), xs, slopes, jnp.asarray(spacing, xs.dtype))
                for t in times]  # fmt: skip
    reference = trajectory(system, t1, y0=y0, ts=np.unique(np.append(times, t1)))
    picked = np.searchsorted(np.asarray(reference.ts), times)
    return reference.ys[picked]


class _Past(eqx.Module):
    """t ↦ x(start + t), t ≤ 0: a delay system's history read off its own earlier orbit,
    samples `xs` with slopes `fs` every `spacing`, interpolated by cubic Hermite (the
    integrator's own fourth-order reading of its grid)."""

    start: Float[Array, ""]
    xs: Float[Array, " samples"]
    fs: Float[Array, " samples"]
    spacing: Float[Array, ""]

    def __call__(self, t):
        return _hermite(self.xs, self.fs, self.spacing, self.start + t)


def _trajectories(system, starts, ts):
    t1 = float(ts[-1])
    if isinstance(system, AbstractDelaySystem):
        return jnp.stack([delay_trajectory(system, t1, history=past, ts=ts).ys for past in starts])
    return ensemble(system, starts, t1, ts=ts).ys
