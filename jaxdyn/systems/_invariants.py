r"""The invariants of a system computed here, with a convergence estimate for each: the
Lyapunov spectrum and its spread over initial conditions, the Kaplan–Yorke and correlation
dimensions, the dominant period, and for a flow the orbit average of tr Df, which the sum of
the spectrum must equal (Liouville: volumes in tangent space grow at the rate tr Df).

The catalog's values ship in `jaxdyn/systems/data/invariants.json` (`info().computed`), made
by `jaxdyn --x64 invariants --write` with the version recorded in the file.
"""

import time
from typing import NamedTuple

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Float, PRNGKeyArray

from .._checks import check_positive
from .._integrate import diffrax_solve, fixed_step_loop
from .._results import RESULTS, SolverFailure
from .._solution import Stats, check_stats
from .._version import __version__
from ..tangent import kaplan_yorke_dimension, spread_limit, variational_flow_map
from ..tangent._lyapunov import one_step_spread, orthonormal_start, tangent_qr_step
from ._arguments import initial_state
from ._catalog import get
from ._dataset import _initial_conditions
from ._delay import AbstractDelaySystem
from ._geometry import correlation_dimension, delay_embed, power_spectrum
from ._integrate import trajectory
from ._lyapunov import _MAX_SHORTENINGS, lyapunov_spectrum, spectra_from_states
from ._system import AbstractSystem, ComputedInvariants, _database

_DIMENSION_POINTS = 4000  # the correlation dimension's sample (a few thousand: see its doc)
_DIMENSION_PERIODS = 200  # ... spread over this many periods
_DELAY_EMBEDDING = 6  # a delay system's scalar series, embedded in this many dimensions
_TRACE_RTOL = 1e-10


def compute_invariants(
    system: AbstractSystem | AbstractDelaySystem | str,
    *,
    key: PRNGKeyArray,
    n_initial_conditions: int = 4,
    n_periods: float = 300.0,
) -> ComputedInvariants:
    """The invariants of `system` (or a catalog name), computed from `n_initial_conditions`
    states drawn with `key` from its attractor (as `dataset`: 50 periods after a 10-period
    transient), each run for `n_periods` dominant periods after 10 more.

    - Lyapunov spectrum: `lyapunov_spectrum`'s method (QR every τ = period/10, shortened where
      the tangents would not resolve it; orbit and tangents integrated together at rtol 1e-9),
      all initial conditions in one compiled call; a delay system's four leading exponents by
      the method of steps. Spread: the standard deviation over initial conditions.
    - ⟨tr Df⟩ (flows): tr Df integrated with the orbit (Tsit5, rtol 1e-10) from the same
      states over the same times. Chaos makes these other orbits of the same attractor, so
      Σλ = ⟨tr Df⟩ checks the tangent run to within the sampling spread (`trace_spread`);
      `trace_identity` checks it on the same orbit.
    - Correlation dimension (`correlation_dimension`, 4000 points over 200 periods), from the
      first initial condition that succeeded, with unbounded coordinates (dysts's
      `unbounded_indices`: angles and phases) as (cos, sin); a delay system's series
      delay-embedded in 6 dimensions at a lag of a quarter period.
    - Dominant period: 1/the frequency at the peak of f·S(f) (the variance per logarithmic
      band), S the `power_spectrum` summed over the standardised coordinates of the same run,
      angles and phases (a forcing's clock) left out.

    An initial condition whose run fails (a step limit or blow-up) is left out and counted in
    `failed_initial_conditions`; a `jaxdyn.SolverFailure` when fewer than two succeed. Float64
    is the setting the catalog file was made in; float32 works (a coarser rtol).

    **Returns:** `ComputedInvariants`.
    """
    what = "compute_invariants"
    if isinstance(system, str):
        system = get(system)
    if not isinstance(system, AbstractSystem | AbstractDelaySystem):
        raise ValueError(f"{what}: expected a system or a catalog name, got {system!r}")
    n_ic = check_positive(n_initial_conditions, "n_initial_conditions", what, integer=True)
    if n_ic < 2:
        raise ValueError(f"{what}: expected n_initial_conditions >= 2 (the spread), got {n_ic}")
    n_periods = check_positive(n_periods, "n_periods", what)
    period = system.period()
    if period is None:
        raise ValueError(
            f"{what}: {type(system).__name__} has no known dominant period; set dominant_period "
            "on the class"
        )
    start = time.perf_counter()
    starts = _initial_conditions(system, None, period, n_ic, key)
    t1 = n_periods * period
    if isinstance(system, AbstractDelaySystem):
        spectra = np.stack([
            np.asarray(lyapunov_spectrum(system, y0=y0, t1=t1, throw=False).exponents)
            for y0 in starts
        ])  # fmt: skip
        traces = np.full(n_ic, np.nan)
    else:
        spectra = np.asarray(spectra_from_states(system, starts, t1).exponents)
        traces = np.asarray(_mean_traces(system, starts, 10 * period, t1))
    # An initial condition whose run failed (step limit or blow-up, e.g. a tracer near a point
    # vortex) is counted and left out; all failing is a failure.
    good = np.all(np.isfinite(spectra), axis=1)
    if not isinstance(system, AbstractDelaySystem):
        good &= np.isfinite(traces)
    if good.sum() < 2:
        raise SolverFailure(
            f"{what}: {type(system).__name__}: {n_ic - good.sum()} of {n_ic} initial conditions "
            "failed (non-finite orbit or tangents); fewer than 2 left for the spread",
            RESULTS.nonfinite_state, what,
        )  # fmt: skip
    spectra, traces = spectra[good], traces[good]
    trace = None if np.isnan(traces).all() else float(traces.mean())
    trace_spread = None if trace is None else float(traces.std(ddof=1))
    # Near-degenerate exponents (two neutral ones) may leave the QR columns out of order:
    # reported in descending order, each with its own spread.
    mean, spread = spectra.mean(axis=0), spectra.std(axis=0, ddof=1)
    order = np.argsort(-mean, kind="stable")
    mean, spread = mean[order], spread[order]
    dimension, dominant = _geometry(system, starts[int(np.argmax(good))], period)
    return ComputedInvariants(
        lyapunov_spectrum=tuple(float(x) for x in mean),
        lyapunov_spread=tuple(float(x) for x in spread),
        maximum_lyapunov=float(mean[0]),
        kaplan_yorke_dimension=float(kaplan_yorke_dimension(jnp.asarray(mean))),
        correlation_dimension=dimension,
        dominant_period=dominant,
        mean_trace=trace,
        trace_spread=trace_spread,
        n_initial_conditions=int(good.sum()),
        n_periods=float(n_periods),
        seconds=time.perf_counter() - start,
        version=__version__,
        failed_initial_conditions=int(n_ic - good.sum()),
    )


class TraceIdentity(NamedTuple):
    """`TraceIdentity(sum_of_exponents, mean_trace, stats)`: Σλ and (1/T)∫ tr Df dt over the
    same orbit, and the run's `Stats`."""

    sum_of_exponents: Float[Array, ""]
    mean_trace: Float[Array, ""]
    stats: Stats


def trace_identity(
    system: AbstractSystem,
    *,
    y0: Float[Array, " dim"] | None = None,
    t1: float | None = None,
    tau: float | None = None,
    rtol: float | None = None,
    throw: bool = True,
) -> TraceIdentity:
    """Liouville's identity on one orbit: Σλ·T = log |det Dφ_T(y0)| = ∫₀ᵀ tr Df dt, where Σλ
    is the sum of the full spectrum by the QR method (whatever the starting basis: the sum
    of log R_ii is the log-volume growth) and the integral is taken along the very orbit the
    tangents followed (the orbit augmented by q̇ = tr Df and integrated with its tangents,
    which are kept out of the q direction). Their difference measures the tangent
    computation alone, free of the sampling noise of comparing different orbits.

    **Arguments:** `system` (an ODE system), `y0` (default its point on the attractor), `t1`
    (default 50 periods), `tau` (the QR interval; default as `lyapunov_spectrum`'s, a tenth
    of the period shortened until the tangents resolve it), `rtol` (default 1e-9, or 10 ε in
    float32), `throw`.

    **Returns:** `TraceIdentity(sum_of_exponents, mean_trace, stats)`.
    """
    what = "trace_identity"
    if not isinstance(system, AbstractSystem):
        raise ValueError(f"{what}: expected an ODE system (AbstractSystem), got {system!r}")
    period = system.period() if None in (t1, tau) else None
    if period is None and None in (t1, tau):
        raise ValueError(f"{what}: {type(system).__name__} has no known period; pass t1 and tau")
    t1 = 50 * period if t1 is None else check_positive(t1, "t1", what)
    y0 = initial_state(system, y0)
    eps = float(jnp.finfo(y0.dtype).eps)
    rtol = max(1e-9, 10 * eps) if rtol is None else check_positive(rtol, "rtol", what)
    if tau is None:  # lyapunov_spectrum's choice: shortened until a period's run resolves
        tau, limit = period / 10, spread_limit(y0.dtype, rtol)
        for _ in range(_MAX_SHORTENINGS):
            spread = float(_identity(system, y0, tau, max(1, round(period / tau)), rtol)[2])
            if not limit < spread < np.inf:
                break
            tau *= 0.5 * limit / spread
    tau = check_positive(tau, "tau", what)
    total, trace, _, stats = _identity(system, y0, tau, max(1, round(t1 / tau)), rtol)
    result = TraceIdentity(total, trace, stats)
    return check_stats(stats, result, what) if throw else result


@eqx.filter_jit
def _identity(system, y0, tau, n_steps, rtol):
    """(Σλ, ⟨tr Df⟩, mean one-step spread, stats) over the same orbit of n_steps·τ."""
    dim = y0.size

    def augmented(t, z):
        y = z[:-1]
        return jnp.append(system.rhs(t, y), jnp.trace(system.jacobian(t, y)))

    tangent_map = variational_flow_map(augmented, tau, rtol=rtol, atol=rtol)

    def project(vectors):  # the tangents live in the orbit's coordinates, not in q's
        return vectors.at[-1].set(0.0)

    def advance(state, n):
        z, basis, total, spread = state
        z, basis, r = tangent_qr_step(None, z, basis, project, tangent_map)
        logs = jnp.log(jnp.diagonal(r))
        return z, basis, total + logs, spread + one_step_spread(logs)

    z0 = jnp.append(y0, jnp.zeros((), y0.dtype))
    zero = jnp.zeros((), y0.dtype)
    start = (z0, orthonormal_start(dim + 1, dim, z0.dtype, project), jnp.zeros(dim, z0.dtype),
             zero)  # fmt: skip
    _, (z, _, total, spread), stats = fixed_step_loop(
        advance, start, n_pre=n_steps, n_per_save=1, n_saves=1, remat=False, dt=tau
    )
    elapsed = n_steps * tau
    return jnp.sum(total) / elapsed, z[-1] / elapsed, spread / n_steps, stats


@eqx.filter_jit
def _mean_traces(system, starts, t_transient, t1):
    """(1/t1)∫ tr Df dt along the orbit from each start, after `t_transient`."""

    def field(t, state):
        y, _ = state
        return system.rhs(t, y), jnp.trace(system.jacobian(t, y))

    def one(y0):
        dtype = y0.dtype
        rtol = max(_TRACE_RTOL, 10 * float(jnp.finfo(dtype).eps))
        times = jnp.asarray([t_transient, t_transient + t1], dtype)
        (ys, qs), _ = diffrax_solve(
            field, diffrax.Tsit5(), (y0, jnp.zeros((), dtype)), jnp.zeros((), dtype), times[1],
            None, times,
            controller=diffrax.PIDController(rtol=rtol, atol=rtol), max_steps=2**24,
        )  # fmt: skip
        return (qs[1] - qs[0]) / t1  # a failed solve saves inf: the mean is not finite

    return jax.vmap(one)(starts)


def _geometry(system, y0, period) -> tuple[float, float]:
    """(correlation dimension, dominant period) from one orbit."""
    n = _DIMENSION_POINTS
    t1 = _DIMENSION_PERIODS * period
    ys = np.asarray(trajectory(system, t1, y0=y0, n_points=n).ys)
    dt = t1 / (n - 1)
    unbounded = _database().get(type(system).__name__, {}).get("unbounded_indices") or []
    if isinstance(system, AbstractDelaySystem):
        series = ys[:, :1]
        lag = max(1, round(period / 4 / dt))
        points = np.asarray(delay_embed(jnp.asarray(ys[:, 0]), _DELAY_EMBEDDING, lag))
    else:  # angles and phases: on circles for the geometry, left out of the period
        series = ys[:, [i for i in range(ys.shape[1]) if i not in unbounded]]
        circles = [f(ys[:, i]) for i in unbounded for f in (np.cos, np.sin)]
        points = np.concatenate([series, np.stack(circles, 1)], 1) if circles else series
    if series.shape[1] == 0:  # every coordinate an angle (ABC flow): their circles
        series = points
    scale = series.std(axis=0)
    standard = (series - series.mean(axis=0)) / np.where(scale > 0, scale, 1.0)
    freqs, power = power_spectrum(jnp.asarray(standard), dt)
    freqs = np.asarray(freqs)
    # The peak of f·S(f), the variance per logarithmic band: a broad red background (Lorenz's
    # lobe switching) does not outweigh the oscillation (0.80 rather than 18.8 for Lorenz).
    premultiplied = freqs * np.asarray(power).sum(axis=1)
    peak = int(np.argmax(premultiplied))
    dimension = float(correlation_dimension(jnp.asarray(points)))
    return dimension, float(1 / freqs[peak]) if peak > 0 else float("inf")
