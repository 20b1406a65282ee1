r"""Lyapunov spectra of flows: the flow sampled every τ, handed to the tangent-dynamics
mechanism (`jaxdyn.tangent.lyapunov_spectrum_of_map`)."""

import math

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float

from .._checks import check_positive
from .._sharding import map_batch, shard_batch
from .._solution import check_stats
from ..tangent import (
    LyapunovSpectrum,
    flow_map as tangent_flow_map,
    lyapunov_spectrum_of_map,
    spread_limit,
    variational_flow_map,
)
from ._arguments import initial_state
from ._delay import AbstractDelaySystem, delay_history_state, delay_step_map
from ._system import AbstractSystem, resolve_period


def flow_map(system: AbstractSystem, tau: float, *, rtol: float = 1e-9, atol: float = 1e-9):
    """y ↦ y(τ): the system's flow over time τ (autonomous systems), by adaptive Tsit5 in
    forward-mode-differentiable form (`jaxdyn.tangent.flow_map` of `system.rhs`)."""
    return tangent_flow_map(system.rhs, tau, rtol=rtol, atol=atol)


def lyapunov_spectrum(
    system: AbstractSystem | AbstractDelaySystem,
    *,
    y0: Float[Array, " dim"] | None = None,
    t1: float | None = None,
    tau: float | None = None,
    t_transient: float | None = None,
    n_exponents: int | None = None,
    period: float | None = None,
    rtol: float | None = None,
    dt: float | None = None,
    history: bool = False,
    throw: bool = True,
    progress: bool = False,
) -> LyapunovSpectrum:
    """Lyapunov spectrum of a flow, re-orthonormalising every `tau` (default a tenth of the
    dominant period) over `t1` (default 1000 periods) after `t_transient` (default 10
    periods), from `y0` (default: the system's point on the attractor).

    `period` (the dominant period) defaults to the class's `dominant_period` or the dysts
    record; a system with neither needs `period=` or all of `tau`, `t1` and `t_transient`.
    `rtol` is the flow's tolerance (default 1e-9, or 10 ε of a float32 state: 1.2e-6).
    The default τ is shortened by itself where one τ spans more e-folds between the first
    and the last tangent vector than rtol resolves (a slow–fast flow: CellCycle's τ = 20.5
    spans 39; its smallest exponents were lost and Σλ missed ⟨tr Df⟩ by 2%); a τ you pass is
    kept and such a run is reported as `RESULTS.tangent_resolution_lost` (as is a run under
    `jax.jit` or `jax.vmap`, where the spread cannot be looked at to choose again).
    `throw` raises `jaxdyn.SolverFailure` if the orbit or its tangent vectors became
    non-finite or unresolved (else read `.stats`); `progress` draws progress bars (as
    `lyapunov_spectrum_of_map`). **Returns:** `LyapunovSpectrum(exponents, running,
    stats)` (`running`, one row per τ, with `history=True`).

    A delay system ẋ = f(x(t), x(t − τ_d)) is infinite-dimensional: its spectrum is that of the
    method of steps on the history discretised at h = τ_d/m (`dt`, default as in
    `delay_trajectory`), a state of 2(m + 1) numbers (values and slopes; see
    `delay_step_map`), from the constant history `y0`; `n_exponents` defaults to 4 there,
    and `rtol` does not apply (fixed RK4 steps).
    """
    what = "lyapunov_spectrum"
    if isinstance(system, AbstractDelaySystem):
        return _delay_spectrum(
            system,
            y0,
            t1,
            tau,
            t_transient,
            n_exponents,
            period,
            dt,
            history,
            throw,
            what,
            progress,
        )
    if dt is not None:
        raise ValueError(f"{what}: dt applies to delay systems; a flow's steps are adaptive")
    default_tau = tau is None
    y0, tau, n_steps, n_transient, rtol = _flow_arguments(
        system, y0, t1, tau, t_transient, period, rtol, what
    )

    def run(tau, n_steps, n_transient):
        return _lyapunov_flow(
            system, y0, tau, n_steps, n_transient, n_exponents, rtol, history, bool(progress)
        )

    result = _resolved(run, tau, n_steps, n_transient, rtol, y0.dtype, default_tau)
    return check_stats(result.stats, result, what) if throw else result


_MAX_SHORTENINGS = 3


def _resolved(run, tau, n_steps, n_transient, rtol, dtype, default_tau):
    """`run(τ, n_steps, n_transient)`, and, when τ was the default and its steps spanned more
    e-folds than the tangents resolve (`RESULTS.tangent_resolution_lost`: a slow–fast flow
    whose contracting exponents times period/10 pass log(1/rtol)), again with τ shortened so
    that the mean step spans half that many, over the same times."""
    result = run(tau, n_steps, n_transient)
    if isinstance(result.step_spread, jax.core.Tracer):
        return result  # traced (under jit or vmap): flagged in stats, τ kept
    limit = spread_limit(dtype, rtol)
    for _ in range(_MAX_SHORTENINGS if default_tau else 0):
        spread = float(np.nanmax(np.asarray(result.step_spread)))
        if not limit < spread < np.inf:
            break
        factor = 0.5 * limit / spread
        tau, n_steps = tau * factor, round(n_steps / factor)
        n_transient = round(n_transient / factor)
        result = run(tau, n_steps, n_transient)
    return result


_DELAY_EXPONENTS = 4


def _delay_spectrum(system, y0, t1, tau, t_transient, n_exponents, period, dt, history, throw,
                    what, progress):  # fmt: skip
    period, tau, t1, t_transient = _times(system, t1, tau, t_transient, period, what)
    y0 = initial_state(system, y0)
    delay = system.tau
    scale = min(delay, period) if period is not None else delay
    dt = scale / 100 if dt is None else check_positive(dt, "dt", what)
    m = max(2, math.ceil(delay / dt - 1e-9))
    h = delay / m
    steps_per_tau = max(1, round(tau / h))
    state = delay_history_state(system, y0[0], h, m)
    n_exponents = _DELAY_EXPONENTS if n_exponents is None else n_exponents
    return lyapunov_spectrum_of_map(
        delay_step_map(system, h, m, steps_per_tau), state,
        max(1, round(t1 / (steps_per_tau * h))), n_exponents=n_exponents,
        n_transient=round(t_transient / (steps_per_tau * h)), time_per_step=steps_per_tau * h,
        history=history, throw=throw, progress=progress,
    )  # fmt: skip


def lyapunov_spectra(
    systems: AbstractSystem,
    *,
    y0: Float[Array, " dim"] | None = None,
    t1: float | None = None,
    tau: float | None = None,
    t_transient: float | None = None,
    n_exponents: int | None = None,
    period: float | None = None,
    rtol: float | None = None,
    throw: bool = True,
    progress: bool = False,
) -> LyapunovSpectrum:
    """Lyapunov spectra over a batch of parameter values, in one compiled call: `systems` has a
    leading batch axis on every parameter (`jax.vmap(lambda rho: Lorenz(rho=rho))(rhos)`), and
    each member's spectrum is computed as by `lyapunov_spectrum` (same arguments, one `y0` for
    all), vmapped — and, with more than one device, split across all of them. A λ₁(ρ) map:
    `lyapunov_spectra(systems, n_exponents=1).exponents[:, 0]`.

    **Returns:** `LyapunovSpectrum` whose every field has the batch axis first; with
    `throw=True` a failed member raises, naming how many failed (else read `stats`).
    """
    what = "lyapunov_spectra"
    if not isinstance(systems, AbstractSystem):
        raise ValueError(f"{what}: expected an ODE system with batched parameters, got {systems!r}")
    sizes = {
        x.shape[0] if x.ndim else None for x in jax.tree.leaves(eqx.filter(systems, eqx.is_array))
    }
    if len(sizes) != 1 or None in sizes:
        raise ValueError(
            f"{what}: expected every parameter with the same leading batch axis (build the "
            f"systems with jax.vmap), got leading sizes {sorted(sizes, key=str)}"
        )
    (batch,) = sizes
    first = jax.tree.map(lambda x: x[0] if eqx.is_array(x) else x, systems)
    default_tau = tau is None
    y0, tau, n_steps, n_transient, rtol = _flow_arguments(
        first, y0, t1, tau, t_transient, period, rtol, what
    )
    systems, mesh = shard_batch(systems, batch)

    def run(tau, n_steps, n_transient):
        result = _lyapunov_batch(
            systems, y0, tau, n_steps, n_transient, n_exponents, rtol, mesh, bool(progress)
        )
        return jax.tree.map(lambda x: x[:batch], result)

    result = _resolved(run, tau, n_steps, n_transient, rtol, y0.dtype, default_tau)
    return check_stats(result.stats, result, what) if throw else result


def spectra_from_states(system: AbstractSystem, y0s, t1: float) -> LyapunovSpectrum:
    """The spectra of `system` from each of the states `y0s` (batch, dim), as
    `lyapunov_spectrum` with its defaults and `t1`, in one compiled call; not raising (read
    `stats`: a failed member has non-finite exponents)."""
    y0, tau, n_steps, n_transient, rtol = _flow_arguments(
        system, y0s[0], t1, None, None, None, None, "spectra_from_states"
    )
    y0s = jnp.asarray(y0s, y0.dtype)

    def run(tau, n_steps, n_transient):
        return _lyapunov_states(system, y0s, tau, n_steps, n_transient, rtol)

    return _resolved(run, tau, n_steps, n_transient, rtol, y0.dtype, True)


@eqx.filter_jit
def _lyapunov_states(system, y0s, tau, n_steps, n_transient, rtol):
    def one(y0):
        return _lyapunov_flow(system, y0, tau, n_steps, n_transient, None, rtol, False)

    return jax.vmap(one)(y0s)


@eqx.filter_jit
def _lyapunov_batch(systems, y0, tau, n_steps, n_transient, n_exponents, rtol, mesh, progress):
    def one(system):
        return _lyapunov_flow(
            system, y0, tau, n_steps, n_transient, n_exponents, rtol, False, progress
        )

    return map_batch(one, systems, mesh)


def _times(system, t1, tau, t_transient, period, what):
    """(period, τ, t1, t_transient): given values checked, the rest from the dominant period
    (τ a tenth of it, t1 a thousand, the transient ten); period None when all were given."""
    if period is not None or None in (tau, t1, t_transient):
        period = resolve_period(system, period, what)
    tau = period / 10 if tau is None else check_positive(tau, "tau", what)
    t1 = 1000 * period if t1 is None else check_positive(t1, "t1", what)
    t_transient = (
        10 * period
        if t_transient is None
        else check_positive(t_transient, "t_transient", what, allow_zero=True)
    )
    return period, tau, t1, t_transient


def _flow_arguments(system, y0, t1, tau, t_transient, period, rtol, what):
    """(y0, τ, n_steps, n_transient, rtol) of a flow's Lyapunov run, defaults from its period."""
    if not isinstance(system, AbstractSystem):
        raise ValueError(
            f"{what}: expected an ODE system (AbstractSystem), got {type(system).__name__} "
            "(delay systems: lyapunov_spectrum, one at a time)"
        )
    _, tau, t1, t_transient = _times(system, t1, tau, t_transient, period, what)
    y0 = initial_state(system, y0)
    # The flow's tolerance: 1e-9, or 10 ε where the state's precision cannot resolve that.
    eps = float(jnp.finfo(y0.dtype).eps)
    rtol = max(1e-9, 10 * eps) if rtol is None else check_positive(rtol, "rtol", what)
    return y0, tau, max(1, round(t1 / tau)), round(t_transient / tau), rtol


@eqx.filter_jit
def _lyapunov_flow(system, y0, tau, n_steps, n_transient, n_exponents, rtol, history,
                   progress=False):  # fmt: skip
    # The orbit and its tangents integrated together: the step-size control covers both.
    step = flow_map(system, tau, rtol=rtol, atol=rtol)
    tangent_map = variational_flow_map(system.rhs, tau, rtol=rtol, atol=rtol)
    return lyapunov_spectrum_of_map(
        step, y0, n_steps, n_exponents=n_exponents, n_transient=n_transient,
        time_per_step=tau, history=history, tangent_map=tangent_map, tangent_accuracy=rtol,
        throw=False, progress=progress,
    )  # fmt: skip


def max_lyapunov(system: AbstractSystem, **kwargs) -> Float[Array, ""]:
    """The largest Lyapunov exponent (one tangent vector; arguments of `lyapunov_spectrum`)."""
    return lyapunov_spectrum(system, n_exponents=1, **kwargs).exponents[0]
