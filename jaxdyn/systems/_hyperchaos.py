"""Four-dimensional hyperchaotic flows (two positive Lyapunov exponents), mostly Lorenz-,
Lü- and Chen-type systems extended by a fourth state w; names, equations and defaults of
the dysts database. Sources: `Class.info().citation`."""

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem

Scalar = Float[Array, ""]


def _hyper_lorenz(a, rho, beta, d, state):
    """ẋ = a(y − x) + w,  ẏ = ρx − xz − y,  ż = xy − βz,  ẇ = dw − xz."""
    x, y, z, w = state
    return jnp.stack([a * (y - x) + w, rho * x - x * z - y, x * y - beta * z, d * w - x * z])


class HyperLorenz(AbstractSystem):
    """ẋ = a(y − x) + w,  ẏ = cx − xz − y,  ż = xy − bz,  ẇ = dw − xz."""

    a: Scalar = parameter(10.0)
    b: Scalar = parameter(2.667)
    c: Scalar = parameter(28.0)
    d: Scalar = parameter(1.1)

    def rhs(self, t, state):
        return _hyper_lorenz(self.a, self.c, self.b, self.d, state)


class HyperJha(AbstractSystem):
    """The hyperchaotic Lorenz equations with b and c exchanged:
    ẋ = a(y − x) + w,  ẏ = bx − xz − y,  ż = xy − cz,  ẇ = dw − xz."""

    a: Scalar = parameter(10.0)
    b: Scalar = parameter(28.0)
    c: Scalar = parameter(2.667)
    d: Scalar = parameter(1.3)

    def rhs(self, t, state):
        return _hyper_lorenz(self.a, self.b, self.c, self.d, state)


class HyperRossler(AbstractSystem):
    """ẋ = −y − z,  ẏ = x + ay + w,  ż = b + xz,  ẇ = −cz + dw."""

    a: Scalar = parameter(0.25)
    b: Scalar = parameter(3.0)
    c: Scalar = parameter(0.5)
    d: Scalar = parameter(0.05)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack([-y - z, x + self.a * y + w, self.b + x * z, -self.c * z + self.d * w])


class HyperLu(AbstractSystem):
    """ẋ = a(y − x) + w,  ẏ = cy − xz,  ż = xy − bz,  ẇ = dw + xz."""

    a: Scalar = parameter(36.0)
    b: Scalar = parameter(3.0)
    c: Scalar = parameter(20.0)
    d: Scalar = parameter(1.3)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [self.a * (y - x) + w, self.c * y - x * z, x * y - self.b * z, self.d * w + x * z]
        )


class HyperBao(AbstractSystem):
    """ẋ = a(y − x) + w,  ẏ = cy − xz,  ż = xy − bz,  ẇ = ex + dyz."""

    a: Scalar = parameter(36.0)
    b: Scalar = parameter(3.0)
    c: Scalar = parameter(20.0)
    d: Scalar = parameter(0.1)
    e: Scalar = parameter(21.0)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [
                self.a * (y - x) + w,
                self.c * y - x * z,
                x * y - self.b * z,
                self.e * x + self.d * y * z,
            ]
        )


class HyperCai(AbstractSystem):
    """ẋ = a(y − x),  ẏ = bx + cy − xz + w,  ż = −dz + y²,  ẇ = −ex."""

    a: Scalar = parameter(27.5)
    b: Scalar = parameter(3.0)
    c: Scalar = parameter(19.3)
    d: Scalar = parameter(2.9)
    e: Scalar = parameter(3.3)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [
                self.a * (y - x),
                self.b * x + self.c * y - x * z + w,
                -self.d * z + y**2,
                -self.e * x,
            ]
        )


class HyperPang(AbstractSystem):
    """ẋ = a(y − x),  ẏ = cy − xz + w,  ż = xy − bz,  ẇ = −d(x + y)."""

    a: Scalar = parameter(36.0)
    b: Scalar = parameter(3.0)
    c: Scalar = parameter(20.0)
    d: Scalar = parameter(2.0)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [self.a * (y - x), self.c * y - x * z + w, x * y - self.b * z, -self.d * (x + y)]
        )


class HyperQi(AbstractSystem):
    """ẋ = a(y − x) + yz,  ẏ = b(x + y) − xz,  ż = −cz − ew + xy,  ẇ = −dw + fz + xy."""

    a: Scalar = parameter(50.0)
    b: Scalar = parameter(24.0)
    c: Scalar = parameter(13.0)
    d: Scalar = parameter(8.0)
    e: Scalar = parameter(33.0)
    f: Scalar = parameter(30.0)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [
                self.a * (y - x) + y * z,
                self.b * (x + y) - x * z,
                -self.c * z - self.e * w + x * y,
                -self.d * w + self.f * z + x * y,
            ]
        )


class HyperWang(AbstractSystem):
    """ẋ = a(y − x),  ẏ = bx − xz + w,  ż = −cz + ex²,  ẇ = −dx."""

    a: Scalar = parameter(10.0)
    b: Scalar = parameter(40.0)
    c: Scalar = parameter(2.5)
    d: Scalar = parameter(10.6)
    e: Scalar = parameter(4.0)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [self.a * (y - x), self.b * x - x * z + w, -self.c * z + self.e * x**2, -self.d * x]
        )


class HyperXu(AbstractSystem):
    """ẋ = a(y − x) + w,  ẏ = bx + exz,  ż = −cz − xy,  ẇ = xz − dy."""

    a: Scalar = parameter(10.0)
    b: Scalar = parameter(40.0)
    c: Scalar = parameter(2.5)
    d: Scalar = parameter(2.0)
    e: Scalar = parameter(16.0)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [
                self.a * (y - x) + w,
                self.b * x + self.e * x * z,
                -self.c * z - x * y,
                x * z - self.d * y,
            ]
        )


class HyperYan(AbstractSystem):
    """ẋ = a(y − x),  ẏ = (c − a)x − xz + cy,  ż = −bz + xy − yz + xz − w,  ẇ = −dw + yz − xz."""

    a: Scalar = parameter(37.0)
    b: Scalar = parameter(3.0)
    c: Scalar = parameter(26.0)
    d: Scalar = parameter(38.0)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [
                self.a * (y - x),
                (self.c - self.a) * x - x * z + self.c * y,
                -self.b * z + x * y - y * z + x * z - w,
                -self.d * w + y * z - x * z,
            ]
        )


class HyperYangChen(AbstractSystem):
    """ẋ = a(y − x),  ẏ = cx − xz + w,  ż = −bz + xy,  ẇ = −dx."""

    a: Scalar = parameter(30.0)
    b: Scalar = parameter(3.0)
    c: Scalar = parameter(35.0)
    d: Scalar = parameter(8.0)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [self.a * (y - x), self.c * x - x * z + w, -self.b * z + x * y, -self.d * x]
        )


class LorenzStenflo(AbstractSystem):
    """Lorenz–Stenflo (acoustic-gravity waves): ẋ = a(y − x) + dw,  ẏ = cx − xz − y,
    ż = xy − bz,  ẇ = −x − aw."""

    a: Scalar = parameter(2.0)
    b: Scalar = parameter(0.7)
    c: Scalar = parameter(26.0)
    d: Scalar = parameter(1.5)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [
                self.a * (y - x) + self.d * w,
                self.c * x - x * z - y,
                x * y - self.b * z,
                -x - self.a * w,
            ]
        )
