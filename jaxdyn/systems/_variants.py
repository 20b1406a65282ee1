"""Variants of the classic flows — a bounded and a coupled Lorenz system, and re-parameterised
or modified Lü, Yu–Wang, Dequan Li and Bouali flows — with the names, equations and defaults
of the dysts database. Sources: `Class.info().citation`."""

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._flows import _dequan_li
from ._system import AbstractSystem

Scalar = Float[Array, ""]


class LorenzBounded(AbstractSystem):
    """Lorenz's flow confined to the ball |y| < r: the Lorenz vector field times
    (1 − |y|²/r²), with a correction that keeps the sphere invariant (Sprott & Xiong, Chaos
    25, 2015). Expanded as in dysts."""

    beta: Scalar = parameter(2.667)
    r: Scalar = parameter(64.0)
    rho: Scalar = parameter(28.0)
    sigma: Scalar = parameter(10.0)

    def rhs(self, t, state):
        x, y, z = state
        sigma, rho, beta = self.sigma, self.rho, self.beta
        q = 1 / self.r**2
        r2 = x**2 + y**2 + z**2
        return jnp.stack(
            [
                sigma * (y - x) + sigma * q * (x - y) * r2,
                rho * x - x * z - y - rho * q * x * r2 + q * (x * z + y) * r2,
                x * y - beta * z - q * x * y * r2 + beta * q * z * r2,
            ]
        )


class LorenzCoupled(AbstractSystem):
    """Two Lorenz systems, the first driving the second through x:
    ẋ₁ = σ(y₁ − x₁), ẏ₁ = ρ₁x₁ − x₁z₁ − y₁, ż₁ = x₁y₁ − βz₁;
    ẋ₂ = σ(y₂ − x₂) + ε(x₁ − x₂), ẏ₂ = ρ₂x₂ − x₂z₂ − y₂, ż₂ = x₂y₂ − βz₂."""

    beta: Scalar = parameter(2.667)
    eps: Scalar = parameter(2.85)
    rho: Scalar = parameter(28.0)  # unused by the equations; kept as in dysts
    rho1: Scalar = parameter(35.0)
    rho2: Scalar = parameter(1.15)
    sigma: Scalar = parameter(10.0)

    def rhs(self, t, state):
        x1, y1, z1, x2, y2, z2 = state
        return jnp.stack(
            [
                self.sigma * (y1 - x1),
                self.rho1 * x1 - x1 * z1 - y1,
                x1 * y1 - self.beta * z1,
                self.sigma * (y2 - x2) + self.eps * (x1 - x2),
                self.rho2 * x2 - x2 * z2 - y2,
                x2 * y2 - self.beta * z2,
            ]
        )


class LuChenCheng(AbstractSystem):
    """ẋ = −ab/(a + b) x − yz + c,  ẏ = ay + xz,  ż = bz + xy."""

    a: Scalar = parameter(-10.0)
    b: Scalar = parameter(-4.0)
    c: Scalar = parameter(18.1)

    def rhs(self, t, state):
        x, y, z = state
        a, b = self.a, self.b
        return jnp.stack([-(a * b) / (a + b) * x - y * z + self.c, a * y + x * z, b * z + x * y])


class YuWang2(AbstractSystem):
    """Yu–Wang with a hyperbolic cosine: ẋ = a(y − x),  ẏ = bx − cxz,  ż = cosh(xy) − dz."""

    a: Scalar = parameter(10.0)
    b: Scalar = parameter(30.0)
    c: Scalar = parameter(2.0)
    d: Scalar = parameter(2.5)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [self.a * (y - x), self.b * x - self.c * x * z, jnp.cosh(x * y) - self.d * z]
        )


class Tsucs2(AbstractSystem):
    """Dequan Li's equations with the TSUCS2 parameters."""

    a: Scalar = parameter(40.0)
    c: Scalar = parameter(0.833)
    d: Scalar = parameter(0.5)
    eps: Scalar = parameter(0.65)
    f: Scalar = parameter(20.0)
    k: Scalar = parameter(0.0)

    def rhs(self, t, state):
        return _dequan_li(self, state)


def _bouali(p, state):
    x, y, z = state
    return jnp.stack(
        [
            p.a * p.y0 * x - p.a * x * y - p.b * z,
            -p.g * y + p.g * y * x**2,
            -1.5 * p.m * x + p.m * p.bb * x * z - p.c * z,
        ]
    )


class Bouali2(AbstractSystem):
    """ẋ = ax(y₀ − y) − bz,  ẏ = gy(x² − 1),  ż = −1.5mx + m·bb·xz − cz (Bouali, 2012)."""

    a: Scalar = parameter(3.0)
    b: Scalar = parameter(2.2)
    bb: Scalar = parameter(0.0)
    c: Scalar = parameter(0.0)
    g: Scalar = parameter(1.0)
    m: Scalar = parameter(-0.0026667)
    y0: Scalar = parameter(1.0)

    def rhs(self, t, state):
        return _bouali(self, state)


class Bouali(AbstractSystem):
    """Bouali2's equations with the parameters of Bouali's 2013 attractor."""

    a: Scalar = parameter(1.0)
    b: Scalar = parameter(-0.3)
    bb: Scalar = parameter(1.0)
    c: Scalar = parameter(0.05)
    g: Scalar = parameter(1.0)
    m: Scalar = parameter(1.0)
    y0: Scalar = parameter(4.0)

    def rhs(self, t, state):
        return _bouali(self, state)
