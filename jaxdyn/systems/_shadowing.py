r"""Derivatives of a flow's long-time averages with respect to its parameters, by shadowing
(the tangent-dynamics mechanism's NILSS, `jaxdyn.tangent.shadowing_sensitivity`)."""

from collections.abc import Callable

from jaxtyping import Array, Float

from .._checks import check_positive
from ..tangent import (
    Shadowing,
    long_time_average as tangent_long_time_average,
    shadowing_sensitivity as tangent_shadowing_sensitivity,
)
from ..tangent._response import N_BLOCKS
from ._differences import differences_problem
from ._flow_problem import problem_on_flow
from ._response import response_problem
from ._system import AbstractSystem, resolve_period


def long_time_average(
    system: AbstractSystem,
    observable: Callable[[Array], Array],
    *,
    method: str = "shadowing",
    y0: Float[Array, " dim"] | None = None,
    t1: float | None = None,
    dt: float | None = None,
    segment: float | None = None,
    correlation_time: float | None = None,
    t_transient: float | None = None,
    n_unstable: int | None = None,
    rtol: float | None = None,
    n_orbits: int | None = None,
    relative_step: float | None = None,
) -> Float[Array, ""]:
    """J̄ = ⟨J(y)⟩ over the system's attractor, differentiable in the system's parameters:
    `jax.grad(lambda s: long_time_average(s, J))(system)` is dJ̄/dθ for every parameter θ —
    the derivative that a finite-time average's gradient, growing like e^{λ₁T}, cannot give.

    `method="shadowing"` (NILSS, Ni & Wang 2017): low variance, but the shadowing
    contribution only — it leaves out the unstable contribution (a systematic error, +1.5%
    for Lorenz's d⟨z⟩/dρ; see `jaxdyn.tangent.shadowing_sensitivity`).
    `method="linear_response"`: the whole derivative (`systems.linear_response`, its defaults
    and its statistical error; `segment` and `rtol` do not apply, `correlation_time` does:
    an argument that does not apply is refused).
    `method="finite_differences"`: central differences of ensemble averages
    (`systems.finite_difference_sensitivity`, its defaults, `n_orbits` and `relative_step`;
    no hyperbolicity needed, a statistical error, 2p + 1 ensembles for p parameters).

    **Arguments:** `observable` J(y) → scalar; `t1` the averaging time (default 100 dominant
    periods; 1000 for the linear response and, per orbit, for the differences), `dt` the
    sampling step (default a fiftieth of the period; a hundredth, as the RK4 step, for the
    linear response and the differences), `segment` the shadowing segment (default one
    period, about a Lyapunov time for most flows), `t_transient` (default 20 periods),
    `n_unstable` the number of directions that do not decay within a segment (default:
    counted from a Lyapunov spectrum over the transient; required under `jit`), `rtol` the
    flow's tolerance (default 1e-8, or 10 ε of float32), `n_orbits` (default 16) and
    `relative_step` (default 0.05) the ensemble and the step of the differences.
    """
    what = "long_time_average"
    unused = {
        "linear_response": {"segment": segment, "rtol": rtol, "n_orbits": n_orbits,
                            "relative_step": relative_step},
        "shadowing": {"correlation_time": correlation_time, "n_orbits": n_orbits,
                      "relative_step": relative_step},
        "finite_differences": {"segment": segment, "rtol": rtol, "n_unstable": n_unstable,
                               "correlation_time": correlation_time},
    }.get(method, {})  # fmt: skip
    for name, value in unused.items():
        if value is not None:
            raise ValueError(f"{what}: {name} does not apply to method={method!r}; expected None")
    if method == "linear_response":
        step, observe, flow, y0, params, options = response_problem(
            system, observable, y0, t1, dt, correlation_time, t_transient, n_unstable, N_BLOCKS,
            what,
        )  # fmt: skip
    elif method == "shadowing":
        step, observe, flow, y0, params, options = _problem(
            system, observable, y0, t1, dt, segment, t_transient, n_unstable, rtol, what
        )
    elif method == "finite_differences":
        step, observe, y0, params, options = differences_problem(
            system, observable, y0, n_orbits, t1, dt, t_transient, relative_step, what
        )
        return tangent_long_time_average(step, observe, y0, params, method=method, **options)
    else:
        raise ValueError(
            f"{what}: expected method 'shadowing', 'linear_response' or 'finite_differences', "
            f"got {method!r}"
        )
    return tangent_long_time_average(step, observe, y0, params, flow=flow, method=method, **options)


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
    (use it to about 10%; `linear_response(system, None)` gives the whole derivative).
    Arguments as for `long_time_average`;
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
    step, observe, flow, y0, params, times = problem_on_flow(
        system, observable, y0, t1, dt, t_transient, rtol, what
    )
    dt, t1, t_transient, period = times
    if segment is None:
        segment = period or resolve_period(system, None, what)
    segment = check_positive(segment, "segment", what)
    steps = max(1, round(segment / dt))
    if segment < dt:
        raise ValueError(f"{what}: expected segment >= dt = {dt:g}, got {segment:g}")
    options = dict(
        n_segments=max(1, round(t1 / (steps * dt))), steps_per_segment=steps,
        time_per_step=dt, n_unstable=n_unstable, n_transient=round(t_transient / dt),
    )  # fmt: skip
    return step, observe, flow, y0, params, options
