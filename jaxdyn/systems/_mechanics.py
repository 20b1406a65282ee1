"""Mechanical systems — Hamiltonian pendulums and potentials, and periodically forced
oscillators whose forcing phase θ (θ̇ = ω) is the last coordinate — with the names, equations
and defaults of the dysts database. Sources: `Class.info().citation`."""

import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem

Scalar = Float[Array, ""]
_GRAVITY_ATWOOD = 9.82  # fixed in the dysts equations, not a parameter there


class DoublePendulum(AbstractSystem):
    """Planar double pendulum in canonical coordinates (θ₁, θ₂, p₁, p₂): Hamilton's equations
    of H = [m₂l₂²p₁² + (m₁+m₂)l₁²p₂² − 2m₂l₁l₂p₁p₂cos Δ] / [2m₂l₁²l₂²(m₁ + m₂sin²Δ)]
    − (m₁+m₂)gl₁cos θ₁ − m₂gl₂cos θ₂,  Δ = θ₁ − θ₂."""

    g: Scalar = parameter(9.81)
    l1: Scalar = parameter(1.0)
    l2: Scalar = parameter(1.0)
    m1: Scalar = parameter(1.0)
    m2: Scalar = parameter(1.0)

    def rhs(self, t, state):
        th1, th2, p1, p2 = state
        g, l1, l2, m1, m2 = self.g, self.l1, self.l2, self.m1, self.m2
        cos_diff, sin_diff = jnp.cos(th1 - th2), jnp.sin(th1 - th2)
        denom = l1 * l2 * (m1 + m2 * sin_diff**2)
        th1dot = (l2 * p1 - l1 * p2 * cos_diff) / (l1 * denom)
        th2dot = ((m1 + m2) * l1 * p2 - m2 * l2 * p1 * cos_diff) / (m2 * l2 * denom)
        h1 = p1 * p2 * sin_diff / denom
        h2 = (m2 * l2 * p1**2) / (2 * l1 * denom**2) + 0.5 * m2 * p2 * l2 * l1 * th2dot / denom
        h2 = h2 * jnp.sin(2 * (th1 - th2))
        return jnp.stack(
            [
                th1dot,
                th2dot,
                -(m1 + m2) * g * l1 * jnp.sin(th1) - h1 + h2,
                -m2 * g * l2 * jnp.sin(th2) + h1 - h2,
            ]
        )


class SwingingAtwood(AbstractSystem):
    """Swinging Atwood's machine (r, θ, p_r, p_θ), g = 9.82: ṙ = p_r/(m₁ + m₂),
    θ̇ = p_θ/(m₁r²),  ṗ_r = p_θ²/(m₁r³) − m₂g + m₁g cos θ,  ṗ_θ = −m₁gr sin θ."""

    m1: Scalar = parameter(1.0)
    m2: Scalar = parameter(4.5)

    def rhs(self, t, state):
        r, th, pr, pth = state
        g, m1, m2 = _GRAVITY_ATWOOD, self.m1, self.m2
        return jnp.stack(
            [
                pr / (m1 + m2),
                pth / (m1 * r**2),
                pth**2 / (m1 * r**3) - m2 * g + m1 * g * jnp.cos(th),
                -m1 * g * r * jnp.sin(th),
            ]
        )


class HenonHeiles(AbstractSystem):
    """Stellar motion in H = ½(p_x² + p_y² + x² + y²) + λ(x²y − y³/3)."""

    lam: Scalar = parameter(1.0)

    def rhs(self, t, state):
        x, y, px, py = state
        lam = self.lam
        return jnp.stack([px, py, -x - 2 * lam * x * y, -y - lam * x**2 + lam * y**2])


class ArnoldWeb(AbstractSystem):
    """Arnold diffusion along a resonance web (p₁, p₂, x₁, x₂, z): ṗᵢ = −μ sin xᵢ / D²,
    ẋᵢ = pᵢ,  ż = w,  D = 4 + cos z + cos x₁ + cos x₂."""

    mu: Scalar = parameter(0.01)
    w: Scalar = parameter(1.0)

    def rhs(self, t, state):
        p1, p2, x1, x2, z = state
        denom = 4 + jnp.cos(z) + jnp.cos(x1) + jnp.cos(x2)
        push = -self.mu / denom**2
        return jnp.stack(
            [push * jnp.sin(x1), push * jnp.sin(x2), p1, p2, jnp.ones_like(z) * self.w]
        )


class Duffing(AbstractSystem):
    """Forced Duffing oscillator: ẋ = y,  ẏ = −δy − βx − αx³ + γ cos θ,  θ̇ = ω."""

    alpha: Scalar = parameter(1.0)
    beta: Scalar = parameter(-1.0)
    delta: Scalar = parameter(0.1)
    gamma: Scalar = parameter(0.35)
    omega: Scalar = parameter(1.4)

    def rhs(self, t, state):
        x, y, th = state
        force = self.gamma * jnp.cos(th)
        ydot = -self.delta * y - self.beta * x - self.alpha * x**3 + force
        return jnp.stack([y, ydot, jnp.ones_like(th) * self.omega])


class ForcedVanDerPol(AbstractSystem):
    """ẋ = y,  ẏ = μ(1 − x²)y − x + a sin θ,  θ̇ = w."""

    a: Scalar = parameter(1.2)
    mu: Scalar = parameter(8.53)
    w: Scalar = parameter(0.63)

    def rhs(self, t, state):
        x, y, th = state
        ydot = self.mu * (1 - x**2) * y - x + self.a * jnp.sin(th)
        return jnp.stack([y, ydot, jnp.ones_like(th) * self.w])


class StickSlipOscillator(AbstractSystem):
    """A forced oscillator on a moving belt with Coulomb-like friction:
    ẋ = v,  v̇ = ε(γ cos θ − T(v)) + ax − bx³,  θ̇ = w,
    T(v) = t₀ sign(v − v_s) − αv + β(v − v_s)³."""

    a: Scalar = parameter(1.0)
    alpha: Scalar = parameter(0.3)
    b: Scalar = parameter(1.0)
    beta: Scalar = parameter(0.3)
    eps: Scalar = parameter(0.05)
    gamma: Scalar = parameter(1.0)
    t0: Scalar = parameter(0.3)
    vs: Scalar = parameter(0.4)
    w: Scalar = parameter(2.0)

    def rhs(self, t, state):
        x, v, th = state
        slip = v - self.vs
        torque = self.t0 * jnp.sign(slip) - self.alpha * v + self.beta * slip**3
        vdot = self.eps * (self.gamma * jnp.cos(th) - torque) + self.a * x - self.b * x**3
        return jnp.stack([v, vdot, jnp.ones_like(th) * self.w])


class FluidTrampoline(AbstractSystem):
    """A droplet bouncing on a vibrated fluid bath: ẋ = y,
    ẏ = −1 − H(−x)(x + ψy|y|) + γ cos θ,  θ̇ = w, with H the Heaviside step."""

    gamma: Scalar = parameter(1.82)
    psi: Scalar = parameter(0.01019)
    w: Scalar = parameter(1.21)

    def rhs(self, t, state):
        x, y, th = state
        contact = jnp.where(x < 0, x + self.psi * y * jnp.abs(y), 0.0)
        return jnp.stack([y, -1 - contact + self.gamma * jnp.cos(th), jnp.ones_like(th) * self.w])


class Torus(AbstractSystem):
    """A curve winding n times around a torus (non-autonomous: the time t is explicit):
    ẋ = −an sin(nt) cos t − (r + a cos nt) sin t,
    ẏ = −an sin(nt) sin t + (r + a cos nt) cos t,  ż = an cos(nt)."""

    a: Scalar = parameter(0.5)
    n: Scalar = parameter(15.3)
    r: Scalar = parameter(1.0)

    def rhs(self, t, state):
        a, n, r = self.a, self.n, self.r
        t = jnp.asarray(t, state.dtype)
        radial, tube = -a * n * jnp.sin(n * t), r + a * jnp.cos(n * t)
        return jnp.stack(
            [
                radial * jnp.cos(t) - tube * jnp.sin(t),
                radial * jnp.sin(t) + tube * jnp.cos(t),
                a * n * jnp.cos(n * t),
            ]
        )
