r"""Derivatives of long-time averages of chaotic systems by shadowing (non-intrusive least
squares shadowing, NILSS; Ni & Wang, J. Comput. Phys. 347, 2017).

The derivative of a finite-time average, d/dθ (1/T)∫J dt, grows like e^{λ₁T}: an unstable
perturbation of the orbit is amplified. The derivative of the long-time average J̄(θ) is
instead carried by the *shadowing* direction v*: the tangent solution dv/dt = ∂f/∂y·v + ∂f/∂θ
that stays bounded, unique up to the flow direction (a time dilation η). Then

    dJ̄/dθ = ⟨∂J/∂y·v* + ∂J/∂θ + η (J − J̄)⟩.

NILSS writes v* on each of K segments as v_i + W_i a_i — one inhomogeneous tangent solution and
m homogeneous ones spanning the unstable directions (m = the number of positive exponents; a
flow's neutral direction is projected out at every segment end and becomes the time dilation)
— and chooses the a_i by least squares: minimise Σ ∫|v*_i^⊥|² subject to continuity,
a_{i+1} = R_{i+1} a_i + b_{i+1}, where Q R is the renormalisation of W at each segment end.
The constraints' multipliers solve a block-tridiagonal system, eliminated in O(K m³) time
and O(K m²) memory.

What it computes is the *shadowing contribution* to Ruelle's linear response. The whole
derivative adds the *unstable contribution*, from the change of the SRB measure along the
unstable manifolds, which no shadowing method sees: a systematic error that a longer run does
not remove, present even on a uniformly hyperbolic attractor (Ni, SIAM J. Numer. Anal. 59,
2021), small when the unstable directions are a small share of all and the observable varies
little along them. Measured (README, Shadowing): Lorenz d⟨z⟩/dρ +1.5%, dλ₁/dρ −12%; on a
dissipatively perturbed cat map (one unstable direction of two) the error is larger than the
derivative. `linear_response` computes both contributions. Near-neutral directions make the
estimate scatter: on Kuramoto–Sivashinsky at L = 128 its d⟨u²⟩/dh does not converge (from
−6 to +2 between orbits of 2000 time units), where `finite_difference_sensitivity` does.
Besides, a shadowing orbit must exist (uniform hyperbolicity; Lorenz is only
singular-hyperbolic). The error at finite T falls like 1/√T (an average) plus O(e^{−γ T_seg})
from the segment length.
"""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
from jax.flatten_util import ravel_pytree
from jaxtyping import Array, Float, PyTree

from .._checks import check_finite, check_positive, concrete_number
from .._integrate import fixed_step_loop
from .._precision import highest_precision
from .._results import RESULTS, first_failure
from .._solution import Stats, check_stats
from ._lyapunov import lyapunov_spectrum_of_map, orthonormal_start, positive_qr

_MIN_LYAPUNOV_TIMES = 10.0  # a shadowing window shorter than this is refused
_SETTLING_SEGMENTS = 10  # transient segments that carry the tangents, at most


class Shadowing(eqx.Module):
    """`Shadowing(average, gradient, n_unstable, exponents, stats)`: the long-time average J̄,
    its derivative dJ̄/dθ (a pytree like θ), the number of unstable directions used, the
    Lyapunov exponents they were chosen from (`None` when `n_unstable` was given), and the
    run's `Stats` (`nonfinite_state` when the orbit, its tangents or the least-squares
    solution became non-finite)."""

    average: Float[Array, ""]
    gradient: PyTree
    n_unstable: int = eqx.field(static=True)
    exponents: Float[Array, " k"] | None
    stats: Stats


@highest_precision
def shadowing_sensitivity(
    step: Callable[[Array, PyTree], Array],
    observable: Callable[[Array, PyTree], Array],
    y0: Float[Array, " dim"],
    theta: PyTree,
    *,
    n_segments: int,
    steps_per_segment: int,
    time_per_step: float = 1.0,
    flow: Callable[[Array, PyTree], Array] | None = None,
    n_unstable: int | None = None,
    n_transient: int = 0,
    throw: bool = True,
) -> Shadowing:
    """The long-time average J̄ = ⟨J(y, θ)⟩ over the orbit of `step` and its derivative with
    respect to the parameters θ, by NILSS.

    **Arguments:**

    - `step`: (y, θ) ↦ the state `time_per_step` later (a map, or a flow sampled at Δt).
    - `observable`: (y, θ) ↦ the scalar J.
    - `y0`, `theta`: the initial state (dim,) and the parameters (any pytree of float arrays).
    - `n_segments`, `steps_per_segment`: K segments of S steps; a segment should last about
      one to a few Lyapunov times, the whole run at least 10.
    - `flow`: for a flow, (y, θ) ↦ f(y, θ), its vector field: the neutral direction along f is
      projected out at each segment end and its component becomes the time dilation; `None`
      for a map. Averages of a flow use the trapezoidal rule; of a map, the plain mean.
    - `n_unstable`: m, the number of directions that do not decay within a segment (a flow's
      own neutral one not counted); default: the exponents λ > −1/T_seg of a Lyapunov
      spectrum over the transient.
    - `n_transient`: steps before the averaging (at least 10·S when m is counted).
    - `throw`: raise `jaxdyn.SolverFailure` on a non-finite orbit, tangent or solution.

    **Returns:** `Shadowing(average, gradient, n_unstable, exponents, stats)`.
    """
    what = "shadowing_sensitivity"
    y0, theta = checked_problem(step, observable, flow, y0, theta, what)
    n_segments = check_positive(n_segments, "n_segments", what, integer=True)
    steps = check_positive(steps_per_segment, "steps_per_segment", what, integer=True)
    n_transient = check_positive(n_transient, "n_transient", what, integer=True, allow_zero=True)
    tau = check_positive(time_per_step, "time_per_step", what)

    exponents = None
    if n_unstable is None:
        if n_transient < 10 * steps:
            raise ValueError(
                f"{what}: counting the unstable directions needs n_transient >= 10 segments "
                f"({10 * steps} steps), got {n_transient}; or pass n_unstable"
            )
        exponents = transient_exponents(step, theta, y0, n_transient, tau, throw, what)
        n_unstable = count_unstable(exponents, flow is not None, -1.0 / (steps * tau))
        leading = float(exponents[0])
        if leading > 0 and n_segments * steps * tau * leading < _MIN_LYAPUNOV_TIMES:
            raise ValueError(
                f"{what}: the shadowing window is {n_segments * steps * tau * leading:.3g} "
                f"Lyapunov times (λ₁ = {leading:.3g}); expected at least {_MIN_LYAPUNOV_TIMES:g}: "
                "raise n_segments or steps_per_segment"
            )
    else:
        n_unstable = concrete_number(n_unstable, "n_unstable", what, integer=True)
        if not 0 <= n_unstable < y0.size:
            raise ValueError(f"{what}: expected 0 <= n_unstable < {y0.size}, got {n_unstable}")
    average, gradient, stats = _nilss(
        step, observable, flow, y0, theta, n_segments, steps, n_transient,
        jnp.asarray(tau, y0.dtype), n_unstable,
    )  # fmt: skip
    result = Shadowing(average, gradient, n_unstable, exponents, stats)
    return check_stats(stats, result, what) if throw else result


def checked_problem(step, observable, flow, y0, theta, what):
    """The checks shared by the derivatives of long-time averages: callables, a float state
    (dim,) that is finite, float parameters (any pytree, cast to the state's dtype), a step of
    the state's shape and a scalar observable. **Returns:** `(y0, theta)`."""
    for name, function in (("step", step), ("observable", observable)):
        if not callable(function):
            raise ValueError(f"{what}: expected a callable {name}, got {function!r}")
    if flow is not None and not callable(flow):
        raise ValueError(f"{what}: expected a callable flow or None, got {flow!r}")
    y0 = jnp.asarray(y0)
    if y0.ndim != 1 or not jnp.issubdtype(y0.dtype, jnp.floating):
        raise ValueError(f"{what}: expected a float y0 of shape (dim,), got {y0.dtype}{y0.shape}")
    y0 = check_finite(y0, f"{what}: y0")
    theta_flat, unravel = ravel_pytree(theta)
    if theta_flat.size == 0 or not jnp.issubdtype(theta_flat.dtype, jnp.floating):
        raise ValueError(f"{what}: expected float parameters theta, got {theta!r}")
    theta = unravel(theta_flat.astype(y0.dtype))
    if jax.eval_shape(lambda y: step(y, theta), y0).shape != y0.shape:
        raise ValueError(f"{what}: expected step(y, theta) of shape {y0.shape}")
    if jax.eval_shape(lambda y: observable(y, theta), y0).shape != ():
        raise ValueError(f"{what}: expected observable(y, theta) to return a scalar")
    return y0, theta


def transient_exponents(step, theta, y0, n_transient, tau, throw, what):
    """The Lyapunov spectrum of y ↦ step(y, θ) over the transient, from which the unstable
    directions are counted. Only that count matters: a strongly damped tail lost in round-off
    (a PDE's dissipative modes) cannot change it, so that flag is not a failure."""
    spectrum = lyapunov_spectrum_of_map(
        _AtParameters(step, theta), y0, n_transient, time_per_step=tau, throw=False
    )
    if throw and spectrum.stats.result != RESULTS.tangent_resolution_lost:
        check_stats(spectrum.stats, spectrum, what)
    return spectrum.exponents


def count_unstable(exponents, is_flow, above) -> int:
    """The exponents λ > `above`; for a flow, the one nearest zero (the flow direction)
    set aside. NILSS counts λ > −1/T_seg, the directions that do not decay within a segment
    (a near-neutral one left out lets the shadowing direction drift)."""
    values = [float(x) for x in exponents]
    if is_flow:
        values.pop(min(range(len(values)), key=lambda i: abs(values[i])))
    return sum(x > above for x in values)


class _AtParameters(eqx.Module):
    """y ↦ step(y, θ) at fixed θ, as a Module: equal for equal steps, so compiled once."""

    step: Callable
    theta: PyTree

    def __call__(self, y):
        return self.step(y, self.theta)


@eqx.filter_jit
def _nilss(step, observable, flow, y0, theta_tree, n_segments, steps, n_transient, tau, m):
    # θ flattened inside the compiled function: the flat wrappers are made at trace time, so
    # a second call with the same functions compiles nothing.
    theta, unravel = ravel_pytree(theta_tree)
    step, observable = _flat(step, unravel), _flat(observable, unravel)
    flow = None if flow is None else _flat(flow, unravel)
    dim, p = y0.size, theta.size
    dtype = y0.dtype
    grad_y = jax.grad(observable, argnums=(0, 1))

    def perpendicular(y, vectors):
        """Vectors with their component along f(y) removed, and those components ζ."""
        if flow is None:
            return vectors, jnp.zeros(vectors.shape[1], dtype)
        f = flow(y, theta)
        zeta = f @ vectors / (f @ f)
        return vectors - jnp.outer(f, zeta), zeta

    def advance(state, n):
        y, tangents = state
        # columns: p inhomogeneous solutions (forced along each parameter), m homogeneous
        forcing = jnp.concatenate([jnp.eye(p, dtype=dtype), jnp.zeros((p, m), dtype)], axis=1)
        y_next, tangents = jax.vmap(
            lambda v, dp: jax.jvp(step, (y, theta), (v, dp)), in_axes=(1, 1), out_axes=(None, 1)
        )(tangents, forcing)
        return y_next, tangents

    def sample(y, tangents):
        """The integrands at one point: J, J_θ, J_y·[v W], and the least-squares Grams."""
        j = observable(y, theta)
        j_y, j_theta = grad_y(y, theta)
        perp, _ = perpendicular(y, tangents)
        v_perp, w_perp = perp[:, :p], perp[:, p:]
        return (j, j_theta, j_y @ tangents, w_perp.T @ w_perp, w_perp.T @ v_perp)

    weights = jnp.ones(steps + 1, dtype).at[-1].set(0.0)  # a map: the plain mean
    if flow is not None:  # a flow: the trapezoidal rule
        weights = jnp.ones(steps + 1, dtype).at[jnp.array([0, steps])].set(0.5)

    def segment(carry, _):
        y, tangents = carry
        (ys, ts), _, seg_stats = fixed_step_loop(
            advance, (y, tangents), n_pre=0, n_per_save=1, n_saves=steps + 1, remat=False
        )
        integrands = jax.vmap(sample)(ys, ts)
        j, j_theta, j_y_tangents, gram, cross = jax.tree.map(
            lambda x: jnp.tensordot(weights, x, axes=1), integrands
        )
        y_end, t_end = ys[-1], ts[-1]
        perp, zeta = perpendicular(y_end, t_end)
        q, r = positive_qr(perp[:, p:])
        b = q.T @ perp[:, :p]
        v_next = perp[:, :p] - q @ b
        record = dict(
            j=j, j_theta=j_theta, j_y_v=j_y_tangents[:p], j_y_w=j_y_tangents[p:], gram=gram,
            cross=cross, r=r, b=b, zeta_v=zeta[:p], zeta_w=zeta[p:],
            j_end=observable(y_end, theta), failed=seg_stats.result != RESULTS.successful,
        )  # fmt: skip
        return (y_end, jnp.concatenate([v_next, q], axis=1)), record

    # The transient: plain steps, then whole segments that carry the tangents along (their
    # stable parts converge, their unstable parts are removed at each end), so that the
    # averaging starts from settled tangents rather than v = 0 (an O(1/T) bias otherwise).
    n_settle = min(n_transient // steps, _SETTLING_SEGMENTS)
    _, y, transient_stats = fixed_step_loop(
        lambda y, n: step(y, theta), y0, n_pre=n_transient - n_settle * steps, n_per_save=1,
        n_saves=1, remat=False,
    )  # fmt: skip
    tangents = jnp.concatenate(
        [
            jnp.zeros((dim, p), dtype),
            perpendicular(y, orthonormal_start(dim, m, dtype))[0]
            if m
            else jnp.zeros((dim, 0), dtype),
        ],
        axis=1,
    )
    tangents = tangents.at[:, p:].set(positive_qr(tangents[:, p:])[0])
    (y, tangents), settling = jax.lax.scan(segment, (y, tangents), None, length=n_settle)
    _, rec = jax.lax.scan(segment, (y, tangents), None, length=n_segments)

    a = _least_squares(rec["gram"], rec["cross"], rec["r"][:-1], rec["b"][:-1], m, p)
    # Sample sums: a flow's integrals are τ·Σ over T = K·S·τ, a map's means Σ over K·S.
    n_samples = n_segments * steps
    average = jnp.sum(rec["j"]) / n_samples
    integrand = rec["j_y_v"] + jnp.einsum("km,kmp->kp", rec["j_y_w"], a) + rec["j_theta"]
    along = rec["zeta_v"] + jnp.einsum("km,kmp->kp", rec["zeta_w"], a)  # v*'s f-part at ends
    dilation = jnp.sum(along * (average - rec["j_end"])[:, None], axis=0) / (n_samples * tau)
    gradient = jnp.sum(integrand, axis=0) / n_samples + dilation
    failed = jnp.any(rec["failed"]) | jnp.any(settling["failed"])
    result = first_failure(
        transient_stats.result != RESULTS.successful, transient_stats.result,
        failed, RESULTS.nonfinite_state,
        ~jnp.all(jnp.isfinite(gradient)) | ~jnp.isfinite(average), RESULTS.nonfinite_state,
    )  # fmt: skip
    stats = Stats(
        num_steps=jnp.asarray(n_transient + n_segments * steps),
        num_rejected_steps=jnp.asarray(0),
        result=result,
        blowup_time=jnp.where(failed, jnp.asarray(0.0, dtype), jnp.inf).astype(dtype),
    )
    return average, unravel(gradient), stats


def _flat(function, unravel):
    return lambda y, p: function(y, unravel(p))


def _least_squares(gram, cross, r, b, m, p):
    """The a_i (K, m, p) minimising Σ (a_iᵀ C_i a_i + 2 d_iᵀ a_i) subject to
    a_{i+1} = R_{i+1} a_i + b_{i+1}, through the multipliers μ_i of the constraints.

    Stationarity gives a_i = −C_i⁻¹(d_i + R_{i+1}ᵀ μ_i − μ_{i−1}); the constraints then read
    S μ = ρ with S block-tridiagonal and symmetric positive definite:
    S_ii = R_{i+1} C_i⁻¹ R_{i+1}ᵀ + C_{i+1}⁻¹, S_{i+1,i} = −R_{i+2} C_{i+1}⁻¹,
    ρ_i = b_{i+1} − R_{i+1} C_i⁻¹ d_i + C_{i+1}⁻¹ d_{i+1} (Ni & Wang 2017, §4.2). Block
    elimination in two scans: O(K m³) time and O(K m²) memory, where the dense KKT system
    ((2K − 1)m square) ran out of memory at K = 600, m = 20.
    """
    k = gram.shape[0]
    if m == 0:
        return jnp.zeros((k, 0, p), gram.dtype)
    # C_i⁻¹ d_i and C_i⁻¹ in one batched solve: two independent batched LAPACK calls run
    # side by side on XLA's CPU pool, and jaxlib 0.10's batch splitting then deadlocks a
    # two-core machine (each call holds a pool thread while it waits for its own chunks).
    eye = jnp.broadcast_to(jnp.eye(m, dtype=gram.dtype), gram.shape)
    both = jax.vmap(jnp.linalg.solve)(gram, jnp.concatenate([cross, eye], axis=-1))
    c_inv_d, c_inv = both[..., :p], both[..., p:]
    if k == 1:
        return -c_inv_d
    rt = jnp.swapaxes(r, 1, 2)
    diagonal = r @ c_inv[:-1] @ rt + c_inv[1:]  # (K − 1) blocks S_ii
    lower = -r[1:] @ c_inv[1:-1]  # S_{i+1,i}, i = 0 … K − 3
    rho = b - r @ c_inv_d[:-1] + c_inv_d[1:]

    def forward(carry, block):
        pivot, y = carry
        s_ii, s_low, rho_i = block
        factor = jnp.linalg.solve(pivot.T, s_low.T).T  # S_{i,i−1} D_{i−1}⁻¹
        pivot = s_ii - factor @ s_low.T
        y = rho_i - factor @ y
        return (pivot, y), (pivot, y)

    first = (diagonal[0], rho[0])
    _, (pivots, ys) = jax.lax.scan(forward, first, (diagonal[1:], lower, rho[1:]))
    pivots = jnp.concatenate([diagonal[:1], pivots])
    ys = jnp.concatenate([rho[:1], ys])

    def backward(mu_next, block):
        pivot, y, s_up = block  # s_up = S_{i,i+1} = S_{i+1,i}ᵀ
        mu = jnp.linalg.solve(pivot, y - s_up @ mu_next)
        return mu, mu

    last = jnp.linalg.solve(pivots[-1], ys[-1])
    _, mus = jax.lax.scan(
        backward, last, (pivots[:-1], ys[:-1], jnp.swapaxes(lower, 1, 2)), reverse=True
    )
    mu = jnp.concatenate([mus, last[None]])  # μ_0 … μ_{K−2}
    zero = jnp.zeros((1, m, p), gram.dtype)
    forcing = jnp.concatenate([rt @ mu, zero]) - jnp.concatenate([zero, mu])
    return -(c_inv_d + c_inv @ forcing)
