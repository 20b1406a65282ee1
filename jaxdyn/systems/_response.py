r"""The whole derivative of a flow's long-time averages with respect to its parameters:
shadowing plus the unstable contribution (`jaxdyn.tangent.linear_response`)."""

from collections.abc import Callable

from jaxtyping import Array, Float

from .._checks import check_positive
from ..tangent import LinearResponse, linear_response as tangent_linear_response
from ..tangent._response import N_BLOCKS
from ._flow_problem import problem_on_flow
from ._system import AbstractSystem, resolve_period


def linear_response(
    system: AbstractSystem,
    observable: Callable[[Array], Array] | None,
    *,
    y0: Float[Array, " dim"] | None = None,
    t1: float | None = None,
    dt: float | None = None,
    correlation_time: float | None = None,
    t_transient: float | None = None,
    n_unstable: int | None = None,
    n_blocks: int = N_BLOCKS,
    throw: bool = True,
) -> LinearResponse:
    """J̄ = ⟨J(y)⟩ over the system's attractor and dJ̄/dθ for every parameter θ: Ruelle's
    linear response, the shadowing contribution and the unstable one that shadowing leaves
    out, by space-split sensitivity over RK4 steps (`jaxdyn.tangent.linear_response`). With
    `observable=None`, J̄ is λ₁ and the gradient dλ₁/dθ (the expansion rate on the flow
    extended by a unit tangent vector, as `max_lyapunov_sensitivity`).

    Measured (README, `jaxdyn.tangent`): Lorenz at ρ = 28, orbits of 10⁴ time units,
    d⟨z⟩/dρ 1.0016 ± 0.0008 (4 orbits) and dλ₁/dρ 0.0244 ± 0.0008 (48 orbits; one orbit
    scatters by 0.005), against finite differences over many orbits, 1.0036 ± 0.001 and
    0.0248 ± 0.0002 (shadowing alone: 1.018 and 0.0216–0.0226).

    **Arguments:** `observable` J(y) → scalar, or `None` for λ₁; `t1` the averaging time
    (default 1000 dominant periods: the answer is statistical, its `standard_error` falls
    like 1/√t1), `dt` the RK4 step (default a hundredth of the period), `correlation_time`
    the correlation sum's taper (default 10 periods: full weight to it, zero at twice it),
    `t_transient` (default 20 periods), `n_unstable` the number of positive exponents
    (default: counted from a spectrum over the transient; required under `jit`), `n_blocks`
    the batches of the standard error, `throw` as everywhere.

    **Returns:** `LinearResponse(average, gradient, standard_error, shadowing, unstable,
    n_unstable, exponents, stats)`, the gradients system-shaped pytrees.
    """
    step, observe, flow, y0, params, options = response_problem(
        system, observable, y0, t1, dt, correlation_time, t_transient, n_unstable, n_blocks,
        "linear_response",
    )  # fmt: skip
    return tangent_linear_response(step, observe, y0, params, flow=flow, throw=throw, **options)


def response_problem(
    system, observable, y0, t1, dt, correlation_time, t_transient, n_unstable, n_blocks, what
):
    """The linear-response problem of `observable` (λ₁ when `None`) on the system's RK4
    steps, with `linear_response`'s defaults: (step, J, f, y0, θ, options)."""
    step, observe, flow, y0, params, (dt, t1, t_transient, period) = problem_on_flow(
        system, observable, y0, t1, dt, t_transient, None, what, rk4=True, t1_periods=1000
    )
    if correlation_time is None and period is None:
        period = resolve_period(system, None, what)
    correlation_time = (
        10 * period
        if correlation_time is None
        else check_positive(correlation_time, "correlation_time", what)
    )
    options = dict(
        n_steps=round(t1 / dt), correlation_steps=max(1, round(correlation_time / dt)),
        time_per_step=dt, n_unstable=n_unstable, n_transient=round(t_transient / dt),
        n_blocks=n_blocks,
    )  # fmt: skip
    return step, observe, flow, y0, params, options
