r"""Covariant Lyapunov vectors over any step map, by Ginelli's method.

The covariant vectors vᵢ(y) are the directions that the tangent dynamics carries into each
other, Dstep(y)·vᵢ(y) ∝ vᵢ(step(y)), growing at the rate λᵢ on average; unlike the Gram–Schmidt
vectors they do not depend on the inner product and need not be orthogonal (tangencies between
them measure how far a system is from hyperbolic). Ginelli et al. (PRL 99, 130601, 2007):

1. forward, Dstep(y_k) Q_k = Q_{k+1} R_k (QR with diag R > 0): Q_k spans the leading
   Oseledets subspaces, so vᵢ(y_k) = Q_k c_k,i with C_k upper triangular;
2. backward, from a random upper-triangular C at the far end, C_k = R_k⁻¹ C_{k+1} with unit
   columns: the backward iteration converges to the covariant coefficients at the rate of the
   gaps between exponents.
"""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

from .._checks import check_positive
from .._integrate import fixed_step_loop
from .._precision import highest_precision
from .._results import RESULTS, first_failure
from .._solution import Stats, check_stats
from ._lyapunov import check_tangent_problem, orthonormal_start, tangent_qr_step


class CovariantVectors(eqx.Module):
    """`CovariantVectors(states, vectors, exponents, stats)`: the orbit `states[k]`
    (k = 0 … n_steps − 1, after the transient), the unit covariant vectors at each,
    `vectors[k][:, i]` belonging to the i-th exponent, the exponents (per unit time) averaged
    over the window, and the forward loop's `Stats` (`nonfinite_state` also when the backward
    pass lost the vectors)."""

    states: Float[Array, "n_steps dim"]
    vectors: Float[Array, "n_steps dim k"]
    exponents: Float[Array, " k"]
    stats: Stats


@highest_precision
def covariant_lyapunov_vectors(
    step: Callable[[Array], Array],
    y0: Float[Array, " dim"],
    n_steps: int,
    *,
    n_vectors: int | None = None,
    n_transient: int = 0,
    n_future: int | None = None,
    time_per_step: float = 1.0,
    throw: bool = True,
) -> CovariantVectors:
    """The `n_vectors` leading covariant Lyapunov vectors (default: all) along `n_steps`
    points of the orbit of `step` from `y0`.

    **Arguments:**

    - `step`, `y0`, `time_per_step`, `throw`: as for `lyapunov_spectrum_of_map`.
    - `n_steps`: the window of orbit points where the vectors are returned.
    - `n_transient`: forward steps before the window, for the Gram–Schmidt basis to align.
    - `n_future`: steps after the window, run forward and then backward for the triangular
      coefficients to converge (default `max(n_transient, n_steps)`); both transients should
      span many multiples of 1/(λᵢ − λᵢ₊₁) in steps.

    **Memory:** the window's states and bases, n_steps·dim·(k + 1) numbers, and the R factors
    of window and future, (n_steps + n_future)·k² numbers; nothing of the transient.

    **Returns:** `CovariantVectors(states, vectors, exponents, stats)`.
    """
    what = "covariant_lyapunov_vectors"
    y0, k, n_steps, n_transient, tau = check_tangent_problem(
        step, y0, n_steps, n_vectors, n_transient, time_per_step, what, "n_vectors"
    )
    n_future = max(n_transient, n_steps) if n_future is None else n_future
    n_future = check_positive(n_future, "n_future", what, integer=True)
    result = _covariant(step, y0, n_steps, k, n_transient, n_future, jnp.asarray(tau, y0.dtype))
    return check_stats(result.stats, result, what) if throw else result


@eqx.filter_jit
def _covariant(step, y0, n_steps, k, n_transient, n_future, tau):
    def advance(state, n):
        y, basis, _ = state
        return tangent_qr_step(step, y, basis)

    def run(state, n, observe):
        return fixed_step_loop(
            advance, state, n_pre=1, n_per_save=1, n_saves=n, observe=observe, dt=tau,
            remat=False,
        )  # fmt: skip

    eye = jnp.eye(k, dtype=y0.dtype)
    state = (y0, orthonormal_start(y0.size, k, y0.dtype), eye)
    if n_transient:
        _, state, _ = fixed_step_loop(
            advance, state, n_pre=n_transient, n_per_save=1, n_saves=1, remat=False
        )
    # Window: after step j the state is (y_{j+1}, Q_{j+1}, R_j); keep y_k, Q_k for the
    # window's points and R_k for the step out of each.
    y_first, q_first, _ = state
    (ys, qs, rs), state, window_stats = run(state, n_steps, lambda s: s)
    rs_future, _, future_stats = run(state, n_future, lambda s: s[2])
    states = jnp.concatenate([y_first[None], ys[:-1]])
    bases = jnp.concatenate([q_first[None], qs[:-1]])
    factors = jnp.concatenate([rs, rs_future])

    def back(c, r):
        c = jax.scipy.linalg.solve_triangular(r, c, lower=False)
        c = c / jnp.linalg.norm(c, axis=0)
        return c, c

    c_end = jnp.triu(jax.random.uniform(jax.random.key(1), (k, k), y0.dtype, 0.5, 1.0))
    c_end = c_end / jnp.linalg.norm(c_end, axis=0)
    c_window, _ = jax.lax.scan(back, c_end, factors[n_steps:], reverse=True)
    _, coefficients = jax.lax.scan(back, c_window, factors[:n_steps], reverse=True)
    # back(c_{k+1}, R_k) gives C_k, the coefficients at the window's point y_k.
    vectors = bases @ coefficients
    exponents = jnp.mean(jnp.log(jnp.diagonal(rs, axis1=1, axis2=2)), axis=0) / tau
    lost = ~jnp.all(jnp.isfinite(vectors))
    result = first_failure(
        window_stats.result != RESULTS.successful, window_stats.result,
        future_stats.result != RESULTS.successful, future_stats.result,
        lost, RESULTS.nonfinite_state,
    )  # fmt: skip
    stats = Stats(
        num_steps=window_stats.num_steps + future_stats.num_steps,
        num_rejected_steps=window_stats.num_rejected_steps,
        result=result,
        blowup_time=jnp.minimum(window_stats.blowup_time, future_stats.blowup_time + n_steps * tau),
    )
    return CovariantVectors(states, vectors, exponents, stats)
