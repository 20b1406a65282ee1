"""Chaotic models from circuits, lasers, chemistry and nuclear physics; names, equations and
defaults of the dysts database. Sources: `Class.info().citation`."""

from __future__ import annotations

import math

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem

Scalar = Float[Array, ""]


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
