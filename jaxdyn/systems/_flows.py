"""Chaotic flows, with the names, equations and default parameters of the dysts database."""

from __future__ import annotations

from typing import ClassVar

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem, Invariants

_SPROTT = "J. C. Sprott, Chaos and Time-Series Analysis (Oxford, 2003), Appendix A"


class Lorenz(AbstractSystem):
    """ẋ = σ(y − x),  ẏ = x(ρ − z) − y,  ż = xy − βz  (Lorenz, J. Atmos. Sci. 20, 1963).

    dysts's default β is 2.667; the classic 8/3 is `Lorenz(beta=8/3)`, for which the
    published spectrum below holds.
    """

    sigma: Float[Array, ""] = parameter(10.0)
    rho: Float[Array, ""] = parameter(28.0)
    beta: Float[Array, ""] = parameter(2.667)
    published: ClassVar[Invariants] = Invariants((0.9056, 0.0, -14.5723), 2.0621, _SPROTT)

    def rhs(self, t, y):
        x, y_, z = y
        return jnp.stack([self.sigma * (y_ - x), x * (self.rho - z) - y_, x * y_ - self.beta * z])


class Rossler(AbstractSystem):
    """ẋ = −y − z,  ẏ = x + ay,  ż = b + z(x − c)  (Rössler, Phys. Lett. A 57, 1976)."""

    a: Float[Array, ""] = parameter(0.2)
    b: Float[Array, ""] = parameter(0.2)
    c: Float[Array, ""] = parameter(5.7)
    published: ClassVar[Invariants] = Invariants((0.0714, 0.0, -5.3943), 2.0132, _SPROTT)

    def rhs(self, t, y):
        x, y_, z = y
        return jnp.stack([-y_ - z, x + self.a * y_, self.b + z * (x - self.c)])
