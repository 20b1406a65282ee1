r"""Lyapunov exponents by the tangent-space QR method, over any step map y ↦ step(y).

λ_i = lim_{n→∞} (1/(n τ)) Σ_k log |R_k,ii|,  with  Q_k R_k = Dstep(y_{k−1}) Q_{k−1}
(Benettin, Galgani, Giorgilli & Strelcyn, Meccanica 15, 1980; Shimada & Nagashima, Prog.
Theor. Phys. 61, 1979). Tangent vectors are pushed through `jax.jvp`, so the same routine
serves a flow sampled every τ, a map, a spectral PDE stepper or a trained RNN.
"""

import math
from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float

from .._checks import check_finite, check_positive, concrete_number
from .._integrate import fixed_step_loop
from .._precision import highest_precision
from .._results import RESULTS
from .._solution import Stats, check_stats


class LyapunovSpectrum(eqx.Module):
    """`LyapunovSpectrum(exponents, running, stats, step_spread)`: the exponents in descending
    order (per unit time), the running estimates after every step (`None` unless
    `history=True`), the loop's `Stats`, and the one-step spread of the tangent growth,
    log(max R_ii / min R_ii), averaged over the steps (about (λ₁ − λ_k)·τ).

    `stats.result` is `RESULTS.nonfinite_state` if the orbit or its tangent vectors became
    non-finite (`blowup_time` counts from the end of the transient), and
    `RESULTS.tangent_resolution_lost` if the k-th vector shrinks against the first by more
    than the arithmetic resolves: its growth R_kk is known only to δ·R₁₁ (δ = ε, or a
    tangent integration's rtol), and the run is flagged once the typical step has
    δ·R₁₁/R_kk > 10⁻³. (A rare step beyond it, a close pass by a singularity, costs one
    step's accuracy, O(spread/T) in the exponents, and is not flagged.) A shorter step fixes
    it (`systems.lyapunov_spectrum` shortens its default τ by itself).
    """

    exponents: Float[Array, " k"]
    running: Float[Array, "n_steps k"] | None
    stats: Stats
    step_spread: Float[Array, ""]


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
    tangent_projection: Callable[[Array], Array] | None = None,
    tangent_map: Callable[[Array, Array], tuple[Array, Array]] | None = None,
    tangent_accuracy: float | None = None,
    throw: bool = True,
    progress: bool = False,
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
    - `tangent_projection`: an orthogonal projection P onto the tangent subspace that
      matters, when the map preserves it (conserved or removed modes, e.g. a spectral PDE's
      mean and dealiased modes): the basis starts in P's range and is projected again after
      every step, so round-off cannot grow outside it; then 1 ≤ n_exponents ≤ rank P.
    - `tangent_map`: (y, V) ↦ (step(y), Dstep(y)·V) computed together, e.g. a flow's
      variational equations integrated with error control on the tangents
      (`variational_flow_map`); default: `jax.jvp` of `step`.
    - `tangent_accuracy`: the relative accuracy δ of the tangents (an integration's rtol;
      default ε): a run whose mean one-step spread log(R₁₁/R_kk) passes log(1/δ) − log 10³ is
      flagged (`RESULTS.tangent_resolution_lost`).
    - `throw`: raise `jaxdyn.SolverFailure` if the orbit or its tangent vectors became
      non-finite; with `throw=False` read `stats.result`.
    - `progress`: progress bars for the transient and the averaging (tqdm in Jupyter or a
      terminal when installed, else a stderr line), about a hundred updates from the
      compiled loop.

    **Returns:** `LyapunovSpectrum(exponents, running, stats, step_spread)`.
    """
    what = "lyapunov_spectrum_of_map"
    y0, k, n_steps, n_transient, tau = check_tangent_problem(
        step, y0, n_steps, n_exponents, n_transient, time_per_step, what, "n_exponents"
    )
    if tangent_projection is not None:
        _check_projection(tangent_projection, y0, k, what)
    if tangent_accuracy is not None:
        tangent_accuracy = _check_accuracy(tangent_accuracy, what)
    result = _spectrum(
        step, y0, n_steps, k, n_transient, jnp.asarray(tau, y0.dtype), bool(history),
        tangent_projection, tangent_map, bool(progress), tangent_accuracy,
    )  # fmt: skip
    return check_stats(result.stats, result, what) if throw else result


_RESOLUTION_MARGIN = math.log(1e3)  # flag once a step's R_kk is known to worse than 1e-3


def spread_limit(dtype, tangent_accuracy: float | None = None) -> float:
    """The largest one-step spread log(R₁₁/R_kk) of the tangent growth whose R_kk is still
    known to 10⁻³: tangents of relative accuracy δ (ε of `dtype`, or a coarser
    `tangent_accuracy`, e.g. an integration's rtol) resolve log(1/δ) e-folds. Choose the
    step (τ) of a Lyapunov run so that (λ₁ − λ_k)·τ stays well below it: 29 in float64,
    9 in float32, 14 for a flow integrated at rtol 1e-9."""
    if not jnp.issubdtype(dtype, jnp.floating):
        raise ValueError(f"spread_limit: expected a float dtype, got {dtype}")
    if tangent_accuracy is not None:
        tangent_accuracy = _check_accuracy(tangent_accuracy, "spread_limit")
    accuracy = max(float(jnp.finfo(dtype).eps), tangent_accuracy or 0.0)
    return -math.log(accuracy) - _RESOLUTION_MARGIN


def one_step_spread(logs):
    """log(max R_ii / min R_ii) of one step: the e-folds between its fastest- and
    slowest-growing tangent vectors."""
    return jnp.max(logs) - jnp.min(logs)


def _check_accuracy(tangent_accuracy, what) -> float:
    tangent_accuracy = check_positive(tangent_accuracy, "tangent_accuracy", what)
    if not tangent_accuracy < 1:
        raise ValueError(f"{what}: expected tangent_accuracy < 1, got {tangent_accuracy}")
    return tangent_accuracy


def check_tangent_problem(step, y0, n_steps, n_vectors, n_transient, time_per_step, what, name):
    """The checked (y0, k, n_steps, n_transient, τ) of a tangent-dynamics run over `step`."""
    if not callable(step):
        raise ValueError(f"{what}: expected a callable step map, got {step!r}")
    y0 = jnp.asarray(y0)
    if y0.ndim != 1 or y0.size == 0 or not jnp.issubdtype(y0.dtype, jnp.floating):
        raise ValueError(f"{what}: expected a float y0 of shape (dim,), got {y0.dtype}{y0.shape}")
    y0 = check_finite(y0, f"{what}: y0")
    dim = y0.size
    k = dim if n_vectors is None else concrete_number(n_vectors, name, what, integer=True)
    if not 1 <= k <= dim:
        raise ValueError(f"{what}: expected 1 <= {name} <= {dim} (the state's size), got {k}")
    n_steps = check_positive(n_steps, "n_steps", what, integer=True)
    n_transient = check_positive(n_transient, "n_transient", what, integer=True, allow_zero=True)
    tau = check_positive(time_per_step, "time_per_step", what)
    shape = jax.eval_shape(step, y0)
    if shape.shape != y0.shape or shape.dtype != y0.dtype:
        raise ValueError(
            f"{what}: expected step to map {y0.dtype}{y0.shape} to itself, got "
            f"{shape.dtype}{shape.shape} (parameters of another precision than y0?)"
        )
    return y0, k, n_steps, n_transient, tau


_RANK_CHECK_MAX_DIM = 4096  # above this, building P's matrix to count its rank costs too much


def _check_projection(project, y0, k, what):
    if not callable(project):
        raise ValueError(f"{what}: expected a callable tangent_projection, got {project!r}")
    shape = jax.eval_shape(project, y0)
    if shape.shape != y0.shape:
        raise ValueError(
            f"{what}: expected tangent_projection to map shape {y0.shape} to itself, got "
            f"{shape.shape}"
        )
    if y0.size <= _RANK_CHECK_MAX_DIM:
        try:
            with jax.ensure_compile_time_eval():
                eye = jnp.eye(y0.size, dtype=y0.dtype)
                rank = round(float(jnp.trace(jax.vmap(project)(eye))))
        except jax.errors.ConcretizationTypeError:  # P depends on traced values: not checked
            return
        if k > rank:
            raise ValueError(
                f"{what}: expected n_exponents <= {rank} (the rank of tangent_projection), got {k}"
            )


def tangent_qr_step(step, y, basis, project_columns=lambda v: v, tangent_map=None):
    """One step of the orbit and its tangent basis: y⁺ = step(y) and Q⁺R = Dstep(y)·Q, with
    diag R > 0 (Householder QR's signs normalised, so that Q⁺ varies continuously along the
    orbit, as the backward pass of the covariant vectors needs). The tangents come from
    `tangent_map(y, Q)` when given, else from `jax.jvp` of `step`."""
    if tangent_map is not None:
        y_next, tangents = tangent_map(y, basis)
    else:  # one primal evaluation, k tangent evaluations: vmap over the tangents only
        push = lambda v: jax.jvp(step, (y,), (v,))  # noqa: E731
        y_next, tangents = jax.vmap(push, in_axes=1, out_axes=(None, 1))(basis)
    q, r = positive_qr(project_columns(tangents))
    return y_next, q, r


def positive_qr(vectors):
    """Q R = vectors with diag R > 0 (and empty factors for no vectors)."""
    if vectors.shape[1] == 0:
        return vectors, jnp.zeros((0, 0), vectors.dtype)
    q, r = jnp.linalg.qr(vectors)
    signs = jnp.where(jnp.diagonal(r) < 0, -1.0, 1.0).astype(r.dtype)
    return q * signs, r * signs[:, None]


def orthonormal_start(dim, k, dtype, project_columns=lambda v: v):
    """A generic (pseudo-random, fixed) orthonormal basis of k vectors: the identity's columns
    can lie on an invariant direction (a radial vector on a limit cycle), where round-off alone
    must grow for the basis to find the leading direction."""
    start = jax.random.normal(jax.random.key(0), (dim, k), dtype)
    return jnp.linalg.qr(project_columns(start))[0]


@eqx.filter_jit
def _spectrum(
    step,
    y0,
    n_steps,
    k,
    n_transient,
    tau,
    history,
    project=None,
    tangent_map=None,
    progress=False,
    tangent_accuracy=None,
):
    project_columns = (lambda v: v) if project is None else jax.vmap(project, 1, 1)

    def advance(state, n):
        y, basis, total, spread = state
        y_next, basis, r = tangent_qr_step(step, y, basis, project_columns, tangent_map)
        logs = jnp.log(jnp.diagonal(r))
        return y_next, basis, total + logs, spread + one_step_spread(logs)

    # The transient evolves the basis too, so the averaging starts from aligned vectors.
    zero = jnp.zeros((), y0.dtype)
    state = (y0, orthonormal_start(y0.size, k, y0.dtype, project_columns),
             jnp.zeros(k, y0.dtype), zero)  # fmt: skip
    _, (y, basis, _, _), _ = fixed_step_loop(
        advance,
        state,
        n_pre=n_transient,
        n_per_save=1,
        n_saves=1,
        remat=False,
        progress="Lyapunov transient" if progress and n_transient else None,
    )
    totals, (_, _, total, spread), stats = fixed_step_loop(
        advance, (y, basis, jnp.zeros(k, y0.dtype), zero), n_pre=0 if history else n_steps,
        n_per_save=1, n_saves=n_steps + 1 if history else 1, observe=lambda state: state[2],
        dt=tau, remat=False, progress="Lyapunov spectrum" if progress else None,
    )  # fmt: skip
    exponents = total / (n_steps * tau)
    running = None
    if history:
        elapsed = jnp.arange(1, n_steps + 1, dtype=y0.dtype)[:, None] * tau
        running = totals[1:] / elapsed
    spread = spread / n_steps
    lost = spread > spread_limit(y0.dtype, tangent_accuracy)
    result = RESULTS.where(
        (stats.result == RESULTS.successful) & lost, RESULTS.tangent_resolution_lost, stats.result
    )
    return LyapunovSpectrum(exponents, running, eqx.tree_at(lambda s: s.result, stats, result),
                            spread)  # fmt: skip


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
