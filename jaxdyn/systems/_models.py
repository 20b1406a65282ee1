"""Chaotic models from circuits, lasers, chemistry and nuclear physics; names, equations and
defaults of the dysts database. Sources: `Class.info().citation`."""

import math

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem

Scalar = Float[Array, ""]
Vector = Float[Array, " n"]


class Chua(AbstractSystem):
    """Chua's circuit: ẋ = α(y − x − g(x)),  ẏ = x − y + z,  ż = −βy, with the piecewise-linear
    diode g(x) = m₁x + ½(m₀ − m₁)(|x + 1| − |x − 1|)."""

    alpha: Scalar = parameter(15.6)
    beta: Scalar = parameter(28.0)
    m0: Scalar = parameter(-1.142857)
    m1: Scalar = parameter(-0.71429)

    def rhs(self, t, state):
        x, y, z = state
        diode = self.m1 * x + 0.5 * (self.m0 - self.m1) * (jnp.abs(x + 1) - jnp.abs(x - 1))
        return jnp.stack([self.alpha * (y - x - diode), x - y + z, -self.beta * y])


class Laser(AbstractSystem):
    """Semiconductor laser model: ẋ = a(y − x) + byz²,  ẏ = cx + dxz²,  ż = hz + kx²."""

    a: Scalar = parameter(10.0)
    b: Scalar = parameter(1.0)
    c: Scalar = parameter(5.0)
    d: Scalar = parameter(-1.0)
    h: Scalar = parameter(-5.0)
    k: Scalar = parameter(-6.0)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [
                self.a * (y - x) + self.b * y * z**2,
                self.c * x + self.d * x * z**2,
                self.h * z + self.k * x**2,
            ]
        )


class KawczynskiStrizhak(AbstractSystem):
    """Chemical oscillator: ẋ = γ(y − x³ + 3μx),  ẏ = −2μx − y − z + β,  ż = κ(x − z)."""

    beta: Scalar = parameter(-0.4)
    gamma: Scalar = parameter(0.49)
    kappa: Scalar = parameter(0.2)
    mu: Scalar = parameter(2.1)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [
                self.gamma * (y - x**3 + 3 * self.mu * x),
                -2 * self.mu * x - y - z + self.beta,
                self.kappa * (x - z),
            ]
        )


class IsothermalChemical(AbstractSystem):
    """Autocatalytic reaction (α, β, γ): α̇ = μ(κ + γ) − αβ² − α,
    β̇ = (αβ² + α − β)/σ,  γ̇ = (β − γ)/δ."""

    delta: Scalar = parameter(1.0)
    kappa: Scalar = parameter(2.5)
    mu: Scalar = parameter(0.29786)
    sigma: Scalar = parameter(0.013)

    def rhs(self, t, state):
        a, b, c = state
        return jnp.stack(
            [
                self.mu * (self.kappa + c) - a * b**2 - a,
                (a * b**2 + a - b) / self.sigma,
                (b - c) / self.delta,
            ]
        )


class GuckenheimerHolmes(AbstractSystem):
    """ẋ = ax − by + czx + dz(x² + y²),  ẏ = ay + bx + czy,
    ż = e − z² − f(x² + y²) − az³."""

    a: Scalar = parameter(0.4)
    b: Scalar = parameter(20.25)
    c: Scalar = parameter(3.0)
    d: Scalar = parameter(1.6)
    e: Scalar = parameter(1.7)
    f: Scalar = parameter(0.44)

    def rhs(self, t, state):
        x, y, z = state
        r2 = x**2 + y**2
        return jnp.stack(
            [
                self.a * x - self.b * y + self.c * z * x + self.d * z * r2,
                self.a * y + self.b * x + self.c * z * y,
                self.e - z**2 - self.f * r2 - self.a * z**3,
            ]
        )


class NuclearQuadrupole(AbstractSystem):
    """Quadrupole oscillations of a nucleus (Hamiltonian; state (q₁, q₂, p₁, p₂)):
    q̇ᵢ = a pᵢ,  ṗ₁ = −aq₁ + (3/√2) b(q₁² − q₂²) − dq₁(q₁² + q₂²),
    ṗ₂ = −aq₂ − 3√2 bq₁q₂ − dq₂(q₁² + q₂²)."""

    a: Scalar = parameter(1.0)
    b: Scalar = parameter(0.55)
    d: Scalar = parameter(0.4)

    def rhs(self, t, state):
        q1, q2, p1, p2 = state
        r2 = q1**2 + q2**2
        return jnp.stack(
            [
                self.a * p1,
                self.a * p2,
                -self.a * q1 + 3 / math.sqrt(2) * self.b * (q1**2 - q2**2) - self.d * q1 * r2,
                -self.a * q2 - 3 * math.sqrt(2) * self.b * q1 * q2 - self.d * q2 * r2,
            ]
        )


class MultiChua(AbstractSystem):
    """Chua's circuit with a six-segment diode, giving multi-scroll attractors (Mahla &
    Badan Palhares, IEEE Trans. Circuits Syst. I 40, 1993): ẋ = a(y − g(x)),  ẏ = x − y + z,
    ż = −by,  g(x) = m₅x + Σᵢ₌₁⁵ ½(mᵢ₋₁ − mᵢ)(|x + cᵢ| − |x − cᵢ|)."""

    a: Scalar = parameter(9.0)
    b: Scalar = parameter(14.286)
    c: Vector = parameter((0.0, 1.0, 2.15, 3.6, 8.2, 13.0))
    m: Vector = parameter(
        (-0.14285714, 0.28571429, -0.57142857, 0.28571429, -0.57142857, 0.28571429)
    )

    def rhs(self, t, state):
        x, y, z = state
        c, m = self.c[1:], self.m
        diode = m[-1] * x + jnp.sum(0.5 * (m[:-1] - m[1:]) * (jnp.abs(x + c) - jnp.abs(x - c)))
        return jnp.stack([self.a * (y - diode), x - y + z, -self.b * y])


class CellularNeuralNetwork(AbstractSystem):
    """Three-cell cellular neural network (Arena et al., Int. J. Bifurc. Chaos 8, 1998) with
    the saturation f(u) = ½(|u + 1| − |u − 1|): ẋ = −x + df(x) − bf(y) − bf(z),
    ẏ = −y − bf(x) + cf(y) − af(z),  ż = −z − bf(x) + af(y) + f(z)."""

    a: Scalar = parameter(4.4)
    b: Scalar = parameter(3.21)
    c: Scalar = parameter(1.1)
    d: Scalar = parameter(1.24)

    def rhs(self, t, state):
        fx, fy, fz = 0.5 * (jnp.abs(state + 1) - jnp.abs(state - 1))
        a, b = self.a, self.b
        outputs = jnp.stack(
            [self.d * fx - b * fy - b * fz, -b * fx + self.c * fy - a * fz, -b * fx + a * fy + fz]
        )
        return outputs - state


class Colpitts(AbstractSystem):
    """Colpitts oscillator with a piecewise-linear transistor (Kennedy, IEEE Trans. Circuits
    Syst. I 41, 1994): ẋ = y − a·f(z),  ẏ = c − x − by − z,  ż = y − dz,
    f(z) = −min(z − (e − 1), 0)."""

    a: Scalar = parameter(30.0)
    b: Scalar = parameter(0.8)
    c: Scalar = parameter(20.0)
    d: Scalar = parameter(0.08)
    e: Scalar = parameter(10.0)

    def rhs(self, t, state):
        x, y, z = state
        conduction = -jnp.minimum(z - (self.e - 1), 0.0)
        return jnp.stack([y - self.a * conduction, self.c - x - self.b * y - z, y - self.d * z])


class AnishchenkoAstakhov(AbstractSystem):
    """Anishchenko–Astakhov oscillator with inertial nonlinearity: ẋ = μx + y − xz,
    ẏ = −x,  ż = −ηz + η H(x) x², H the Heaviside step."""

    eta: Scalar = parameter(0.5)
    mu: Scalar = parameter(1.2)

    def rhs(self, t, state):
        x, y, z = state
        rectified = jnp.where(x > 0, x**2, 0.0)
        return jnp.stack([self.mu * x + y - x * z, -x, -self.eta * z + self.eta * rectified])


class ForcedBrusselator(AbstractSystem):
    """Periodically forced Brusselator: ẋ = a + x²y − (b + 1)x + f cos θ,  ẏ = bx − x²y,
    θ̇ = w."""

    a: Scalar = parameter(0.4)
    b: Scalar = parameter(1.2)
    f: Scalar = parameter(0.05)
    w: Scalar = parameter(0.81)

    def rhs(self, t, state):
        x, y, th = state
        return jnp.stack(
            [
                self.a + x**2 * y - (self.b + 1) * x + self.f * jnp.cos(th),
                self.b * x - x**2 * y,
                jnp.ones_like(th) * self.w,
            ]
        )


class BelousovZhabotinsky(AbstractSystem):
    """Reduced Belousov–Zhabotinsky reaction (Györgyi & Field, Nature 355, 1992): HBrO₂ x,
    Ce(IV) z and malonyl radical v, in the scaled form of dysts with time scale t₀. Stiff."""

    c1: Scalar = parameter(-8.03474)
    c10: Scalar = parameter(0.0223915)
    c11: Scalar = parameter(7.53559e-05)
    c12: Scalar = parameter(8.07384e-06)
    c13: Scalar = parameter(-0.000499825)
    c2: Scalar = parameter(0.05408)
    c3: Scalar = parameter(-0.0115886)
    c4: Scalar = parameter(832.587)
    c5: Scalar = parameter(-0.029155)
    c6: Scalar = parameter(0.00321617)
    c7: Scalar = parameter(-0.01352)
    c8: Scalar = parameter(-0.0831709)
    c9: Scalar = parameter(-0.0199985)
    ci: Scalar = parameter(0.000833)
    kf: Scalar = parameter(0.00035)
    t0: Scalar = parameter(2308.62)
    y0: Scalar = parameter(7.72571e-06)
    yb1: Scalar = parameter(6.92813e-07)
    yb2: Scalar = parameter(2.00869)
    yb3: Scalar = parameter(0.01352)
    z0: Scalar = parameter(8.33e-06)

    def rhs(self, t, state):
        x, z, v = state
        bromide = self.yb1 * z * v / (self.y0 * (self.yb2 * x + self.yb3 + self.kf))
        x = jnp.maximum(x, 0.0)
        reverse = (self.ci - self.z0 * z) * jnp.sqrt(x)
        xdot = (
            self.c1 * x * bromide
            + self.c2 * bromide
            + self.c3 * x**2
            + self.c4 * reverse
            + self.c5 * x * z
            - self.kf * x
        )
        zdot = (
            self.c6 / self.z0 * reverse
            + self.c7 * x * z
            + self.c8 * z * v
            + self.c9 * z
            - self.kf * z
        )
        vdot = (
            self.c10 * x * bromide
            + self.c11 * bromide
            + self.c12 * x**2
            + self.c13 * z * v
            - self.kf * v
        )
        return self.t0 * jnp.stack([xdot, zdot, vdot])
