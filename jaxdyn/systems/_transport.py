"""Chaotic advection: tracer particles in time-periodic two-dimensional flows and in steady
three-dimensional ones, with the names, equations and defaults of the dysts database. For the
periodic flows the last coordinate is the clock (ṫ = 1) or the forcing phase (θ̇ = ω), so
the system is autonomous. Sources: `Class.info().citation`."""

import math

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem

Scalar = Float[Array, ""]
Vector = Float[Array, " n"]


def _blinking(clock, period, stiffness=20.0):
    """The smoothed on/off switch of the blinking protocols:
    ½ + ½ tanh(20 T sin(2πt/T)) — 1 in the first half period, 0 in the second."""
    return 0.5 + 0.5 * jnp.tanh(period * stiffness * jnp.sin(2 * math.pi * clock / period))


class DoubleGyre(AbstractSystem):
    """Two counter-rotating gyres with an oscillating separatrix (Shadden, Lekien & Marsden,
    Physica D 212, 2005): ψ = α sin(πf(x, θ)) sin(πy),  f = εsin θ·x² + (1 − 2εsin θ)x,
    ẋ = −∂ψ/∂y,  ẏ = ∂ψ/∂x,  θ̇ = ω."""

    alpha: Scalar = parameter(0.1)
    eps: Scalar = parameter(0.1)
    omega: Scalar = parameter(0.62832)

    def rhs(self, t, state):
        x, y, th = state
        a = self.eps * jnp.sin(th)
        b = 1 - 2 * self.eps * jnp.sin(th)
        f = a * x**2 + b * x
        scale = self.alpha * math.pi
        return jnp.stack(
            [
                -scale * jnp.sin(math.pi * f) * jnp.cos(math.pi * y),
                scale * jnp.cos(math.pi * f) * jnp.sin(math.pi * y) * (2 * a * x + b),
                jnp.ones_like(th) * self.omega,
            ]
        )


class OscillatingFlow(AbstractSystem):
    """Cellular flow with an oscillating roll boundary (Solomon & Gollub, Phys. Rev. A 38,
    1988): ẋ = u cos(ky) sin(kf),  ẏ = −u sin(ky) cos(kf),  f = x + b sin θ,  θ̇ = ω."""

    b: Scalar = parameter(0.48)
    k: Scalar = parameter(1.0)
    omega: Scalar = parameter(0.49)
    u: Scalar = parameter(0.72)

    def rhs(self, t, state):
        x, y, th = state
        f = x + self.b * jnp.sin(th)
        k, u = self.k, self.u
        return jnp.stack(
            [
                u * jnp.cos(k * y) * jnp.sin(k * f),
                -u * jnp.sin(k * y) * jnp.cos(k * f),
                jnp.ones_like(th) * self.omega,
            ]
        )


class BickleyJet(AbstractSystem):
    """A meandering zonal jet with three travelling Rossby waves (del-Castillo-Negrete &
    Morrison, Phys. Fluids A 5, 1993), state (y, x, θ):
    ẋ = U sech²(y/ℓ)(−1 − 2 Σₙ εₙ cos(kₙ(x − σₙθ)) tanh(y/ℓ)),
    ẏ = ℓU sech²(y/ℓ) Σₙ εₙkₙ sin(kₙ(x − σₙθ)),  θ̇ = ω."""

    ell: Scalar = parameter(1.77)
    eps: Vector = parameter((0.0075, 0.15, 0.3))
    k: Vector = parameter((0.313922, 0.627845, 0.941767))
    omega: Scalar = parameter(1.0)
    sigma: Vector = parameter((9.05854e-06, 1.28453e-05, 2.88863e-05))
    u: Scalar = parameter(6.266e-05)

    def rhs(self, t, state):
        y, x, th = state
        sech2 = 1 / jnp.cosh(y / self.ell) ** 2
        phase = self.k * (x - th * self.sigma)
        xdot = (
            self.u * sech2 * (-1 - 2 * jnp.dot(jnp.cos(phase), self.eps) * jnp.tanh(y / self.ell))
        )
        ydot = self.ell * self.u * sech2 * jnp.dot(self.eps * self.k, jnp.sin(phase))
        return jnp.stack([ydot, xdot, jnp.ones_like(th) * self.omega])


class ArnoldBeltramiChildress(AbstractSystem):
    """The ABC flow, a steady Beltrami solution of the Euler equations (Dombre et al., J.
    Fluid Mech. 167, 1986): ẋ = a sin z + c cos y,  ẏ = b sin x + a cos z,
    ż = c sin y + b cos x."""

    a: Scalar = parameter(1.73205)
    b: Scalar = parameter(1.41421)
    c: Scalar = parameter(1.0)

    def rhs(self, t, state):
        x, y, z = state
        a, b, c = self.a, self.b, self.c
        return jnp.stack(
            [
                a * jnp.sin(z) + c * jnp.cos(y),
                b * jnp.sin(x) + a * jnp.cos(z),
                c * jnp.sin(y) + b * jnp.cos(x),
            ]
        )


def _rotlet(r, th, a, b, bc):
    """Polar velocity (v_r, r θ̇) of a rotlet at distance b from the centre of a disc of
    radius a, with (bc = 1) or without (bc = 0) the no-slip image system."""
    cos = jnp.cos(th)
    kappa = a**2 + (b**2 * r**2) / a**2 - 2 * b * r * cos
    gamma = (1 - r**2 / a**2) * (a**2 - (b**2 * r**2) / a**2)
    iota = (b**2 * r) / a**2 - b * cos
    zeta = b**2 + r**2 - 2 * b * r * cos
    nu = a**2 + b**2 - (2 * b**2 * r**2) / a**2
    vr = b * jnp.sin(th) * (-bc * (gamma / kappa**2) - 1 / kappa + 1 / zeta)
    vth = (
        bc * (gamma * iota) / kappa**2
        + bc * r * nu / (a**2 * kappa)
        + iota / kappa
        - (r - b * cos) / zeta
    )
    return vr, vth


def _blinking_rotlet(p, state):
    r, th, clock = state
    weight = _blinking(clock, p.tau)
    vr1, vth1 = _rotlet(r, th, p.a, p.b, p.bc)
    vr2, vth2 = _rotlet(r, th, p.a, -p.b, p.bc)
    vr = weight * vr1 + (1 - weight) * vr2
    vth = (weight * vth1 + (1 - weight) * vth2) / r
    return jnp.stack([p.sigma * vr, p.sigma * vth, jnp.ones_like(clock)])


class BlinkingRotlet(AbstractSystem):
    """Stokes flow in a disc driven by two rotlets at ±b that switch on and off every half
    period τ (Meleshko & Aref, Phys. Fluids 8, 1996); state (r, θ, t)."""

    a: Scalar = parameter(1.0)
    b: Scalar = parameter(0.5298833894399929)
    bc: Scalar = parameter(1.0)
    sigma: Scalar = parameter(-1.0)
    tau: Scalar = parameter(3.0)

    def rhs(self, t, state):
        return _blinking_rotlet(self, state)


class BlinkingVortex(AbstractSystem):
    """Aref's blinking vortex: the blinking rotlet without the disc's image system (bc = 0)
    (Aref, J. Fluid Mech. 143, 1984); state (r, θ, t)."""

    a: Scalar = parameter(1.0)
    b: Scalar = parameter(0.5)
    bc: Scalar = parameter(0.0)
    sigma: Scalar = parameter(-1.0)
    tau: Scalar = parameter(3.0)

    def rhs(self, t, state):
        return _blinking_rotlet(self, state)


class InteriorSquirmer(AbstractSystem):
    """Tracers inside a squirming droplet whose tangential and normal surface modes (aₙ, gₙ,
    n = 1…5) alternate every half period τ (Blake, J. Fluid Mech. 46, 1971); state (r, θ, t):
    ṙ = Σ (gₙ cos nθ + aₙ sin nθ) n rⁿ (r² − 1)/r,
    θ̇ = Σ (aₙ cos nθ − gₙ sin nθ) rⁿ (2r + n(r² − 1)/r) / r."""

    a: Vector = parameter((0.5, 0.5, 0.5, 0.5, 0.5))
    g: Vector = parameter((0.5, 0.5, 0.5, 0.5, 0.5))
    tau: Scalar = parameter(3.0)

    def rhs(self, t, state):
        r, th, clock = state
        weight = _blinking(clock, self.tau)
        a, g = self.a * weight, self.g * (1 - weight)
        n = jnp.arange(1, a.shape[0] + 1, dtype=state.dtype)
        sin, cos, rn = jnp.sin(n * th), jnp.cos(n * th), r**n
        vr = (g * cos + a * sin) * n * rn * (r**2 - 1) / r
        vth = (2 * r + (r**2 - 1) * n / r) * (a * cos - g * sin) * rn
        return jnp.stack([jnp.sum(vr), jnp.sum(vth) / r, jnp.ones_like(clock)])


def _cavity_velocity(x, y, a, b, u1, u2):
    """Stokes flow in the rectangular cavity [0, a] × [−b, b] driven by its two lids: the
    sum of the first two Fourier modes, with amplitudes u₁ and u₂."""
    vx, vy = 0.0, 0.0
    for mode, amplitude in ((1, u1), (2, u2)):
        q = mode * math.pi / a
        norm = 2 * amplitude / (2 * mode * b * math.pi + a * jnp.sinh(2 * q * b))
        sinh_b, cosh_b = jnp.sinh(q * b), jnp.cosh(q * b)
        sinh_y, cosh_y = jnp.sinh(q * y), jnp.cosh(q * y)
        vx += (
            norm
            * jnp.sin(q * x)
            * (
                -mode * b * math.pi * sinh_b * sinh_y
                + cosh_b * (mode * math.pi * y * cosh_y + a * sinh_y)
            )
        )
        vy += norm * mode * math.pi * jnp.cos(q * x) * (b * sinh_b * cosh_y - cosh_b * y * sinh_y)
    return vx, vy


class LidDrivenCavityFlow(AbstractSystem):
    """Stokes flow in a cavity whose two lids take turns every half period τ (Chien, Rising &
    Ottino, J. Fluid Mech. 170, 1986); state (x, y, t)."""

    a: Scalar = parameter(6.0)
    b: Scalar = parameter(1.0)
    tau: Scalar = parameter(1.1)
    u1: Scalar = parameter(9.92786)
    u2: Scalar = parameter(8.34932)

    def rhs(self, t, state):
        x, y, clock = state
        weight = _blinking(clock, self.tau)
        vx1, vy1 = _cavity_velocity(x, y, self.a, self.b, self.u1, self.u2)
        vx2, vy2 = _cavity_velocity(x, y, self.a, self.b, -self.u1, self.u2)
        return jnp.stack(
            [
                weight * vx1 + (1 - weight) * vx2,
                weight * vy1 + (1 - weight) * vy2,
                jnp.ones_like(clock),
            ]
        )
