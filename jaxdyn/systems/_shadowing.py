r"""Derivatives of a flow's long-time averages with respect to its parameters, by shadowing
(the tangent-dynamics mechanism's NILSS, `jaxdyn.tangent.shadowing_sensitivity`)."""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

from .._checks import check_positive
from ..tangent import (
    Shadowing,
    flow_map,
    long_time_average as tangent_long_time_average,
    shadowing_sensitivity as tangent_shadowing_sensitivity,
)
from ._arguments import initial_state
from ._system import AbstractSystem, resolve_period


def long_time_average(
    system: AbstractSystem,
    observable: Callable[[Array], Array],
    *,
    y0: Float[Array, " dim"] | None = None,
    t1: float | None = None,
    dt: float | None = None,
    segment: float | None = None,
    t_transient: float | None = None,
    n_unstable: int | None = None,
    rtol: float | None = None,
) -> Float[Array, ""]:
    """J̄ = ⟨J(y)⟩ over the system's attractor, differentiable in the system's parameters by
    shadowing: `jax.grad(lambda s: long_time_average(s, J))(system)` is dJ̄/dθ for every
    parameter θ (NILSS, Ni & Wang 2017) — the derivative that a finite-time average's
    gradient, growing like e^{λ₁T}, cannot give.

    **Arguments:** `observable` J(y) → scalar; `t1` the averaging time (default 100 dominant
    periods), `dt` the sampling step (default a fiftieth of the period), `segment` the
    shadowing segment (default one period, about a Lyapunov time for most flows),
    `t_transient` (default 20 periods), `n_unstable` the number of directions that do not
    decay within a segment (default: counted from a Lyapunov spectrum over the transient;
    required under `jit`),
    `rtol` the flow's tolerance (default 1e-8, or 10 ε of float32). The derivative is the
    shadowing contribution to the linear response: it leaves out the unstable contribution
    (a systematic error, +1.5% for Lorenz's d⟨z⟩/dρ; see `jaxdyn.tangent.shadowing_sensitivity`).
    """
    step, observe, flow, y0, params, options = _problem(
        system, observable, y0, t1, dt, segment, t_transient, n_unstable, rtol,
        "long_time_average",
    )  # fmt: skip
    return tangent_long_time_average(step, observe, y0, params, flow=flow, **options)


def shadowing_sensitivity(
    system: AbstractSystem,
    observable: Callable[[Array], Array],
    *,
    y0: Float[Array, " dim"] | None = None,
    t1: float | None = None,
    dt: float | None = None,
    segment: float | None = None,
    t_transient: float | None = None,
    n_unstable: int | None = None,
    rtol: float | None = None,
    throw: bool = True,
) -> Shadowing:
    """`long_time_average`'s value and derivative with their diagnostics: `Shadowing(average,
    gradient, n_unstable, exponents, stats)`, the gradient a system-shaped pytree (its
    parameter fields hold dJ̄/dθ). Arguments as for `long_time_average`."""
    step, observe, flow, y0, params, options = _problem(
        system, observable, y0, t1, dt, segment, t_transient, n_unstable, rtol,
        "shadowing_sensitivity",
    )  # fmt: skip
    return tangent_shadowing_sensitivity(
        step, observe, y0, params, flow=flow, throw=throw, **options
    )


def max_lyapunov_sensitivity(
    system: AbstractSystem,
    *,
    y0: Float[Array, " dim"] | None = None,
    t1: float | None = None,
    dt: float | None = None,
    segment: float | None = None,
    t_transient: float | None = None,
    n_unstable: int | None = None,
    rtol: float | None = None,
    throw: bool = True,
) -> Shadowing:
    """λ₁ and dλ₁/dθ for every parameter θ, by shadowing: λ₁ is the long-time average of the
    expansion rate wᵀ Df(y) w of the flow extended by a unit tangent vector w,
    ẇ = Df w − (wᵀ Df w) w, whose extra exponents (λᵢ − λ₁ and the contraction of |w|) are
    negative, so the unstable directions are the system's. The finite-time exponent's naive
    derivative grows like any time average's. Shadowing leaves out the unstable contribution to
    the linear response, and for λ₁, an observable that varies along the unstable direction,
    that is not small: Lorenz dλ₁/dρ = 0.0216–0.0226 against 0.0248 by finite differences
    (use it to about 10%). Arguments as for `long_time_average`;
    **Returns:** `Shadowing(average = λ₁, gradient, n_unstable, exponents, stats)`."""
    step, observe, flow, y0, params, options = _problem(
        system, None, y0, t1, dt, segment, t_transient, n_unstable, rtol,
        "max_lyapunov_sensitivity",
    )  # fmt: skip
    return tangent_shadowing_sensitivity(
        step, observe, y0, params, flow=flow, throw=throw, **options
    )


def _problem(system, observable, y0, t1, dt, segment, t_transient, n_unstable, rtol, what):
    """The NILSS problem of `observable` J(y) on the system's flow; with `observable=None`,
    of λ₁ (the expansion rate on the flow extended by a unit tangent vector)."""
    if not isinstance(system, AbstractSystem):
        raise ValueError(f"{what}: expected an ODE system (AbstractSystem), got {system!r}")
    if observable is not None and not callable(observable):
        raise ValueError(f"{what}: expected a callable observable J(y), got {observable!r}")
    if None in (t1, dt, segment, t_transient):
        period = resolve_period(system, None, what)
    dt = period / 50 if dt is None else check_positive(dt, "dt", what)
    segment = period if segment is None else check_positive(segment, "segment", what)
    t1 = 100 * period if t1 is None else check_positive(t1, "t1", what)
    t_transient = (
        20 * period
        if t_transient is None
        else check_positive(t_transient, "t_transient", what, allow_zero=True)
    )
    steps = max(1, round(segment / dt))
    if segment < dt:
        raise ValueError(f"{what}: expected segment >= dt = {dt:g}, got {segment:g}")
    y0 = initial_state(system, y0)
    eps = float(jnp.finfo(y0.dtype).eps)
    rtol = max(1e-8, 10 * eps) if rtol is None else check_positive(rtol, "rtol", what)
    params, static = eqx.partition(system, eqx.is_inexact_array)
    options = dict(
        n_segments=max(1, round(t1 / (steps * dt))), steps_per_segment=steps,
        time_per_step=dt, n_unstable=n_unstable, n_transient=round(t_transient / dt),
    )  # fmt: skip
    if observable is None:  # λ₁ as the average of the expansion rate of (y, w)
        y0 = jnp.concatenate([y0, jnp.ones_like(y0) / jnp.sqrt(y0.size)])
        field = _ProjectiveTangentField(static)
        return _FlowStep(field, dt, rtol), _ExpansionRate(static), field, y0, params, options
    field = _VectorField(static)
    return _FlowStep(field, dt, rtol), _OfState(observable), field, y0, params, options


# Modules rather than closures: equal arguments make equal (hashable) static parts, so that a
# second call with new parameter values reuses the compiled shadowing run.
class _FlowStep(eqx.Module):
    field: eqx.Module
    dt: float = eqx.field(static=True)
    rtol: float = eqx.field(static=True)

    def __call__(self, y, params):
        rhs = lambda t, y: self.field(y, params)  # noqa: E731
        return flow_map(rhs, self.dt, rtol=self.rtol, atol=self.rtol)(y)


class _VectorField(eqx.Module):
    static: AbstractSystem

    def __call__(self, y, params):
        return eqx.combine(params, self.static).rhs(0.0, y)


class _ProjectiveTangentField(eqx.Module):
    """(y, w) ↦ (f(y), A w − (wᵀ A w) w), A = Df(y): the flow with a unit tangent vector,
    which aligns with the leading Lyapunov direction; wᵀ A w averages to λ₁."""

    static: AbstractSystem

    def __call__(self, z, params):
        rhs = _VectorField(self.static)
        y, w = jnp.split(z, 2)
        f, aw = jax.jvp(lambda y: rhs(y, params), (y,), (w,))
        return jnp.concatenate([f, aw - (w @ aw) * w])


class _ExpansionRate(eqx.Module):
    static: AbstractSystem

    def __call__(self, z, params):
        y, w = jnp.split(z, 2)
        _, aw = jax.jvp(lambda y: _VectorField(self.static)(y, params), (y,), (w,))
        return w @ aw / (w @ w)


class _OfState(eqx.Module):
    observable: Callable

    def __call__(self, y, params):
        return self.observable(y)
