r"""Lyapunov exponents by the tangent-space QR method, over any step map y ↦ step(y).

λ_i = lim_{n→∞} (1/(n τ)) Σ_k log |R_k,ii|,  with  Q_k R_k = Dstep(y_{k−1}) Q_{k−1}
(Benettin, Galgani, Giorgilli & Strelcyn, Meccanica 15, 1980; Shimada & Nagashima, Prog.
Theor. Phys. 61, 1979). Tangent vectors are pushed through `jax.jvp`, so the same routine
serves a flow sampled every τ, a map, a spectral PDE stepper or a trained RNN.
"""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float

from .._checks import check_finite, check_positive, concrete_number
from .._integrate import fixed_step_loop
from .._precision import highest_precision
from .._solution import Stats, check_stats


class LyapunovSpectrum(eqx.Module):
    """`LyapunovSpectrum(exponents, running, stats)`: the exponents in descending order (per
    unit time), the running estimates after every step (`None` unless `history=True`), and
    the loop's `Stats` (`stats.result` is `RESULTS.nonfinite_state` if the orbit or its tangent
    vectors became non-finite; `blowup_time` counts from the end of the transient)."""

    exponents: Float[Array, " k"]
    running: Float[Array, "n_steps k"] | None
    stats: Stats


@highest_precision
def lyapunov_spectrum_of_map(
    step: Callable[[Array], Array],
    y0: Float[Array, " dim"],
    n_steps: int,
    *,
    n_exponents: int | None = None,
    n_transient: int = 0,
    time_per_step: float = 1.0,
    history: bool = False,
    throw: bool = True,
) -> LyapunovSpectrum:
    """The `n_exponents` largest Lyapunov exponents (default: all) of the map `step`.

    **Arguments:**

    - `step`: the map y ↦ step(y) on flat float vectors (differentiable by `jax.jvp`).
    - `y0`: the initial state, shape (dim,).
    - `n_steps`: steps averaged over, after `n_transient` steps of transient (in which the
      orbit and the tangent basis are evolved and the growth discarded).
    - `n_exponents`: how many, 1 ≤ k ≤ dim (default dim).
    - `time_per_step`: τ, so the exponents are per unit time (1 for a map).
    - `history`: also return the running estimate after every step (to judge convergence).
    - `throw`: raise `jaxdyn.SolverFailure` if the orbit or its tangent vectors became
      non-finite; with `throw=False` read `stats.result`.

    **Returns:** `LyapunovSpectrum(exponents, running, stats)`.
    """
    what = "lyapunov_spectrum_of_map"
    if not callable(step):
        raise ValueError(f"{what}: expected a callable step map, got {step!r}")
    y0 = jnp.asarray(y0)
    if y0.ndim != 1 or y0.size == 0 or not jnp.issubdtype(y0.dtype, jnp.floating):
        raise ValueError(f"{what}: expected a float y0 of shape (dim,), got {y0.dtype}{y0.shape}")
    y0 = check_finite(y0, f"{what}: y0")
    dim = y0.size
    k = (
        dim
        if n_exponents is None
        else concrete_number(n_exponents, "n_exponents", what, integer=True)
    )
    if not 1 <= k <= dim:
        raise ValueError(f"{what}: expected 1 <= n_exponents <= {dim} (the state's size), got {k}")
    n_steps = check_positive(n_steps, "n_steps", what, integer=True)
    n_transient = check_positive(n_transient, "n_transient", what, integer=True, allow_zero=True)
    tau = check_positive(time_per_step, "time_per_step", what)
    shape = jax.eval_shape(step, y0)
    if shape.shape != y0.shape:
        raise ValueError(
            f"{what}: expected step to map shape {y0.shape} to itself, got {shape.shape}"
        )
    result = _spectrum(step, y0, n_steps, k, n_transient, jnp.asarray(tau, y0.dtype), bool(history))
    return check_stats(result.stats, result, what) if throw else result


@eqx.filter_jit
def _spectrum(step, y0, n_steps, k, n_transient, tau, history):
    def advance(state, n):
        y, basis, total = state
        # One primal evaluation, k tangent evaluations: vmap over the tangents only.
        y_next, tangents = jax.vmap(
            lambda v: jax.jvp(step, (y,), (v,)), in_axes=1, out_axes=(None, 1)
        )(basis)
        basis, r = jnp.linalg.qr(tangents)
        return y_next, basis, total + jnp.log(jnp.abs(jnp.diagonal(r)))

    # A generic (pseudo-random, fixed) orthonormal start: the identity's columns can lie on
    # an invariant direction (a radial vector on a limit cycle), where round-off alone must
    # grow for the basis to find the leading direction. The transient evolves the basis too,
    # so the averaging starts from aligned vectors.
    start = jax.random.normal(jax.random.key(0), (y0.size, k), y0.dtype)
    state = (y0, jnp.linalg.qr(start)[0], jnp.zeros(k, y0.dtype))
    _, (y, basis, _), _ = fixed_step_loop(
        advance, state, n_pre=n_transient, n_per_save=1, n_saves=1, remat=False
    )
    totals, (_, _, total), stats = fixed_step_loop(
        advance, (y, basis, jnp.zeros(k, y0.dtype)), n_pre=0 if history else n_steps,
        n_per_save=1, n_saves=n_steps + 1 if history else 1, observe=lambda state: state[2],
        dt=tau, remat=False,
    )  # fmt: skip
    exponents = total / (n_steps * tau)
    running = None
    if history:
        elapsed = jnp.arange(1, n_steps + 1, dtype=y0.dtype)[:, None] * tau
        running = totals[1:] / elapsed
    return LyapunovSpectrum(exponents, running, stats)


def kaplan_yorke_dimension(
    spectrum: Float[ArrayLike, " k"] | LyapunovSpectrum,
) -> Float[Array, ""]:
    """D_KY = j + (λ₁ + … + λ_j)/|λ_{j+1}|, j the largest index with λ₁ + … + λ_j ≥ 0
    (Kaplan & Yorke, Lect. Notes Math. 730, 1979). 0 if λ₁ < 0; the dimension if every
    partial sum is non-negative. Accepts a `LyapunovSpectrum` or its exponents."""
    if isinstance(spectrum, LyapunovSpectrum):
        spectrum = spectrum.exponents
    spectrum = jnp.asarray(spectrum)
    if spectrum.ndim != 1 or spectrum.size == 0:
        raise ValueError(
            f"kaplan_yorke_dimension: expected a spectrum of shape (k,), got {spectrum.shape}"
        )
    spectrum = jnp.sort(spectrum)[::-1]
    partial = jnp.cumsum(spectrum)
    j = jnp.sum(partial >= 0)  # partial sums of a descending sequence: a prefix is >= 0
    n = spectrum.size
    inside = j + partial[jnp.maximum(j - 1, 0)] / jnp.abs(spectrum[jnp.minimum(j, n - 1)])
    dimension = jnp.where(j == 0, 0.0, jnp.where(j == n, float(n), inside))
    return jnp.where(jnp.all(jnp.isfinite(spectrum)), dimension, jnp.nan)
