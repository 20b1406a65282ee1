r"""Lyapunov exponents by the tangent-space QR method, over any step map y ↦ step(y).

λ_i = lim_{n→∞} (1/(n τ)) Σ_k log |R_k,ii|,  with  Q_k R_k = Dstep(y_{k−1}) Q_{k−1}
(Benettin, Galgani, Giorgilli & Strelcyn, Meccanica 15, 1980; Shimada & Nagashima, Prog.
Theor. Phys. 61, 1979). Tangent vectors are pushed through `jax.jvp`, so the same routine
serves a flow sampled every τ, a map, a spectral PDE stepper or a trained RNN.
"""

from __future__ import annotations

from collections.abc import Callable

import diffrax
import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

from ._system import AbstractSystem


def lyapunov_spectrum_of_map(
    step: Callable[[Array], Array],
    y0: Float[Array, " dim"],
    n_steps: int,
    *,
    n_exponents: int | None = None,
    n_transient: int = 0,
    time_per_step: float = 1.0,
    history: bool = False,
) -> Float[Array, " k"] | tuple[Float[Array, " k"], Float[Array, "n_steps k"]]:
    """The `n_exponents` largest Lyapunov exponents (default: all) of the map `step`, in
    descending order, per unit of `time_per_step`, from `n_steps` steps after `n_transient`
    steps of transient. With `history`, also the running estimate after every step (to
    judge convergence). Raises (`eqx.error_if`) if the orbit becomes non-finite."""
    dim = y0.size
    k = dim if n_exponents is None else n_exponents
    if not 1 <= k <= dim:
        raise ValueError(f"lyapunov: expected 1 <= n_exponents <= {dim}, got {n_exponents}")
    if n_steps < 1:
        raise ValueError(f"lyapunov: expected n_steps >= 1, got {n_steps}")
    y = jax.lax.fori_loop(0, n_transient, lambda _, y: step(y), y0)

    def advance(carry, _):
        y, basis, total = carry
        # One primal evaluation, k tangent evaluations: vmap over the tangents only.
        y_next, tangents = jax.vmap(
            lambda v: jax.jvp(step, (y,), (v,)), in_axes=1, out_axes=(None, 1)
        )(basis)
        basis, r = jnp.linalg.qr(tangents)
        total = total + jnp.log(jnp.abs(jnp.diagonal(r)))
        return (y_next, basis, total), (total if history else None)

    basis = jnp.eye(dim, k, dtype=y0.dtype)
    carry = (y, basis, jnp.zeros(k, y0.dtype))
    (y, _, total), totals = jax.lax.scan(advance, carry, length=n_steps)
    spectrum = total / (n_steps * time_per_step)
    spectrum = eqx.error_if(
        spectrum, ~jnp.all(jnp.isfinite(spectrum)) | ~jnp.all(jnp.isfinite(y)),
        "lyapunov: the orbit or its tangent vectors became non-finite",
    )  # fmt: skip
    if not history:
        return spectrum
    elapsed = jnp.arange(1, n_steps + 1, dtype=y0.dtype)[:, None] * time_per_step
    return spectrum, totals / elapsed


def flow_map(system: AbstractSystem, tau: float, *, rtol: float = 1e-9, atol: float = 1e-9):
    """y ↦ y(τ): the system's flow over time τ (autonomous systems), by adaptive Tsit5 in
    forward-mode-differentiable form."""
    term = diffrax.ODETerm(lambda t, y, args: system.rhs(t, y))
    controller = diffrax.PIDController(rtol=rtol, atol=atol)

    def step(y):
        sol = diffrax.diffeqsolve(
            term, diffrax.Tsit5(), 0.0, tau, tau / 4, y, stepsize_controller=controller,
            adjoint=diffrax.ForwardMode(), max_steps=4096,
        )  # fmt: skip
        return sol.ys[-1]

    return step


def lyapunov_spectrum(
    system: AbstractSystem,
    *,
    y0: Float[Array, " dim"] | None = None,
    t1: float | None = None,
    tau: float | None = None,
    t_transient: float | None = None,
    n_exponents: int | None = None,
    rtol: float = 1e-9,
    history: bool = False,
):
    """Lyapunov spectrum of a flow, re-orthonormalising every `tau` (default a tenth of the
    system's dominant period) over `t1` (default 1000 periods) after `t_transient` (default
    10 periods), from `y0` (default: the point on the attractor). With `history`, also the
    running estimates, one row per τ."""
    if not isinstance(system, AbstractSystem):
        raise ValueError(
            f"lyapunov_spectrum: expected an ODE system (AbstractSystem), got "
            f"{type(system).__name__}; delay systems are not supported yet"
        )
    info = system.info()
    tau = info.period / 10 if tau is None else float(tau)
    t1 = 1000 * info.period if t1 is None else float(t1)
    t_transient = 10 * info.period if t_transient is None else float(t_transient)
    y0 = system.default_ic() if y0 is None else jnp.asarray(y0)
    n_steps, n_transient = round(t1 / tau), round(t_transient / tau)
    return _lyapunov_flow(system, y0, tau, n_steps, n_transient, n_exponents, rtol, history)


@eqx.filter_jit
def _lyapunov_flow(system, y0, tau, n_steps, n_transient, n_exponents, rtol, history):
    step = flow_map(system, tau, rtol=rtol, atol=rtol)
    return lyapunov_spectrum_of_map(
        step, y0, n_steps, n_exponents=n_exponents, n_transient=n_transient,
        time_per_step=tau, history=history,
    )  # fmt: skip


def max_lyapunov(system: AbstractSystem, **kwargs) -> Float[Array, ""]:
    """The largest Lyapunov exponent (one tangent vector; arguments of `lyapunov_spectrum`)."""
    return lyapunov_spectrum(system, n_exponents=1, **kwargs)[0]


def kaplan_yorke_dimension(spectrum: Float[Array, " k"]) -> Float[Array, ""]:
    """D_KY = j + (λ₁ + … + λ_j)/|λ_{j+1}|, j the largest index with λ₁ + … + λ_j ≥ 0
    (Kaplan & Yorke, Lect. Notes Math. 730, 1979). 0 if λ₁ < 0; the dimension if every
    partial sum is non-negative."""
    spectrum = jnp.sort(jnp.asarray(spectrum))[::-1]
    partial = jnp.cumsum(spectrum)
    j = jnp.sum(partial >= 0)  # partial sums of a descending sequence: a prefix is >= 0
    n = spectrum.size
    inside = j + partial[jnp.maximum(j - 1, 0)] / jnp.abs(spectrum[jnp.minimum(j, n - 1)])
    return jnp.where(j == 0, 0.0, jnp.where(j == n, float(n), inside))
