"""Jerk flows  x''' = J(x, x', x''),  written as ẋ = y, ẏ = z, ż = J(x, y, z), with the names,
equations and defaults of the dysts database. Sources: `Class.info().citation`."""

from typing import ClassVar

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem, Invariants

Scalar = Float[Array, ""]


def _jerk(state, jerk):
    x, y, z = state
    return jnp.stack([y, z, jerk(x, y, z)])


def _arneodo(p, state):
    return _jerk(state, lambda x, y, z: -p.a * x - p.b * y - p.c * z + p.d * x**3)


class Arneodo(AbstractSystem):
    """J = −ax − by − cz + dx³ (Arneodo, Coullet & Tresser, Commun. Math. Phys. 79, 1981)."""

    a: Scalar = parameter(-5.5)
    b: Scalar = parameter(4.5)
    c: Scalar = parameter(1.0)
    d: Scalar = parameter(-1.0)

    def rhs(self, t, state):
        return _arneodo(self, state)


class Coullet(AbstractSystem):
    """Arneodo's jerk with Coullet's parameters."""

    a: Scalar = parameter(-0.8)
    b: Scalar = parameter(1.1)
    c: Scalar = parameter(0.45)
    d: Scalar = parameter(-1.0)

    def rhs(self, t, state):
        return _arneodo(self, state)


class GenesioTesi(AbstractSystem):
    """J = −cx − by − az + x²."""

    a: Scalar = parameter(0.44)
    b: Scalar = parameter(1.1)
    c: Scalar = parameter(1.0)

    def rhs(self, t, state):
        return _jerk(state, lambda x, y, z: -self.c * x - self.b * y - self.a * z + x**2)


class SprottJerk(AbstractSystem):
    """J = −x + y² − μz, the simplest quadratic jerk (Sprott, Am. J. Phys. 65, 1997)."""

    mu: Scalar = parameter(2.017)
    published: ClassVar[Invariants] = Invariants(
        (0.0550, 0.0, -2.0720), 2.0265, "J. C. Sprott, Phys. Lett. A 228, 271 (1997)"
    )

    def rhs(self, t, state):
        return _jerk(state, lambda x, y, z: -x + y**2 - self.mu * z)


class JerkCircuit(AbstractSystem):
    """A diode jerk circuit: J = −z − x − ε(exp(y/y₀) − 1). Stiff: the diode's exponential
    makes the vector field change by orders of magnitude across the attractor."""

    eps: Scalar = parameter(1e-9)
    y0: Scalar = parameter(0.026)

    def rhs(self, t, state):
        return _jerk(state, lambda x, y, z: -z - x - self.eps * (jnp.exp(y / self.y0) - 1))


class MooreSpiegel(AbstractSystem):
    """Thermally driven convection of a stellar gas: ẋ = y,  ẏ = az,
    ż = −z + εy − yx² − bx."""

    a: Scalar = parameter(10.0)
    b: Scalar = parameter(4.0)
    eps: Scalar = parameter(9.0)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y, self.a * z, -z + self.eps * y - y * x**2 - self.b * x])
