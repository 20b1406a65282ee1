r"""The whole linear response of a long-time average: the shadowing contribution plus the
unstable contribution that shadowing leaves out, by space-split sensitivity (S3; Chandramoorthy
& Wang, SIAM J. Appl. Dyn. Syst. 21, 2022), here in a form that also serves flows.

Ruelle's response of J̄ = ⟨J⟩ to a perturbation X = ∂step/∂θ is Σ_{m≥0} ⟨dJ∘φ^m · Dφ^m X⟩.
Write the tangent carried along the orbit as y_{n+1} = Dφ v_n + X_n and split it at every step
against an orthonormal frame E of the centre-unstable subspace,

    y_{n+1} = E_{n+1} a_{n+1} + v_{n+1},    a = Eᵀ y,  v ⊥ E.

v stays bounded (its part is the quotient by the centre-unstable subspace, which contracts), and
contributes ⟨∂J/∂y·v + ∂J/∂θ⟩. The frame part is moved onto J by integrating by parts along the
unstable manifolds, where the SRB measure has a density ρ:

    −Σ_{m=0}^{∞} ⟨(J∘φ^m − J̄) · div_ρ(E a)⟩,
    div_ρ(E a) = Σ_i (∂_i a_i + a_i div e_i + a_i ∂_i log ρ),

∂_i the derivative along e_i. The derivatives of everything the recursion carries (E, v, a) and
log ρ along the manifold follow from `jax.jvp` of one step along the frame: moving y_n along
E_n c moves y_{n+1} along E_{n+1} M c with M = E_{n+1}ᵀ Dφ E_n, so derivatives at n + 1 are
those at n times M⁻¹, and log ρ_{n+1} = log ρ_n − log|det M| (the density's push-forward). These
recursions contract: they start from zero and settle within the transient. The correlation sum
is tapered (weight 1 up to W steps, falling linearly to 0 at 2W: the mean of the partial sums
over W … 2W, which averages out the slow oscillation of a flow's correlations).

For a flow the frame's first vector is f/|f|: that part a₀ is a time shift, whose effect is
exact, (a₀/|f|) ((J̄ − J)/Δt + ½ dJ/dt); and the density along the flow is known,
∂_f log ρ = −tr(Eᵀ Df E) (ρ is carried by the flow), so that component, which the recursion
would not forget, is set rather than carried. The frame {f, unstable} stays orthonormal where
the unstable direction turns towards the flow (Lorenz), where splitting a tangent into those
two directions would not.

Assumes a hyperbolic attractor with SRB measure (Lorenz, singular-hyperbolic, works in
practice), an observable smooth along unstable manifolds, and decay of correlations within W.
The error is statistical: `standard_error` is from batch means. Cost per step: k + p tangent
pushes and their derivatives along the k frame vectors (second-order `jax.jvp`).
"""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree
from jaxtyping import Array, Float, PyTree

from .._checks import check_positive, concrete_number
from .._integrate import fixed_step_loop
from .._precision import highest_precision
from .._results import RESULTS, first_failure
from .._solution import Stats, check_stats
from ._lyapunov import orthonormal_start, positive_qr
from ._shadowing import checked_problem, count_unstable, transient_exponents

N_BLOCKS = 10  # batches of the standard error by default, shared by the conveniences


class LinearResponse(eqx.Module):
    """`LinearResponse(average, gradient, standard_error, shadowing, unstable, n_unstable,
    exponents, stats)`: J̄, dJ̄/dθ (a pytree like θ), its standard error from batch means, the
    two parts of the gradient (the shadowing part with the flow's time shift, and the unstable
    contribution), the number of unstable directions used, the Lyapunov exponents they were
    counted from (`None` when given) and the run's `Stats` (`nonfinite_state` when the orbit,
    the frame or the derivatives became non-finite)."""

    average: Float[Array, ""]
    gradient: PyTree
    standard_error: PyTree
    shadowing: PyTree
    unstable: PyTree
    n_unstable: int = eqx.field(static=True)
    exponents: Float[Array, " k"] | None
    stats: Stats


@highest_precision
def linear_response(
    step: Callable[[Array, PyTree], Array],
    observable: Callable[[Array, PyTree], Array],
    y0: Float[Array, " dim"],
    theta: PyTree,
    *,
    n_steps: int,
    correlation_steps: int,
    time_per_step: float = 1.0,
    flow: Callable[[Array, PyTree], Array] | None = None,
    n_unstable: int | None = None,
    n_transient: int = 0,
    n_blocks: int = N_BLOCKS,
    throw: bool = True,
) -> LinearResponse:
    """The long-time average J̄ = ⟨J(y, θ)⟩ over the orbit of `step` and its whole derivative
    dJ̄/dθ (Ruelle's linear response), by space-split sensitivity.

    **Arguments:**

    - `step`: (y, θ) ↦ the state `time_per_step` later (a map, or a flow sampled at Δt); twice
      differentiable (the density's gradient needs second derivatives).
    - `observable`: (y, θ) ↦ the scalar J.
    - `y0`, `theta`: the initial state (dim,) and the parameters (any pytree of float arrays).
    - `n_steps`: steps averaged over, at least 2·`correlation_steps`·(`n_blocks` + 1).
    - `correlation_steps`: W, the correlation sum's taper (full weight to W, zero at 2W); a
      few decorrelation times of J.
    - `flow`: for a flow, (y, θ) ↦ f(y, θ), its vector field; `None` for a map.
    - `n_unstable`: the number of positive exponents (a flow's zero one not counted); default:
      counted from a Lyapunov spectrum over the transient.
    - `n_transient`: steps before the averaging, in which the orbit reaches the attractor and
      the frame, the density's gradient and the tangents settle (many Lyapunov times).
    - `n_blocks`: the batches of the standard error.
    - `throw`: raise `jaxdyn.SolverFailure` on a non-finite orbit, frame or derivative.

    **Returns:** `LinearResponse(average, gradient, standard_error, shadowing, unstable,
    n_unstable, exponents, stats)`.
    """
    what = "linear_response"
    y0, theta = checked_problem(step, observable, flow, y0, theta, what)
    n_steps = check_positive(n_steps, "n_steps", what, integer=True)
    window = check_positive(correlation_steps, "correlation_steps", what, integer=True)
    n_blocks = check_positive(n_blocks, "n_blocks", what, integer=True)
    n_transient = check_positive(n_transient, "n_transient", what, integer=True, allow_zero=True)
    tau = check_positive(time_per_step, "time_per_step", what)
    if n_blocks < 2 or n_steps < 2 * window * (n_blocks + 1):
        raise ValueError(
            f"{what}: expected n_blocks >= 2 and n_steps >= 2·correlation_steps·(n_blocks + 1) "
            f"= {2 * window * (max(n_blocks, 2) + 1)} (the taper's reach, and blocks at least as "
            f"long), got n_blocks = {n_blocks}, n_steps = {n_steps}"
        )
    exponents = None
    if n_unstable is None:
        if n_transient < 100:
            raise ValueError(
                f"{what}: counting the unstable directions needs n_transient >= 100, "
                f"got {n_transient}; or pass n_unstable"
            )
        exponents = transient_exponents(step, theta, y0, n_transient, tau, throw, what)
        n_unstable = count_unstable(exponents, flow is not None, 0.0)
    n_unstable = concrete_number(n_unstable, "n_unstable", what, integer=True)
    frame_size = n_unstable + (flow is not None)
    if not 1 <= n_unstable or frame_size >= y0.size:
        raise ValueError(
            f"{what}: expected 1 <= n_unstable < {y0.size - (flow is not None)} (the state's "
            f"dimension less the flow direction), got {n_unstable}"
        )
    parts, stats = _response(
        step, observable, flow, y0, theta, n_steps, window, n_transient, n_blocks,
        jnp.asarray(tau, y0.dtype), n_unstable,
    )  # fmt: skip
    result = LinearResponse(**parts, n_unstable=n_unstable, exponents=exponents, stats=stats)
    return check_stats(stats, result, what) if throw else result


@eqx.filter_jit
def _response(step, observable, flow, y0, theta_tree, n_steps, window, n_transient, n_blocks,
              tau, n_unstable):  # fmt: skip
    theta, unravel = ravel_pytree(theta_tree)
    step, observable = _flat(step, unravel), _flat(observable, unravel)
    flow = None if flow is None else _flat(flow, unravel)
    advance = _recursion(step, observable, flow, theta)
    dim, k, p = y0.size, n_unstable + (flow is not None), theta.size
    dtype = y0.dtype
    frame = _frame(flow, theta, y0, orthonormal_start(dim, k, dtype))
    carry = (y0, frame, jnp.zeros((k, dim, k), dtype), jnp.zeros((dim, p), dtype),
             jnp.zeros((k, dim, p), dtype), jnp.zeros(k, dtype))  # fmt: skip
    start = (carry, _empty_record(p, dtype))
    records, _, stats = fixed_step_loop(
        lambda state, n: advance(state[0]), start, n_pre=n_transient + 1, n_per_save=1,
        n_saves=n_steps, observe=lambda state: state[1], dt=tau, remat=False,
    )  # fmt: skip
    average, parts = _estimate(records, window, n_blocks, tau, flow is not None)
    failed = ~jnp.isfinite(average) | ~jnp.all(jnp.isfinite(parts["gradient"]))
    stats = eqx.tree_at(
        lambda s: s.result,
        stats,
        first_failure(
            stats.result != RESULTS.successful, stats.result, failed, RESULTS.nonfinite_state
        ),  # fmt: skip
    )
    return dict(average=average, **{name: unravel(x) for name, x in parts.items()}), stats


def _flat(function, unravel):
    return lambda y, p: function(y, unravel(p))


def _frame(flow, theta, y, vectors):
    """An orthonormal frame of the centre-unstable subspace from pushed vectors: for a flow,
    f(y) first, so that the first frame vector is the flow direction."""
    if flow is not None:
        vectors = jnp.concatenate([flow(y, theta)[:, None], vectors[:, 1:]], axis=1)
    return positive_qr(vectors)[0]


def _recursion(step, observable, flow, theta):
    """One step of the recursion (state → state, record): orbit, frame E, its derivatives
    along itself, the tangents v (one per parameter), theirs, and the density's log-gradient
    G; the record holds the per-step integrands."""
    p = theta.size
    forcing = jnp.eye(p, dtype=theta.dtype)

    def split(y, frame, tangents):
        """One step of y, E and v: (y', E', v', a', log|det M|, M)."""
        push = lambda e: jax.jvp(lambda y: step(y, theta), (y,), (e,))  # noqa: E731
        y_next, pushed = jax.vmap(push, in_axes=1, out_axes=(None, 1))(frame)
        frame_next = _frame(flow, theta, y_next, pushed)
        matrix = frame_next.T @ pushed
        carried = jax.vmap(lambda v, d: jax.jvp(step, (y, theta), (v, d))[1], in_axes=(1, 0),
                           out_axes=1)(tangents, forcing)  # fmt: skip
        coefficients = frame_next.T @ carried
        tangents_next = carried - frame_next @ coefficients
        log_det = jnp.linalg.slogdet(matrix)[1]
        return y_next, frame_next, tangents_next, coefficients, log_det, matrix

    def advance(state):
        y, frame, frame_d, tangents, tangents_d, log_gradient = state
        y1, frame1, tangents1, a1, log_det, matrix = split(y, frame, tangents)
        along = jax.vmap(lambda t: jax.jvp(split, (y, frame, tangents), t)[1][:5])
        _, frame_d1, tangents_d1, a_d1, log_det_d1 = along((frame.T, frame_d, tangents_d))
        # derivatives along E c at y are derivatives along E' M c at y': rows times M⁻¹
        inverse = jnp.linalg.inv(matrix)
        turn = lambda d: jnp.tensordot(inverse.T, d, axes=1)  # noqa: E731
        frame_d1, tangents_d1, a_d1 = turn(frame_d1), turn(tangents_d1), turn(a_d1)
        log_gradient1 = inverse.T @ log_gradient - turn(log_det_d1)
        j, (j_y, j_theta) = jax.value_and_grad(observable, argnums=(0, 1))(y1, theta)
        first = 0
        shift = rate = jnp.zeros((), j.dtype)
        if flow is not None:  # the flow direction: a time shift, its density known
            f1 = flow(y1, theta)
            speed = jnp.linalg.norm(f1)
            df_frame = jax.vmap(lambda e: jax.jvp(lambda y: flow(y, theta), (y1,), (e,))[1],
                                in_axes=1, out_axes=1)(frame1)  # fmt: skip
            log_gradient1 = log_gradient1.at[0].set(-jnp.trace(frame1.T @ df_frame) / speed)
            shift, rate, first = a1[0] / speed, j_y @ f1, 1
        divergence = jnp.einsum("kdi,dk->i", frame_d1, frame1)  # div e_i = Σ_k e_k·∂_k e_i
        index = jnp.arange(first, frame1.shape[1])
        density_part = jnp.sum(
            a_d1[index, index] + a1[index] * (divergence + log_gradient1)[index, None], axis=0
        )
        record = dict(j=j, rate=rate, j_y_v=j_y @ tangents1, j_theta=j_theta,
                      divergence=density_part, shift=shift * jnp.ones(p, j.dtype))  # fmt: skip
        return (y1, frame1, frame_d1, tangents1, tangents_d1, log_gradient1), record

    return advance


def _empty_record(p, dtype):
    scalar, vector = jnp.zeros((), dtype), jnp.zeros(p, dtype)
    return dict(j=scalar, rate=scalar, j_y_v=vector, j_theta=vector, divergence=vector,
                shift=vector)  # fmt: skip


def _estimate(records, window, n_blocks, tau, is_flow):
    """J̄ and the gradient's parts from the per-step integrands; the unstable contribution's
    tapered correlation sum by FFT; the standard error from `n_blocks` batch means of the
    per-step contributions."""
    j = records["j"]
    average = jnp.mean(j)
    deviation = j - average
    n = j.shape[0]
    taper = jnp.clip(2.0 - jnp.arange(2 * window + 1) / window, 0.0, 1.0).astype(j.dtype)
    size = 1 << (n + taper.size - 1).bit_length()
    ahead = jnp.fft.irfft(
        jnp.fft.rfft(deviation, size) * jnp.conj(jnp.fft.rfft(taper, size)), size
    )[: n - 2 * window]  # Σ_m taper_m (J_{n+m} − J̄), the whole taper inside the run
    unstable = -records["divergence"][: n - 2 * window] * ahead[:, None]
    shadowing = records["j_y_v"] + records["j_theta"]
    if is_flow:  # the time shift, with the trapezoidal rule's half step
        shadowing += records["shift"] * (-deviation / tau + 0.5 * records["rate"])[:, None]
    per_step = shadowing[: n - 2 * window] + unstable
    blocks = per_step[: (per_step.shape[0] // n_blocks) * n_blocks]
    means = jnp.mean(blocks.reshape(n_blocks, -1, blocks.shape[1]), axis=1)
    parts = dict(
        gradient=jnp.mean(shadowing, axis=0) + jnp.mean(unstable, axis=0),
        standard_error=jnp.std(means, axis=0, ddof=1) / jnp.sqrt(n_blocks),
        shadowing=jnp.mean(shadowing, axis=0),
        unstable=jnp.mean(unstable, axis=0),
    )
    return average, parts
