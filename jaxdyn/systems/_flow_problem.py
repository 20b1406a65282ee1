r"""The long-time-average problem on a system's flow, shared by shadowing and linear response:
the step map (adaptive flow map or RK4), the observable, the vector field and the parameters,
as Modules so that new parameter values reuse the compiled run."""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp

from .._checks import check_positive
from .._integrate import rk4_step
from ..tangent import flow_map
from ._arguments import initial_state
from ._system import AbstractSystem, resolve_period


def problem_on_flow(
    system, observable, y0, t1, dt, t_transient, rtol, what, *, rk4=False, t1_periods=100
):
    """(step, J, f, y0, θ, (dt, t1, t_transient, period)) for a long-time average of
    `observable` J(y) on the system's flow, θ its parameters; with `observable=None`, of λ₁
    (the expansion rate on the flow extended by a unit tangent vector). The step is the
    adaptive flow map (tolerance `rtol`), or with `rk4` one classical RK4 step of dt (smooth
    to every order, as second derivatives need; no `rtol`). Defaults: dt a fiftieth of the
    dominant period (a hundredth with `rk4`), t1 `t1_periods` periods, t_transient 20.
    `period` is the dominant period when a default needed it, else None."""
    if not isinstance(system, AbstractSystem):
        raise ValueError(f"{what}: expected an ODE system (AbstractSystem), got {system!r}")
    if observable is not None and not callable(observable):
        raise ValueError(f"{what}: expected a callable observable J(y), got {observable!r}")
    period = resolve_period(system, None, what) if None in (t1, dt, t_transient) else None
    dt = period / (100 if rk4 else 50) if dt is None else check_positive(dt, "dt", what)
    t1 = t1_periods * period if t1 is None else check_positive(t1, "t1", what)
    t_transient = (
        20 * period
        if t_transient is None
        else check_positive(t_transient, "t_transient", what, allow_zero=True)
    )
    y0 = initial_state(system, y0)
    params, static = eqx.partition(system, eqx.is_inexact_array)
    if observable is None:  # λ₁ as the average of the expansion rate of (y, w)
        y0 = jnp.concatenate([y0, jnp.ones_like(y0) / jnp.sqrt(y0.size)])
        field, observe = _ProjectiveTangentField(static), _ExpansionRate(static)
    else:
        field, observe = _VectorField(static), _OfState(observable)
    if rk4:
        step = _RK4Step(field, dt)
    else:
        eps = float(jnp.finfo(y0.dtype).eps)
        rtol = max(1e-8, 10 * eps) if rtol is None else check_positive(rtol, "rtol", what)
        step = _FlowStep(field, dt, rtol)
    return step, observe, field, y0, params, (dt, t1, t_transient, period)


# Modules rather than closures: equal arguments make equal (hashable) static parts, so that a
# second call with new parameter values reuses the compiled shadowing run.
class _FlowStep(eqx.Module):
    field: eqx.Module
    dt: float = eqx.field(static=True)
    rtol: float = eqx.field(static=True)

    def __call__(self, y, params):
        rhs = lambda t, y: self.field(y, params)  # noqa: E731
        return flow_map(rhs, self.dt, rtol=self.rtol, atol=self.rtol)(y)


class _RK4Step(eqx.Module):
    field: eqx.Module
    dt: float = eqx.field(static=True)

    def __call__(self, y, params):
        return rk4_step(lambda c, y: self.field(y, params), y, jnp.asarray(self.dt, y.dtype))


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
