"""Sprott's minimal chaotic flows A–S (Sprott, Phys. Rev. E 50, R647, 1994): the simplest
three-dimensional quadratic flows with chaotic solutions, named and parameterised as in
dysts."""

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem

Scalar = Float[Array, ""]


class SprottA(AbstractSystem):
    """ẋ = y,  ẏ = −x + yz,  ż = 1 − y²."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y, -x + y * z, 1 - y**2])


class SprottB(AbstractSystem):
    """ẋ = yz,  ẏ = x − y,  ż = 1 − xy."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y * z, x - y, 1 - x * y])


class SprottC(AbstractSystem):
    """ẋ = yz,  ẏ = x − y,  ż = 1 − x²."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y * z, x - y, 1 - x**2])


class SprottD(AbstractSystem):
    """ẋ = −y,  ẏ = x + z,  ż = xz + 3y²."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-y, x + z, x * z + 3 * y**2])


class SprottE(AbstractSystem):
    """ẋ = yz,  ẏ = x² − y,  ż = 1 − 4x."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y * z, x**2 - y, 1 - 4 * x])


class SprottF(AbstractSystem):
    """ẋ = y + z,  ẏ = −x + ay,  ż = x² − z."""

    a: Scalar = parameter(0.5)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y + z, -x + self.a * y, x**2 - z])


class SprottG(AbstractSystem):
    """ẋ = ax + z,  ẏ = xz − y,  ż = −x + y."""

    a: Scalar = parameter(0.4)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([self.a * x + z, x * z - y, -x + y])


class SprottH(AbstractSystem):
    """ẋ = −y + z²,  ẏ = x + ay,  ż = x − z."""

    a: Scalar = parameter(0.5)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-y + z**2, x + self.a * y, x - z])


class SprottI(AbstractSystem):
    """ẋ = −ay,  ẏ = x + z,  ż = x + y² − z."""

    a: Scalar = parameter(0.2)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-self.a * y, x + z, x + y**2 - z])


class SprottJ(AbstractSystem):
    """ẋ = 2z,  ẏ = −2y + z,  ż = −x + y + y²."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([2 * z, -2 * y + z, -x + y + y**2])


class SprottK(AbstractSystem):
    """ẋ = xy − z,  ẏ = x − y,  ż = x + az."""

    a: Scalar = parameter(0.3)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([x * y - z, x - y, x + self.a * z])


class SprottL(AbstractSystem):
    """ẋ = y + bz,  ẏ = ax² − y,  ż = 1 − x."""

    a: Scalar = parameter(0.9)
    b: Scalar = parameter(3.9)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y + self.b * z, self.a * x**2 - y, 1 - x])


class SprottM(AbstractSystem):
    """ẋ = −z,  ẏ = −x² − y,  ż = a(1 + x) + y."""

    a: Scalar = parameter(1.7)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-z, -(x**2) - y, self.a * (1 + x) + y])


class SprottN(AbstractSystem):
    """ẋ = −2y,  ẏ = x + z²,  ż = 1 + y − 2z."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-2 * y, x + z**2, 1 + y - 2 * z])


class SprottO(AbstractSystem):
    """ẋ = y,  ẏ = x − z,  ż = x + xz + ay."""

    a: Scalar = parameter(2.7)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y, x - z, x + x * z + self.a * y])


class SprottP(AbstractSystem):
    """ẋ = ay + z,  ẏ = −x + y²,  ż = x + y."""

    a: Scalar = parameter(2.7)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([self.a * y + z, -x + y**2, x + y])


class SprottQ(AbstractSystem):
    """ẋ = −z,  ẏ = x − y,  ż = ax + y² + bz."""

    a: Scalar = parameter(3.1)
    b: Scalar = parameter(0.5)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-z, x - y, self.a * x + y**2 + self.b * z])


class SprottR(AbstractSystem):
    """ẋ = a − y,  ẏ = b + z,  ż = xy − z."""

    a: Scalar = parameter(0.9)
    b: Scalar = parameter(0.4)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([self.a - y, self.b + z, x * y - z])


class SprottS(AbstractSystem):
    """ẋ = −x − 4y,  ẏ = x + z²,  ż = 1 + x."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-x - 4 * y, x + z**2, 1 + x])


class SprottTorus(AbstractSystem):
    """A flow with a chaotic attractor and a coexisting invariant torus (Sprott, Int. J.
    Bifurc. Chaos 24, 2014): ẋ = y + 2xy + xz,  ẏ = 1 − 2x² + yz,  ż = x − x² − y²."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y + 2 * x * y + x * z, 1 - 2 * x**2 + y * z, x - x**2 - y**2])


class SprottMore(AbstractSystem):
    """A chaotic flow without equilibria: ẋ = y,  ẏ = −x − sign(z)y,
    ż = y² − exp(−x²)."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y, -x - jnp.sign(z) * y, y**2 - jnp.exp(-(x**2))])
