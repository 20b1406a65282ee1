r"""Fixed-step exponential integrators for u_t = L u + N(u) with L diagonal.

With z = h L, the φ-function combinations below are evaluated by the contour integral of
Kassam & Trefethen (SIAM J. Sci. Comput. 26, 2005, eq. 2.5): f(z) ≈ mean_j f(z + r e^{iθ_j})
over points on a circle around z, which avoids the cancellation of the direct formulas as
z → 0 and works for complex L as well as real. The coefficients are computed once per
(PDE, grid, h), inside the compiled solve, so they differentiate with respect to L's
parameters.

Schemes (Cox & Matthews, J. Comput. Phys. 176, 2002):

- ETDRK1, exponential Euler:  u⁺ = e^z u + h φ₁(z) N(u).
- ETDRK2 (eq. 22):            a = e^z u + h φ₁(z) N(u);  u⁺ = a + h φ₂(z) (N(a) − N(u)).
- ETDRK3 (eq. 23–25) and ETDRK4 (eq. 26–29), see the classes.
- IFRK4: classical RK4 on v = e^{−tL} u (integrating factor; Trefethen, *Spectral Methods in
  MATLAB*, program 27).

Here φ₁(z) = (e^z − 1)/z and φ₂(z) = (e^z − 1 − z)/z².
"""

import abc
from collections.abc import Callable
from typing import ClassVar

import equinox as eqx
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Complex, Inexact, PyTree

Nonlinear = Callable[[Array], Array]


def _phi1(z):
    return jnp.expm1(z) / z


def _phi2(z):
    return (jnp.expm1(z) - z) / z**2


# The three combinations of Cox & Matthews' third- and fourth-order schemes.
def _cm_alpha(z):
    return (-4 - z + jnp.exp(z) * (4 - 3 * z + z**2)) / z**3


def _cm_beta(z):
    return (2 + z + jnp.exp(z) * (z - 2)) / z**3


def _cm_gamma(z):
    return (-4 - 3 * z - z**2 + jnp.exp(z) * (4 - z)) / z**3


def contour_mean(f: Callable, z: Inexact[Array, "..."], points: int, radius: float):
    """f(z) as the mean of f over `points` points on the circle |w − z| = radius.

    For real z (a real, dissipative L) f is real on the real axis, so the values at conjugate
    points are conjugate: the real part of the mean over the upper half circle (points/2
    evaluations) equals the full mean, and the result is real (Kassam & Trefethen, §2).
    The trapezoidal rule's error for these entire functions falls like 1/points!.
    """
    real = not jnp.iscomplexobj(z)
    n = points // 2 if real else points
    theta = np.pi * (np.arange(n) + 0.5) / n * (1 if real else 2)
    complex_dtype = jnp.result_type(z.dtype, jnp.complex64)
    circle = jnp.asarray(radius * np.exp(1j * theta), dtype=complex_dtype)
    mean = jnp.mean(f(z.astype(complex_dtype)[..., None] + circle), axis=-1)
    return mean.real if real else mean


class AbstractStepper(eqx.Module):
    """A fixed-step method for u_t = L u + N(u) with diagonal L.

    `coefficients(linear, dt)` builds what the scheme needs once per (L, dt) (real arrays
    when `linear` is real); `step(coefficients, u_hat, nonlinear)` advances one step.
    """

    order: ClassVar[int]

    @abc.abstractmethod
    def coefficients(self, linear: Complex[Array, "..."], dt: float) -> PyTree[Array]: ...

    @abc.abstractmethod
    def step(self, coefficients: PyTree[Array], u_hat: Array, nonlinear: Nonlinear) -> Array: ...


class _AbstractETD(AbstractStepper):
    """Shared contour settings. The defaults give coefficients accurate to ~1e-14 in float64
    for any hL, real or complex (tested against the closed forms and their limits)."""

    contour_points: int = eqx.field(default=16, static=True, kw_only=True)
    contour_radius: float = eqx.field(default=1.0, static=True, kw_only=True)

    def _phi(self, f, z):
        return contour_mean(f, z, self.contour_points, self.contour_radius)

    def _cox_matthews(self, linear, dt):
        """e^{hL/2}, (h/2) φ₁(hL/2), e^{hL} and h·(α, β, γ), shared by ETDRK3 and ETDRK4."""
        z = dt * linear
        return (
            jnp.exp(z / 2),
            0.5 * dt * self._phi(_phi1, z / 2),
            jnp.exp(z),
            dt * self._phi(_cm_alpha, z),
            dt * self._phi(_cm_beta, z),
            dt * self._phi(_cm_gamma, z),
        )


class ETDRK1(_AbstractETD):
    """Exponential Euler, first order: u⁺ = e^{hL} u + h φ₁(hL) N(u)."""

    order: ClassVar[int] = 1

    def coefficients(self, linear, dt):
        z = dt * linear
        return jnp.exp(z), dt * self._phi(_phi1, z)

    def step(self, coefficients, u_hat, nonlinear):
        exp_z, c1 = coefficients
        return exp_z * u_hat + c1 * nonlinear(u_hat)


class ETDRK2(_AbstractETD):
    """Cox–Matthews ETD2RK, second order:
    a = e^{hL} u + h φ₁ N(u);  u⁺ = a + h φ₂ (N(a) − N(u))."""

    order: ClassVar[int] = 2

    def coefficients(self, linear, dt):
        z = dt * linear
        return jnp.exp(z), dt * self._phi(_phi1, z), dt * self._phi(_phi2, z)

    def step(self, coefficients, u_hat, nonlinear):
        exp_z, c1, c2 = coefficients
        n_u = nonlinear(u_hat)
        a = exp_z * u_hat + c1 * n_u
        return a + c2 * (nonlinear(a) - n_u)


class ETDRK3(_AbstractETD):
    """Cox–Matthews ETD3RK, third order:
    a = e^{hL/2} u + (h/2) φ₁(hL/2) N(u);  b = e^{hL} u + h φ₁(hL) (2N(a) − N(u));
    u⁺ = e^{hL} u + h [α N(u) + 4β N(a) + γ N(b)]."""

    order: ClassVar[int] = 3

    def coefficients(self, linear, dt):
        return (*self._cox_matthews(linear, dt), dt * self._phi(_phi1, dt * linear))

    def step(self, coefficients, u_hat, nonlinear):
        exp_half, c_half, exp_z, alpha, beta, gamma, c1 = coefficients
        n_u = nonlinear(u_hat)
        a = exp_half * u_hat + c_half * n_u
        n_a = nonlinear(a)
        b = exp_z * u_hat + c1 * (2 * n_a - n_u)
        return exp_z * u_hat + alpha * n_u + 4 * beta * n_a + gamma * nonlinear(b)


class ETDRK4(_AbstractETD):
    """Cox–Matthews ETDRK4, fourth order:
    a = e^{hL/2} u + Q N(u);  b = e^{hL/2} u + Q N(a);  c = e^{hL/2} a + Q (2N(b) − N(u));
    u⁺ = e^{hL} u + h [α N(u) + 2β (N(a) + N(b)) + γ N(c)],  Q = (h/2) φ₁(hL/2)."""

    order: ClassVar[int] = 4

    def coefficients(self, linear, dt):
        return self._cox_matthews(linear, dt)

    def step(self, coefficients, u_hat, nonlinear):
        exp_half, q, exp_z, alpha, beta, gamma = coefficients
        n_u = nonlinear(u_hat)
        a = exp_half * u_hat + q * n_u
        n_a = nonlinear(a)
        b = exp_half * u_hat + q * n_a
        n_b = nonlinear(b)
        c = exp_half * a + q * (2 * n_b - n_u)
        return exp_z * u_hat + alpha * n_u + 2 * beta * (n_a + n_b) + gamma * nonlinear(c)


class IFRK4(AbstractStepper):
    """Integrating-factor RK4: classical RK4 for v = e^{−tL} u, fourth order. Exact for the
    linear part; its error constant grows with the stiffness of L (Kassam & Trefethen §3)."""

    order: ClassVar[int] = 4

    def coefficients(self, linear, dt):
        return jnp.exp(dt * linear / 2), jnp.exp(dt * linear), jnp.asarray(dt, linear.real.dtype)

    def step(self, coefficients, u_hat, nonlinear):
        exp_half, exp_z, dt = coefficients
        k1 = dt * nonlinear(u_hat)
        k2 = dt * nonlinear(exp_half * (u_hat + k1 / 2))
        k3 = dt * nonlinear(exp_half * u_hat + k2 / 2)
        k4 = dt * nonlinear(exp_z * u_hat + exp_half * k3)
        return exp_z * u_hat + (exp_z * k1 + 2 * exp_half * (k2 + k3) + k4) / 6
