r"""Derivatives of long-time averages by central differences over an ensemble of orbits: the
estimate that needs no hyperbolicity and no tangent dynamics.

    dJ̄/dθ_i ≈ (J̄(θ + δ_i e_i) − J̄(θ − δ_i e_i)) / (2 δ_i),

each J̄ the mean over N orbits of a time average over n steps after a transient, from the same
N initial states at every θ. Its error has two parts: the statistical one, about
σ_T √2 / (2 δ_i √N) with σ_T the spread of one orbit's time average (estimated from the
orbits and returned), and the truncation, J̄‴(θ) δ_i² / 6. It costs 2p + 1 ensembles for p
parameters, and a δ large enough to rise above σ_T yet small enough for the truncation. (The
derivative of the average, not the average of a derivative along orbits, which grows like
e^{λ₁T}: Lea, Allen & Haine, Tellus 52A, 2000.)

It is the method to trust where the tangent methods are not: shadowing leaves out the unstable
contribution (a bias), and near-neutral Lyapunov directions make its estimate scatter —
Kuramoto–Sivashinsky at L = 128, where NILSS's d⟨u²⟩/dh scatters by 2 between orbits of
2000 time units while these differences give −1.745 ± 0.029 from 8 orbits of 10⁴ (against
−1.728 ± 0.007 from the rescaling identity; README, `jaxdyn.tangent`). A chaotic orbit
forgets its initial state, so the N orbits are independent once the transient exceeds a few
Lyapunov times times log(1/spacing).
The orbits must stay on the attractor: where a stable state coexists with the chaos
(Kuramoto–Sivashinsky's cellular states), a member that falls onto it is an outlier in
`averages` and widens the standard error.
"""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree
from jaxtyping import Array, Float, PyTree

from .._checks import check_finite, check_positive, concrete_number
from .._integrate import all_finite, fixed_step_loop
from .._precision import highest_precision
from .._solution import Stats, check_stats
from ._shadowing import checked_problem

RELATIVE_STEP = 0.05  # the default δ/|θ|, shared by the pillars' conveniences


class FiniteDifferences(eqx.Module):
    """`FiniteDifferences(average, gradient, standard_error, average_error, averages,
    stats)`: J̄ at θ, dJ̄/dθ by central differences (a pytree like θ), the standard error of
    each derivative and of J̄ from the spread between the orbits, every member's time
    average, and the members' `Stats`, both of shape (2p + 1, N): row 0 the orbits at θ, rows
    1…p at θ + δ_i e_i, rows p + 1…2p at θ − δ_i e_i (`nonfinite_state` where a member blew
    up). A member that left the attractor — settled on a stable state that coexists with the
    chaos — is an outlier in `averages` and widens the standard error; it is not hidden."""

    average: Float[Array, ""]
    gradient: PyTree
    standard_error: PyTree
    average_error: Float[Array, ""]
    averages: Float[Array, "members orbits"]
    stats: Stats


@highest_precision
def finite_difference_sensitivity(
    step: Callable[[Array, PyTree], Array],
    observable: Callable[[Array, PyTree], Array],
    y0: Float[Array, "orbits dim"],
    theta: PyTree,
    *,
    n_steps: int,
    n_transient: int = 0,
    relative_step: float = RELATIVE_STEP,
    throw: bool = True,
) -> FiniteDifferences:
    """The long-time average J̄ = ⟨J(y, θ)⟩ and its derivative with respect to θ by central
    differences of ensemble averages.

    **Arguments:**

    - `step`: (y, θ) ↦ the next state (a map, or a flow sampled at Δt).
    - `observable`: (y, θ) ↦ the scalar J, averaged over the states after each step.
    - `y0`: (N, dim) initial states, N >= 2 (the standard errors come from their spread):
      distinct points, or one point with tiny perturbations and a transient long enough for
      chaos to separate them.
    - `theta`: the parameters (any pytree of float arrays).
    - `n_steps`: steps averaged per orbit, after `n_transient` steps that are not.
    - `relative_step`: δ_i = relative_step·|θ_i| (relative_step itself where θ_i = 0), in
      (0, 0.5].
    - `throw`: raise `jaxdyn.SolverFailure` if a member blew up.

    **Returns:** `FiniteDifferences(average, gradient, standard_error, average_error,
    averages, stats)`.
    """
    what = "finite_difference_sensitivity"
    y0 = jnp.asarray(y0)
    if y0.ndim != 2 or y0.shape[0] < 2 or not jnp.issubdtype(y0.dtype, jnp.floating):
        raise ValueError(
            f"{what}: expected a float y0 of shape (orbits, dim) with at least 2 orbits, got "
            f"{y0.dtype}{y0.shape}"
        )
    _, theta = checked_problem(step, observable, None, y0[0], theta, what)
    y0 = check_finite(y0, f"{what}: y0")
    n_steps = check_positive(n_steps, "n_steps", what, integer=True)
    n_transient = check_positive(n_transient, "n_transient", what, integer=True, allow_zero=True)
    relative_step = concrete_number(relative_step, "relative_step", what)
    if not 0 < relative_step <= 0.5:
        raise ValueError(f"{what}: expected relative_step in (0, 0.5], got {relative_step}")
    flat, unravel = ravel_pytree(theta)
    p, n = flat.size, y0.shape[0]
    delta = relative_step * jnp.where(flat != 0, jnp.abs(flat), 1.0)
    means, stats = _ensemble_averages(step, observable, y0, theta, delta, n_steps, n_transient)
    differences = (means[1 : p + 1] - means[p + 1 :]) / (2 * delta[:, None])  # (p, N)
    result = FiniteDifferences(
        average=jnp.mean(means[0]),
        gradient=unravel(jnp.mean(differences, axis=1)),
        standard_error=unravel(jnp.std(differences, axis=1, ddof=1) / jnp.sqrt(n)),
        average_error=jnp.std(means[0], ddof=1) / jnp.sqrt(n),
        averages=means,
        stats=stats,
    )
    return check_stats(stats, result, what) if throw else result


@eqx.filter_jit
def _ensemble_averages(step, observable, y0, theta_tree, delta, n_steps, n_transient):
    """Time averages (2p + 1, N) of J over each orbit at θ, θ + δ_i e_i and θ − δ_i e_i, and the
    members' stats."""
    theta, unravel = ravel_pytree(theta_tree)
    shifts = jnp.concatenate([jnp.zeros((1, theta.size), theta.dtype), jnp.diag(delta),
                              -jnp.diag(delta)])  # fmt: skip

    def time_average(y, shift):
        params = unravel(theta + shift)

        def advance(state, n):
            y, total, lost = state
            y = step(y, params)
            # compensated (Kahan) summation: a float32 sum of 10⁶ terms keeps its digits
            term = jnp.where(n >= n_transient, observable(y, params), 0.0) - lost
            new_total = total + term
            return y, new_total, (new_total - total) - term

        zero = jnp.zeros((), y.dtype)
        total, _, stats = fixed_step_loop(
            advance, (y, zero, zero), n_pre=n_transient + n_steps, n_per_save=1, n_saves=1,
            observe=lambda state: state[1], is_finite=lambda state: all_finite(state[:2]),
            remat=False,
        )  # fmt: skip
        return total[0] / n_steps, stats

    orbits = jax.vmap(time_average, in_axes=(0, None))
    return jax.vmap(orbits, in_axes=(None, 0))(y0, shifts)
