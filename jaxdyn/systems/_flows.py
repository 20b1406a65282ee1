"""Chaotic flows with quadratic (and a few transcendental) nonlinearities, with the names,
equations and default parameters of the dysts database. Each class's source paper is
`Class.info().citation`."""

from typing import ClassVar

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem, Invariants

_SPROTT = "J. C. Sprott, Chaos and Time-Series Analysis (Oxford, 2003), Appendix A"
Scalar = Float[Array, ""]


class Lorenz(AbstractSystem):
    """ẋ = σ(y − x),  ẏ = x(ρ − z) − y,  ż = xy − βz.

    dysts's default β is 2.667; the classic 8/3 is `Lorenz(beta=8/3)`, for which the
    published spectrum below holds.
    """

    sigma: Scalar = parameter(10.0)
    rho: Scalar = parameter(28.0)
    beta: Scalar = parameter(2.667)
    published: ClassVar[Invariants] = Invariants((0.9056, 0.0, -14.5723), 2.0621, _SPROTT)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([self.sigma * (y - x), x * (self.rho - z) - y, x * y - self.beta * z])


class Rossler(AbstractSystem):
    """ẋ = −y − z,  ẏ = x + ay,  ż = b + z(x − c)."""

    a: Scalar = parameter(0.2)
    b: Scalar = parameter(0.2)
    c: Scalar = parameter(5.7)
    published: ClassVar[Invariants] = Invariants((0.0714, 0.0, -5.3943), 2.0132, _SPROTT)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-y - z, x + self.a * y, self.b + z * (x - self.c)])


class Chen(AbstractSystem):
    """ẋ = a(y − x),  ẏ = (c − a)x − xz + cy,  ż = xy − bz."""

    a: Scalar = parameter(35.0)
    b: Scalar = parameter(3.0)
    c: Scalar = parameter(28.0)

    def rhs(self, t, state):
        x, y, z = state
        a, b, c = self.a, self.b, self.c
        return jnp.stack([a * (y - x), (c - a) * x - x * z + c * y, x * y - b * z])


class LuChen(AbstractSystem):
    """ẋ = a(y − x),  ẏ = −xz + cy,  ż = xy − bz."""

    a: Scalar = parameter(36.0)
    b: Scalar = parameter(3.0)
    c: Scalar = parameter(18.0)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([self.a * (y - x), -x * z + self.c * y, x * y - self.b * z])


class QiChen(AbstractSystem):
    """ẋ = a(y − x) + yz,  ẏ = cx + y − xz,  ż = xy − bz."""

    a: Scalar = parameter(38.0)
    b: Scalar = parameter(2.666)
    c: Scalar = parameter(80.0)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([self.a * (y - x) + y * z, self.c * x + y - x * z, x * y - self.b * z])


def _dequan_li(p, state):
    x, y, z = state
    return jnp.stack(
        [p.a * (y - x) + p.d * x * z, p.k * x + p.f * y - x * z, p.c * z + x * y - p.eps * x**2]
    )


class DequanLi(AbstractSystem):
    """ẋ = a(y − x) + dxz,  ẏ = kx + fy − xz,  ż = cz + xy − εx²."""

    a: Scalar = parameter(40.0)
    c: Scalar = parameter(1.833)
    d: Scalar = parameter(0.16)
    eps: Scalar = parameter(0.65)
    f: Scalar = parameter(20.0)
    k: Scalar = parameter(55.0)

    def rhs(self, t, state):
        return _dequan_li(self, state)


class PanXuZhou(AbstractSystem):
    """Dequan Li's equations with Pan, Xu & Zhou's parameters."""

    a: Scalar = parameter(10.0)
    c: Scalar = parameter(-2.6667)
    d: Scalar = parameter(0.0)
    eps: Scalar = parameter(0.0)
    f: Scalar = parameter(0.0)
    k: Scalar = parameter(16.0)

    def rhs(self, t, state):
        return _dequan_li(self, state)


class ChenLee(AbstractSystem):
    """ẋ = ax − yz,  ẏ = by + xz,  ż = cz + xy/3."""

    a: Scalar = parameter(5.0)
    b: Scalar = parameter(-10.0)
    c: Scalar = parameter(-0.38)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([self.a * x - y * z, self.b * y + x * z, self.c * z + x * y / 3])


class Aizawa(AbstractSystem):
    """ẋ = (z − b)x − dy,  ẏ = dx + (z − b)y,
    ż = c + az − z³/3 − (x² + y²)(1 + ez) + fzx³."""

    a: Scalar = parameter(0.95)
    b: Scalar = parameter(0.7)
    c: Scalar = parameter(0.6)
    d: Scalar = parameter(3.5)
    e: Scalar = parameter(0.25)
    f: Scalar = parameter(0.1)

    def rhs(self, t, state):
        x, y, z = state
        r2 = x**2 + y**2
        dz = self.c + self.a * z - z**3 / 3 - r2 * (1 + self.e * z) + self.f * z * x**3
        return jnp.stack([(z - self.b) * x - self.d * y, self.d * x + (z - self.b) * y, dz])


def _thomas(p, state):
    return -p.a * state + p.b * jnp.sin(jnp.roll(state, -1))


class Thomas(AbstractSystem):
    """ẋ = −ax + b sin y,  ẏ = −ay + b sin z,  ż = −az + b sin x  (cyclically symmetric)."""

    a: Scalar = parameter(1.85)
    b: Scalar = parameter(10.0)

    def rhs(self, t, state):
        return _thomas(self, state)


class ThomasLabyrinth(AbstractSystem):
    """Thomas's equations in the labyrinth-chaos regime (small damping a)."""

    a: Scalar = parameter(0.5)
    b: Scalar = parameter(10.0)

    def rhs(self, t, state):
        return _thomas(self, state)


class Halvorsen(AbstractSystem):
    """ẋ = −ax − b(y + z) − y², and cyclic permutations of (x, y, z)."""

    a: Scalar = parameter(1.4)
    b: Scalar = parameter(4.0)

    def rhs(self, t, state):
        nxt, after = jnp.roll(state, -1), jnp.roll(state, -2)
        return -self.a * state - self.b * (nxt + after) - nxt**2


class Finance(AbstractSystem):
    """ẋ = (1/b − a)x + z + xy,  ẏ = −by − x²,  ż = −x − cz."""

    a: Scalar = parameter(0.001)
    b: Scalar = parameter(0.2)
    c: Scalar = parameter(1.1)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [(1 / self.b - self.a) * x + z + x * y, -self.b * y - x**2, -x - self.c * z]
        )


def _lorenz84(p, state):
    x, y, z = state
    return jnp.stack(
        [
            -p.a * x - y**2 - z**2 + p.a * p.f,
            -y + x * y - p.b * x * z + p.g,
            -z + p.b * x * y + x * z,
        ]
    )


class Hadley(AbstractSystem):
    """Lorenz's 1984 equations with the Hadley-circulation parameters of dysts:
    ẋ = −ax − y² − z² + af,  ẏ = −y + xy − bxz + g,  ż = −z + bxy + xz."""

    a: Scalar = parameter(0.2)
    b: Scalar = parameter(4.0)
    f: Scalar = parameter(9.0)
    g: Scalar = parameter(1.0)

    def rhs(self, t, state):
        return _lorenz84(self, state)


class Lorenz84(AbstractSystem):
    """ẋ = −ax − y² − z² + af,  ẏ = −y + xy − bxz + g,  ż = −z + bxy + xz."""

    a: Scalar = parameter(1.32)
    b: Scalar = parameter(7.91)
    f: Scalar = parameter(4.83)
    g: Scalar = parameter(4.194)

    def rhs(self, t, state):
        return _lorenz84(self, state)


class RabinovichFabrikant(AbstractSystem):
    """ẋ = y(z − 1 + x²) + gx,  ẏ = x(3z + 1 − x²) + gy,  ż = −2z(a + xy)."""

    a: Scalar = parameter(1.1)
    g: Scalar = parameter(0.87)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [
                y * (z - 1 + x**2) + self.g * x,
                x * (3 * z + 1 - x**2) + self.g * y,
                -2 * z * (self.a + x * y),
            ]
        )


class RikitakeDynamo(AbstractSystem):
    """ẋ = −μx + yz,  ẏ = −μy − ax + xz,  ż = 1 − xy."""

    a: Scalar = parameter(1.0)
    mu: Scalar = parameter(1.0)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-self.mu * x + y * z, -self.mu * y - self.a * x + x * z, 1 - x * y])


class Rucklidge(AbstractSystem):
    """ẋ = −ax + by − yz,  ẏ = x,  ż = −z + y²."""

    a: Scalar = parameter(2.0)
    b: Scalar = parameter(6.7)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-self.a * x + self.b * y - y * z, x, -z + y**2])


class ShimizuMorioka(AbstractSystem):
    """ẋ = y,  ẏ = x − ay − xz,  ż = −bz + x²."""

    a: Scalar = parameter(0.85)
    b: Scalar = parameter(0.5)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y, x - self.a * y - x * z, -self.b * z + x**2])


class NoseHoover(AbstractSystem):
    """ẋ = y,  ẏ = −x + yz,  ż = a − y²  (a thermostatted oscillator)."""

    a: Scalar = parameter(1.5)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y, -x + y * z, self.a - y**2])


class BurkeShaw(AbstractSystem):
    """ẋ = −n(x + y),  ẏ = y − nxz,  ż = nxy + e."""

    e: Scalar = parameter(13.0)
    n: Scalar = parameter(10.0)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([-self.n * (x + y), y - self.n * x * z, self.n * x * y + self.e])


class Dadras(AbstractSystem):
    """ẋ = y − px + oyz,  ẏ = ry − xz + z,  ż = cxy − ez."""

    c: Scalar = parameter(2.0)
    e: Scalar = parameter(9.0)
    o: Scalar = parameter(2.7)
    p: Scalar = parameter(3.0)
    r: Scalar = parameter(1.7)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [y - self.p * x + self.o * y * z, self.r * y - x * z + z, self.c * x * y - self.e * z]
        )


class NewtonLiepnik(AbstractSystem):
    """ẋ = −ax + y + 10yz,  ẏ = −x − 0.4y + 5xz,  ż = bz − 5xy."""

    a: Scalar = parameter(0.4)
    b: Scalar = parameter(0.175)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [-self.a * x + y + 10 * y * z, -x - 0.4 * y + 5 * x * z, self.b * z - 5 * x * y]
        )


def _sakarya(p, state):
    x, y, z = state
    return jnp.stack(
        [p.a * x + p.h * y + p.s * y * z, -p.b * y - p.p * x + p.q * x * z, p.c * z - p.r * x * y]
    )


class Sakarya(AbstractSystem):
    """ẋ = ax + hy + syz,  ẏ = −by − px + qxz,  ż = cz − rxy."""

    a: Scalar = parameter(-1.0)
    b: Scalar = parameter(1.0)
    c: Scalar = parameter(1.0)
    h: Scalar = parameter(1.0)
    p: Scalar = parameter(1.0)
    q: Scalar = parameter(0.4)
    r: Scalar = parameter(0.3)
    s: Scalar = parameter(1.0)

    def rhs(self, t, state):
        return _sakarya(self, state)


class LiuChen(AbstractSystem):
    """Sakarya's equations with Liu & Chen's parameters."""

    a: Scalar = parameter(0.4)
    b: Scalar = parameter(12.0)
    c: Scalar = parameter(-5.0)
    h: Scalar = parameter(0.0)
    p: Scalar = parameter(0.0)
    q: Scalar = parameter(-1.0)
    r: Scalar = parameter(1.0)
    s: Scalar = parameter(1.0)

    def rhs(self, t, state):
        return _sakarya(self, state)


class WangSun(AbstractSystem):
    """ẋ = ax + qyz,  ẏ = bx + dy − xz,  ż = ez + fxy."""

    a: Scalar = parameter(0.2)
    b: Scalar = parameter(-0.01)
    d: Scalar = parameter(-0.4)
    e: Scalar = parameter(-1.0)
    f: Scalar = parameter(-1.0)
    q: Scalar = parameter(1.0)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [
                self.a * x + self.q * y * z,
                self.b * x + self.d * y - x * z,
                self.e * z + self.f * x * y,
            ]
        )


class ZhouChen(AbstractSystem):
    """ẋ = ax + by + yz,  ẏ = cy − xz + dyz,  ż = ez − xy."""

    a: Scalar = parameter(2.97)
    b: Scalar = parameter(0.15)
    c: Scalar = parameter(-3.0)
    d: Scalar = parameter(1.0)
    e: Scalar = parameter(-8.78)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [
                self.a * x + self.b * y + y * z,
                self.c * y - x * z + self.d * y * z,
                self.e * z - x * y,
            ]
        )


class YuWang(AbstractSystem):
    """ẋ = a(y − x),  ẏ = bx − cxz,  ż = exp(xy) − dz."""

    a: Scalar = parameter(10.0)
    b: Scalar = parameter(40.0)
    c: Scalar = parameter(2.0)
    d: Scalar = parameter(2.5)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [self.a * (y - x), self.b * x - self.c * x * z, jnp.exp(x * y) - self.d * z]
        )


class PehlivanWei(AbstractSystem):
    """ẋ = y − yz,  ẏ = y + yz − 2x,  ż = 2 − xy − y²."""

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y - y * z, y + y * z - 2 * x, 2 - x * y - y**2])


class SanUmSrisuchinwong(AbstractSystem):
    """ẋ = y − x,  ẏ = −z tanh x,  ż = −a + xy + |y|."""

    a: Scalar = parameter(2.0)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack([y - x, -z * jnp.tanh(x), -self.a + x * y + jnp.abs(y)])


class Qi(AbstractSystem):
    """Four-wing flow: ẋ = a(y − x) + yzw,  ẏ = b(x + y) − xzw,  ż = −cz + xyw,
    ẇ = −dw + xyz."""

    a: Scalar = parameter(45.0)
    b: Scalar = parameter(10.0)
    c: Scalar = parameter(1.0)
    d: Scalar = parameter(10.0)

    def rhs(self, t, state):
        x, y, z, w = state
        return jnp.stack(
            [
                self.a * (y - x) + y * z * w,
                self.b * (x + y) - x * z * w,
                -self.c * z + x * y * w,
                -self.d * w + x * y * z,
            ]
        )


class HindmarshRose(AbstractSystem):
    """Bursting neuron: ẋ = (y − ax³ + bx² + z)/t_x − x,  ẏ = −ax³ − (d − b)x² + z,
    ż = (c − sx − z)/t_z."""

    a: Scalar = parameter(0.49)
    b: Scalar = parameter(1.0)
    c: Scalar = parameter(0.0322)
    d: Scalar = parameter(1.0)
    s: Scalar = parameter(1.0)
    tx: Scalar = parameter(0.03)
    tz: Scalar = parameter(0.8)

    def rhs(self, t, state):
        x, y, z = state
        a, b = self.a, self.b
        return jnp.stack(
            [
                (y - a * x**3 + b * x**2 + z) / self.tx - x,
                -a * x**3 - (self.d - b) * x**2 + z,
                (self.c - self.s * x - z) / self.tz,
            ]
        )
