r"""Derivatives of a flow's long-time averages by central differences over an ensemble of
orbits (`jaxdyn.tangent.finite_difference_sensitivity`): no hyperbolicity assumed."""

from collections.abc import Callable

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

from .._checks import check_positive
from ..tangent import FiniteDifferences, finite_difference_sensitivity as tangent_differences
from ..tangent._differences import RELATIVE_STEP
from ._flow_problem import problem_on_flow
from ._system import AbstractSystem

N_ORBITS = 16  # the default ensemble


def finite_difference_sensitivity(
    system: AbstractSystem,
    observable: Callable[[Array], Array] | None,
    *,
    y0: Float[Array, " dim"] | None = None,
    n_orbits: int = N_ORBITS,
    t1: float | None = None,
    dt: float | None = None,
    t_transient: float | None = None,
    relative_step: float = RELATIVE_STEP,
    throw: bool = True,
) -> FiniteDifferences:
    """J̄ = ⟨J(y)⟩ over the system's attractor and dJ̄/dθ for every parameter θ by central
    differences, (J̄(θ + δ) − J̄(θ − δ)) / 2δ with δ = `relative_step`·|θ|, each J̄ a mean over
    `n_orbits` orbits that start within 10⁻³ of `y0` and separate over the transient. With
    `observable=None`, J̄ is λ₁ (the expansion rate on the flow extended by a unit tangent
    vector, as `linear_response`). It assumes no hyperbolicity; its standard error, from the
    spread between the orbits, falls like 1/(δ √(n_orbits·t1)).

    Measured (README, `jaxdyn.tangent`): Lorenz at ρ = 28, 16 orbits of 1000 periods, a
    second each: d⟨z⟩/dρ 1.0044 ± 0.0031 and dλ₁/dρ 0.02445 ± 0.00043 (float64), against
    1.0036 ± 0.001 and 0.02476 ± 0.00017 from long runs.

    **Arguments:** `observable` J(y) → scalar, or `None` for λ₁; `y0` the centre of the
    ensemble (default the system's initial state); `n_orbits` >= 2; `t1` the averaging time
    of each orbit (default 1000 dominant periods), `dt` the RK4 step (default a hundredth of
    the period), `t_transient` (default 20 periods); `relative_step` in (0, 0.5]; `throw` as
    everywhere.

    **Returns:** `FiniteDifferences(average, gradient, standard_error, average_error,
    averages, stats)`, the gradient and its errors system-shaped pytrees.
    """
    step, observe, y0s, params, options = differences_problem(
        system, observable, y0, n_orbits, t1, dt, t_transient, relative_step,
        "finite_difference_sensitivity",
    )  # fmt: skip
    return tangent_differences(step, observe, y0s, params, throw=throw, **options)


def differences_problem(system, observable, y0, n_orbits, t1, dt, t_transient, relative_step, what):
    """(step, J, y0s, θ, options) of `finite_difference_sensitivity` on RK4 steps: the
    ensemble's initial states spread by 10⁻³ (relative) around y0; `None` takes the defaults
    of `n_orbits` and `relative_step`."""
    step, observe, _, y0, params, (dt, t1, t_transient, _) = problem_on_flow(
        system, observable, y0, t1, dt, t_transient, None, what, rk4=True, t1_periods=1000
    )
    n_orbits = N_ORBITS if n_orbits is None else n_orbits
    n_orbits = check_positive(n_orbits, "n_orbits", what, integer=True)
    if n_orbits < 2:
        raise ValueError(
            f"{what}: expected n_orbits >= 2 (the errors need a spread), got {n_orbits}"
        )
    relative_step = RELATIVE_STEP if relative_step is None else relative_step
    scale = jnp.maximum(jnp.abs(y0), 1.0)
    noise = jax.random.normal(jax.random.key(0), (n_orbits, y0.size), y0.dtype)
    y0s = y0 + 1e-3 * scale * noise
    options = dict(
        n_steps=round(t1 / dt), n_transient=round(t_transient / dt), relative_step=relative_step
    )
    return step, observe, y0s, params, options
