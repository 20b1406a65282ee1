"""Low-order models of the atmosphere, the ocean, convection and the magnetosphere, with the
names, equations and defaults of the dysts database. Sources: `Class.info().citation`."""

from typing import ClassVar

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem

Scalar = Float[Array, ""]


class Lorenz96(AbstractSystem):
    """ẋᵢ = (xᵢ₊₁ − xᵢ₋₂) xᵢ₋₁ − xᵢ + F, indices periodic (Lorenz, Proc. ECMWF Seminar on
    Predictability, 1996). The catalog's default has four sites; the equations hold for any
    number n ≥ 4 (pass a y0 of that length)."""

    f: Scalar = parameter(20.0)
    variable_dimension: ClassVar[bool] = True

    def rhs(self, t, state):
        ahead, behind = jnp.roll(state, -1), jnp.roll(state, 1)
        return (ahead - jnp.roll(state, 2)) * behind - state + self.f


class RayleighBenard(AbstractSystem):
    """Three-mode Rayleigh–Bénard convection: ẋ = a(y − x),  ẏ = ry − xz,  ż = xy − bz."""

    a: Scalar = parameter(30.0)
    b: Scalar = parameter(5.0)
    r: Scalar = parameter(18.0)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([self.a * (y - x), self.r * y - x * z, x * y - self.b * z])


class AtmosphericRegime(AbstractSystem):
    """Three-mode model of atmospheric flow regimes:
    ẋ = μ₁x + σxy,  ẏ = μ₂y + ωz + αyz + βz² − σx²,  ż = μ₂z − ωy − αy² − βyz."""

    alpha: Scalar = parameter(-2.0)
    beta: Scalar = parameter(-5.0)
    mu1: Scalar = parameter(0.05)
    mu2: Scalar = parameter(-0.01)
    omega: Scalar = parameter(3.0)
    sigma: Scalar = parameter(1.1)

    def rhs(self, t, state):
        x, y, z = state
        a, b = self.alpha, self.beta
        return jnp.stack(
            [
                self.mu1 * x + self.sigma * x * y,
                self.mu2 * y + self.omega * z + a * y * z + b * z**2 - self.sigma * x**2,
                self.mu2 * z - self.omega * y - a * y**2 - b * y * z,
            ]
        )


class VallisElNino(AbstractSystem):
    """Vallis's El Niño model: ẋ = by − c(x + p),  ẏ = −y + xz,  ż = −z − xy + 1."""

    b: Scalar = parameter(102.0)
    c: Scalar = parameter(3.0)
    p: Scalar = parameter(0.0)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([self.b * y - self.c * (x + self.p), -y + x * z, -z - x * y + 1])


class WindmiReduced(AbstractSystem):
    """Reduced WINDMI model of the solar wind–magnetosphere–ionosphere system (current i,
    voltage v, pressure p): i̇ = a₁(v_sw − v),  v̇ = b₁i − b₂p/2 − b₃v,
    ṗ = v_sw² − p^{5/4} v_sw^{1/2} (1 + tanh(d₁(i − 1)))/2."""

    a1: Scalar = parameter(0.247)
    b1: Scalar = parameter(10.8)
    b2: Scalar = parameter(0.0752)
    b3: Scalar = parameter(1.06)
    d1: Scalar = parameter(2200.0)
    vsw: Scalar = parameter(5.0)

    def rhs(self, t, state):
        i, v, p = state
        gate = (1 + jnp.tanh(self.d1 * (i - 1))) / 2
        return jnp.stack(
            [
                self.a1 * (self.vsw - v),
                self.b1 * i - self.b2 * p / 2 - self.b3 * v,
                self.vsw**2 - p ** (5 / 4) * jnp.sqrt(self.vsw) * gate,
            ]
        )
