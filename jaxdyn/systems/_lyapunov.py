r"""Lyapunov spectra of flows: the flow sampled every τ, handed to the tangent-dynamics
mechanism (`jaxdyn.tangent.lyapunov_spectrum_of_map`)."""

import diffrax
import equinox as eqx
import jax.numpy as jnp
from jaxtyping import Array, Float

from .._checks import check_positive
from .._integrate import diffrax_solve
from .._solution import check_stats
from ..tangent import LyapunovSpectrum, lyapunov_spectrum_of_map
from ._arguments import initial_state
from ._system import AbstractSystem, resolve_period


def flow_map(system: AbstractSystem, tau: float, *, rtol: float = 1e-9, atol: float = 1e-9):
    """y ↦ y(τ): the system's flow over time τ (autonomous systems), by adaptive Tsit5 in
    forward-mode-differentiable form. A step that fails (step limit) returns NaN, so the
    caller's finiteness check reports it rather than a wrong number."""
    what = "flow_map"
    tau = check_positive(tau, "tau", what)
    rtol, atol = check_positive(rtol, "rtol", what), check_positive(atol, "atol", what)
    controller = diffrax.PIDController(rtol=rtol, atol=atol)

    def step(y):
        ys, stats = diffrax_solve(
            system.rhs, diffrax.Tsit5(), y, 0.0, tau, tau / 4, None,
            controller=controller, max_steps=4096, adjoint=diffrax.ForwardMode(),
        )  # fmt: skip
        return jnp.where(stats.ok, ys[-1], jnp.nan)

    return step


def lyapunov_spectrum(
    system: AbstractSystem,
    *,
    y0: Float[Array, " dim"] | None = None,
    t1: float | None = None,
    tau: float | None = None,
    t_transient: float | None = None,
    n_exponents: int | None = None,
    period: float | None = None,
    rtol: float | None = None,
    history: bool = False,
    throw: bool = True,
) -> LyapunovSpectrum:
    """Lyapunov spectrum of a flow, re-orthonormalising every `tau` (default a tenth of the
    dominant period) over `t1` (default 1000 periods) after `t_transient` (default 10
    periods), from `y0` (default: the system's point on the attractor).

    `period` (the dominant period) defaults to the class's `dominant_period` or the dysts
    record; a system with neither needs `period=` or all of `tau`, `t1` and `t_transient`.
    `rtol` is the flow's tolerance (default 1e-9, or 10 ε of a float32 state: 1.2e-6).
    `throw` raises `jaxdyn.SolverFailure` if the orbit or its tangent vectors became
    non-finite (else read `.stats`). **Returns:** `LyapunovSpectrum(exponents, running,
    stats)` (`running`, one row per τ, with `history=True`).
    """
    what = "lyapunov_spectrum"
    if not isinstance(system, AbstractSystem):
        raise ValueError(
            f"{what}: expected an ODE system (AbstractSystem), got {type(system).__name__}; "
            "delay systems are not supported yet"
        )
    if period is not None or None in (tau, t1, t_transient):
        period = resolve_period(system, period, what)
    tau = period / 10 if tau is None else check_positive(tau, "tau", what)
    t1 = 1000 * period if t1 is None else check_positive(t1, "t1", what)
    t_transient = (
        10 * period
        if t_transient is None
        else check_positive(t_transient, "t_transient", what, allow_zero=True)
    )
    y0 = initial_state(system, y0)
    # The flow's tolerance: 1e-9, or 10 ε where the state's precision cannot resolve that.
    eps = float(jnp.finfo(y0.dtype).eps)
    rtol = max(1e-9, 10 * eps) if rtol is None else check_positive(rtol, "rtol", what)
    n_steps, n_transient = max(1, round(t1 / tau)), round(t_transient / tau)
    result = _lyapunov_flow(system, y0, tau, n_steps, n_transient, n_exponents, rtol, history)
    return check_stats(result.stats, result, what) if throw else result


@eqx.filter_jit
def _lyapunov_flow(system, y0, tau, n_steps, n_transient, n_exponents, rtol, history):
    step = flow_map(system, tau, rtol=rtol, atol=rtol)
    return lyapunov_spectrum_of_map(
        step, y0, n_steps, n_exponents=n_exponents, n_transient=n_transient,
        time_per_step=tau, history=history, throw=False,
    )  # fmt: skip


def max_lyapunov(system: AbstractSystem, **kwargs) -> Float[Array, ""]:
    """The largest Lyapunov exponent (one tangent vector; arguments of `lyapunov_spectrum`)."""
    return lyapunov_spectrum(system, n_exponents=1, **kwargs).exponents[0]
