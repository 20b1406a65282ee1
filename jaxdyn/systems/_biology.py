"""Chaotic models from biology — cell biochemistry, neurons and neural networks, ecology,
epidemics and tumours — with the names, equations and defaults of the dysts database.
Sources: `Class.info().citation`."""

import math

import jax
import jax.numpy as jnp
from jaxtyping import Array, Float

from .._parameters import parameter
from ._system import AbstractSystem

Scalar = Float[Array, ""]
Vector = Float[Array, " n"]
Matrix = Float[Array, "n m"]


def _hill(x, k, n):
    """The Hill function xⁿ/(kⁿ + xⁿ)."""
    return x**n / (k**n + x**n)


class GlycolyticOscillation(AbstractSystem):
    """Allosteric model of glycolysis with two enzymes (Decroly & Goldbeter, PNAS 79, 1982):
    α̇ = ν − s₁φ,  β̇ = q₁s₁φ − s₂η,  γ̇ = q₂s₂η − kγ, with the rate laws
    φ = α(1+α)(1+β)²/(L₁ + (1+α)²(1+β)²),  η = β(1+dβ)(1+γ)²/(L₂ + (1+dβ)²(1+γ)²)."""

    d: Scalar = parameter(0.0)
    k: Scalar = parameter(4.422)
    l1: Scalar = parameter(500000000.0)
    l2: Scalar = parameter(100.0)
    nu: Scalar = parameter(1.0)
    q1: Scalar = parameter(50.0)
    q2: Scalar = parameter(0.02)
    s1: Scalar = parameter(22.2222)
    s2: Scalar = parameter(22.2222)

    def rhs(self, t, state):
        a, b, c = state
        phi = a * (1 + a) * (1 + b) ** 2 / (self.l1 + (1 + a) ** 2 * (1 + b) ** 2)
        inhibited = 1 + self.d * b
        eta = b * inhibited * (1 + c) ** 2 / (self.l2 + inhibited**2 * (1 + c) ** 2)
        return jnp.stack(
            [
                self.nu - self.s1 * phi,
                self.q1 * self.s1 * phi - self.s2 * eta,
                self.q2 * self.s2 * eta - self.k * c,
            ]
        )


def _calcium(p, state):
    z, y, a = state
    influx = p.V0 + p.V1 * p.beta
    v2 = p.Vm2 * z**2 / (p.K2**2 + z**2)
    v3 = p.Vm3 * _hill(z, p.Kz, p.m) * y**2 / (p.Ky**2 + y**2) * a**4 / (p.Ka**4 + a**4)
    v5 = p.Vm5 * _hill(a, p.K5, p.p) * _hill(z, p.Kd, p.n)
    return jnp.stack(
        [
            influx - v2 + v3 + p.kf * y - p.k * z,
            v2 - v3 - p.kf * y,
            p.beta * p.V4 - v5 - p.eps * a,
        ]
    )


class CaTwoPlus(AbstractSystem):
    """Intracellular calcium oscillations: cytosolic Ca²⁺ z, stored Ca²⁺ y, IP₃ a (Houart,
    Dupont & Goldbeter, Bull. Math. Biol. 61, 1999):
    ż = V₀ + V₁β − V₂ + V₃ + k_f y − kz,  ẏ = V₂ − V₃ − k_f y,  ȧ = βV₄ − V₅ − εa,
    with Hill-type pump, release and degradation rates V₂, V₃, V₅."""

    K2: Scalar = parameter(0.1)
    K5: Scalar = parameter(0.3194)
    Ka: Scalar = parameter(0.1)
    Kd: Scalar = parameter(1.0)
    Ky: Scalar = parameter(0.3)
    Kz: Scalar = parameter(0.6)
    V0: Scalar = parameter(2.0)
    V1: Scalar = parameter(2.0)
    V4: Scalar = parameter(3.0)
    Vm2: Scalar = parameter(6.0)
    Vm3: Scalar = parameter(30.0)
    Vm5: Scalar = parameter(50.0)
    beta: Scalar = parameter(0.65)
    eps: Scalar = parameter(13.0)
    k: Scalar = parameter(10.0)
    kf: Scalar = parameter(1.0)
    m: Scalar = parameter(2.0)
    n: Scalar = parameter(4.0)
    p: Scalar = parameter(1.0)

    def rhs(self, t, state):
        return _calcium(self, state)


class CaTwoPlusQuasiperiodic(AbstractSystem):
    """CaTwoPlus's equations with parameters that give quasiperiodic oscillations."""

    K2: Scalar = parameter(0.1)
    K5: Scalar = parameter(0.3)
    Ka: Scalar = parameter(0.2)
    Kd: Scalar = parameter(0.5)
    Ky: Scalar = parameter(0.2)
    Kz: Scalar = parameter(0.5)
    V0: Scalar = parameter(2.0)
    V1: Scalar = parameter(2.0)
    V4: Scalar = parameter(5.0)
    Vm2: Scalar = parameter(6.0)
    Vm3: Scalar = parameter(20.0)
    Vm5: Scalar = parameter(30.0)
    beta: Scalar = parameter(0.51)
    eps: Scalar = parameter(0.1)
    k: Scalar = parameter(10.0)
    kf: Scalar = parameter(1.0)
    m: Scalar = parameter(2.0)
    n: Scalar = parameter(4.0)
    p: Scalar = parameter(2.0)

    def rhs(self, t, state):
        return _calcium(self, state)


class CellCycle(AbstractSystem):
    """Two coupled mitotic oscillators (cyclin c, cdc2 kinase m, protease x, each twice;
    Romond et al., Ann. N.Y. Acad. Sci. 879, 1999), with Goldbeter–Koshland switches
    ṁ = V₁(1 − m)/(K + 1 − m) − V₂m/(K + m), V₁ = V_m1 c/(K_c + c), and
    ċ = vᵢK_im/(K_im + m') − v_d x c/(K_d1 + c) − k_d1 c, m' the other oscillator's kinase."""

    K: Scalar = parameter(0.01)
    Kc: Scalar = parameter(0.5)
    Kd1: Scalar = parameter(0.02)
    Kim: Scalar = parameter(0.65)
    V2: Scalar = parameter(0.15)
    V4: Scalar = parameter(0.05)
    Vm1: Scalar = parameter(0.3)
    Vm3: Scalar = parameter(0.1)
    kd1: Scalar = parameter(0.001)
    vd: Scalar = parameter(0.025)
    vi: Scalar = parameter(0.05)

    def rhs(self, t, state):
        c1, m1, x1, c2, m2, x2 = state
        K = self.K

        def switch(up, m, down):
            return up * (1 - m) / (K + (1 - m)) - down * m / (K + m)

        def cyclin(c, x, m_other):
            inhibited = self.vi * self.Kim / (self.Kim + m_other)
            return inhibited - self.vd * x * c / (self.Kd1 + c) - self.kd1 * c

        def oscillator(c, m, x, m_other):
            kinase = switch(self.Vm1 * c / (self.Kc + c), m, self.V2)
            return cyclin(c, x, m_other), kinase, switch(m * self.Vm3, x, self.V4)

        return jnp.stack([*oscillator(c1, m1, x1, m2), *oscillator(c2, m2, x2, m1)])


class CircadianRhythm(AbstractSystem):
    """Drosophila circadian clock (per mRNA m; PER protein, cytosolic fc, degraded fs,
    nuclear fn) entrained by light of phase θ (Leloup & Goldbeter, J. Theor. Biol. 198,
    1999): ṁ = v_s Kᵢⁿ/(Kᵢⁿ + fnⁿ) − v_m m/(k_m + m),  v_s = v_c(½ + ½cos θ + v_min)(v_max − v_min),
    ḟc = k_s m − (k₁ + k)fc + k₂fn,  ḟs = k fc − v_d fs/(k_d + fs),
    ḟn = k₁fc − k₂fn − v_dn fn/(k_dn + fn),  θ̇ = 2π/p_s."""

    Ki: Scalar = parameter(1.0)
    k: Scalar = parameter(0.5)
    k1: Scalar = parameter(0.3)
    k2: Scalar = parameter(0.15)
    kd: Scalar = parameter(1.4)
    kdn: Scalar = parameter(0.4)
    km: Scalar = parameter(0.4)
    ks: Scalar = parameter(1.0)
    n: Scalar = parameter(4.0)
    ps: Scalar = parameter(24.0)
    vc: Scalar = parameter(2.5)
    vd: Scalar = parameter(6.0)
    vdn: Scalar = parameter(1.5)
    vm: Scalar = parameter(0.7)
    vmax: Scalar = parameter(4.7)
    vmin: Scalar = parameter(1.0)

    def rhs(self, t, state):
        m, fc, fs, fn, th = state
        vs = self.vc * ((0.5 + 0.5 * jnp.cos(th)) + self.vmin) * (self.vmax - self.vmin)
        repression = self.Ki**self.n / (self.Ki**self.n + fn**self.n)
        return jnp.stack(
            [
                vs * repression - self.vm * m / (self.km + m),
                self.ks * m - self.k1 * fc + self.k2 * fn - self.k * fc,
                self.k * fc - self.vd * fs / (self.kd + fs),
                self.k1 * fc - self.k2 * fn - self.vdn * fn / (self.kdn + fn),
                jnp.ones_like(th) * (2 * math.pi / self.ps),
            ]
        )


class ExcitableCell(AbstractSystem):
    """Bursting pancreatic β-cell (voltage v, K⁺ gate n, Ca²⁺ c; Chay, Physica D 16, 1985):
    v̇ = g_I m∞³h∞(v_I − v) + g_KV n⁴(v_K − v) + g_KC c/(1 + c)(v_K − v) + g_L(v_L − v),
    ṅ = (n∞ − n)/τ_n,  ċ = ρ(m∞³h∞(v_C − v) − k_C c), with Hodgkin–Huxley rate functions."""

    aho: Scalar = parameter(2.5)
    ahr: Scalar = parameter(0.05)
    ahs: Scalar = parameter(0.07)
    ams: Scalar = parameter(0.1)
    amvb: Scalar = parameter(25.0)
    amvo: Scalar = parameter(2.5)
    ans: Scalar = parameter(0.01)
    anvb: Scalar = parameter(20.0)
    anvo: Scalar = parameter(2.0)
    ar: Scalar = parameter(0.1)
    bho: Scalar = parameter(2.0)
    bhr: Scalar = parameter(0.1)
    bmo: Scalar = parameter(2.7777777777777777)
    bmr: Scalar = parameter(0.05555555555555555)
    bms: Scalar = parameter(4.0)
    bno: Scalar = parameter(0.375)
    bnr: Scalar = parameter(0.0125)
    bns: Scalar = parameter(0.125)
    gi: Scalar = parameter(1800.0)
    gkc: Scalar = parameter(11.0)
    gkv: Scalar = parameter(1700.0)
    gl: Scalar = parameter(7.0)
    kc: Scalar = parameter(0.183333)
    rho: Scalar = parameter(0.27)
    tscl: Scalar = parameter(230.0)
    vc: Scalar = parameter(100.0)
    vi: Scalar = parameter(100.0)
    vk: Scalar = parameter(-75.0)
    vl: Scalar = parameter(-40.0)
    vm: Scalar = parameter(-50.0)  # unused by the equations; kept as in dysts
    vn: Scalar = parameter(-30.0)  # unused by the equations; kept as in dysts

    def rhs(self, t, state):
        v, n, c = state
        alpha_m = self.ams * (self.amvb + v) / (1 - jnp.exp(-self.ar * v - self.amvo))
        beta_m = self.bms * jnp.exp(-self.bmr * v - self.bmo)
        alpha_h = self.ahs * jnp.exp(-self.ahr * v - self.aho)
        beta_h = 1 / (1 + jnp.exp(-self.bhr * v - self.bho))
        alpha_n = self.ans * (self.anvb + v) / (1 - jnp.exp(-self.ar * v - self.anvo))
        beta_n = self.bns * jnp.exp(-self.bnr * v - self.bno)
        m_inf = alpha_m / (alpha_m + beta_m)
        h_inf = alpha_h / (alpha_h + beta_h)
        n_inf = alpha_n / (alpha_n + beta_n)
        tau_n = 1 / (self.tscl * (alpha_n + beta_n))
        fast = m_inf**3 * h_inf
        vdot = (
            self.gi * fast * (self.vi - v)
            + self.gkv * n**4 * (self.vk - v)
            + self.gkc * c / (1 + c) * (self.vk - v)
            + self.gl * (self.vl - v)
        )
        cdot = self.rho * (fast * (self.vc - v) - self.kc * c)
        return jnp.stack([vdot, (n_inf - n) / tau_n, cdot])


class ForcedFitzHughNagumo(AbstractSystem):
    """Periodically forced FitzHugh–Nagumo neuron: v̇ = v − v³/3 − w + I + f sin θ,
    ẇ = γ(v + a − bw),  θ̇ = ω."""

    a: Scalar = parameter(0.7)
    b: Scalar = parameter(0.8)
    curr: Scalar = parameter(0.965)
    f: Scalar = parameter(0.4008225)
    gamma: Scalar = parameter(0.08)
    omega: Scalar = parameter(0.043650793650793655)

    def rhs(self, t, state):
        v, w, th = state
        return jnp.stack(
            [
                v - v**3 / 3 - w + self.curr + self.f * jnp.sin(th),
                self.gamma * (v + self.a - self.b * w),
                jnp.ones_like(th) * self.omega,
            ]
        )


class Hopfield(AbstractSystem):
    """Continuous Hopfield network of six neurons (Lewis & Glass, Neural Comput. 4, 1992):
    ẋ = −x/τ + ½(1 + tanh(εKx)) − β."""

    beta: Scalar = parameter(0.5)
    eps: Scalar = parameter(10.0)
    k: Matrix = parameter(
        (
            (0.0, -1.0, 0.0, 0.0, -1.0, -1.0),
            (0.0, 0.0, 0.0, -1.0, -1.0, -1.0),
            (-1.0, -1.0, 0.0, 0.0, -1.0, 0.0),
            (-1.0, -1.0, -1.0, 0.0, 0.0, 0.0),
            (-1.0, -1.0, 0.0, -1.0, 0.0, 0.0),
            (0.0, -1.0, -1.0, -1.0, 0.0, 0.0),
        )
    )
    tau: Scalar = parameter(2.5)

    def rhs(self, t, state):
        return -state / self.tau + (1 + jnp.tanh(self.eps * (self.k @ state))) / 2 - self.beta


class BeerRNN(AbstractSystem):
    """Continuous-time recurrent neural network of three neurons (Beer, Adapt. Behav. 3,
    1995): τẋ = −x + W σ(x + θ), σ the logistic sigmoid."""

    tau: Vector = parameter((1.0, 2.5, 1.0))
    theta: Vector = parameter((-4.108, -2.787, -1.114))
    w: Matrix = parameter(((5.422, -0.018, 2.75), (-0.24, 4.59, 1.21), (0.535, -2.25, 3.885)))

    def rhs(self, t, state):
        return (-state + self.w @ jax.nn.sigmoid(state + self.theta)) / self.tau


class HastingsPowell(AbstractSystem):
    """Three-species food chain with Holling type II responses (Hastings & Powell, Ecology
    72, 1991): ẋ = x(1 − x) − f₁(x)y,  ẏ = f₁(x)y − f₂(y)z − d₁y,  ż = f₂(y)z − d₂z,
    fᵢ(u) = aᵢu/(1 + bᵢu)."""

    a1: Scalar = parameter(5.0)
    a2: Scalar = parameter(0.1)
    b1: Scalar = parameter(3.0)
    b2: Scalar = parameter(2.0)
    d1: Scalar = parameter(0.4)
    d2: Scalar = parameter(0.01)

    def rhs(self, t, state):
        x, y, z = state
        eaten = y * self.a1 * x / (1 + self.b1 * x)
        hunted = z * self.a2 * y / (1 + self.b2 * y)
        return jnp.stack([x * (1 - x) - eaten, eaten - hunted - self.d1 * y, hunted - self.d2 * z])


class Blasius(AbstractSystem):
    """Plant–herbivore–predator chain with a predator floor z_s (Blasius, Huppert &
    Stone, Nature 399, 1999): ẋ = ax − α₁xy/(1 + k₁x),
    ẏ = −by + α₁xy/(1 + k₁x) − α₂yz/(1 + k₂y),  ż = −c(z − z_s) + α₂yz/(1 + k₂y)."""

    a: Scalar = parameter(1.0)
    alpha1: Scalar = parameter(0.2)
    alpha2: Scalar = parameter(1.0)
    b: Scalar = parameter(1.0)
    c: Scalar = parameter(10.0)
    k1: Scalar = parameter(0.05)
    k2: Scalar = parameter(0.0)
    zs: Scalar = parameter(0.006)

    def rhs(self, t, state):
        x, y, z = state
        grazing = self.alpha1 * x * y / (1 + self.k1 * x)
        predation = self.alpha2 * y * z / (1 + self.k2 * y)
        return jnp.stack(
            [
                self.a * x - grazing,
                -self.b * y + grazing - predation,
                -self.c * (z - self.zs) + predation,
            ]
        )


class SaltonSea(AbstractSystem):
    """Tilapia x, infected tilapia y and pelicans z at the Salton Sea (Chattopadhyay &
    Bairagi, Ecol. Model. 136, 2001): ẋ = rx(1 − (x + y)/k) − λxy,
    ẏ = λxy − myz/(y + a) − μy,  ż = θyz/(y + a) − dz."""

    a: Scalar = parameter(15.0)
    d: Scalar = parameter(8.3)
    k: Scalar = parameter(400.0)
    lam: Scalar = parameter(0.06)
    m: Scalar = parameter(15.5)
    mu: Scalar = parameter(3.4)
    r: Scalar = parameter(22.0)
    th: Scalar = parameter(10.0)

    def rhs(self, t, state):
        x, y, z = state
        infection = self.lam * x * y
        saturation = y * z / (y + self.a)
        return jnp.stack(
            [
                self.r * x * (1 - (x + y) / self.k) - infection,
                infection - self.m * saturation - self.mu * y,
                self.th * saturation - self.d * z,
            ]
        )


class TurchinHanski(AbstractSystem):
    """Seasonally forced vole (n) – weasel (p) dynamics (Turchin & Hanski, Am. Nat. 149,
    1997): ṅ = r(1 − e sin θ)n − rn² − gn²/(n² + h²) − anp/(n + d),
    ṗ = s(1 − e sin θ)p − sp²/n,  θ̇ = 2πλ."""

    a: Scalar = parameter(8.0)
    d: Scalar = parameter(0.04)
    e: Scalar = parameter(0.5)
    g: Scalar = parameter(0.1)
    h: Scalar = parameter(0.8)
    lamb: Scalar = parameter(1.0)
    r: Scalar = parameter(8.12)
    s: Scalar = parameter(1.25)

    def rhs(self, t, state):
        n, p, th = state
        season = 1 - self.e * jnp.sin(th)
        ndot = (
            self.r * season * n
            - self.r * n**2
            - self.g * n**2 / (n**2 + self.h**2)
            - self.a * n * p / (n + self.d)
        )
        pdot = self.s * season * p - self.s * p**2 / n
        return jnp.stack([ndot, pdot, jnp.ones_like(th) * (2 * math.pi * self.lamb)])


class ItikBanksTumor(AbstractSystem):
    """Tumour cells x, healthy cells y and effector immune cells z (Itik & Banks, Int. J.
    Bifurc. Chaos 20, 2010): ẋ = x(1 − x) − a₁₂xy − a₁₃xz,  ẏ = r₂y(1 − y) − a₂₁xy,
    ż = r₃xz/(x + k₃) − a₃₁xz − d₃z."""

    a12: Scalar = parameter(1.0)
    a13: Scalar = parameter(2.5)
    a21: Scalar = parameter(1.5)
    a31: Scalar = parameter(0.2)
    d3: Scalar = parameter(0.5)
    k3: Scalar = parameter(1.0)
    r2: Scalar = parameter(0.6)
    r3: Scalar = parameter(4.5)

    def rhs(self, t, state):
        x, y, z = state
        return jnp.stack(
            [
                x * (1 - x) - self.a12 * x * y - self.a13 * x * z,
                self.r2 * y * (1 - y) - self.a21 * x * y,
                self.r3 * x * z / (x + self.k3) - self.a31 * x * z - self.d3 * z,
            ]
        )


class CoevolvingPredatorPrey(AbstractSystem):
    """Predator–prey dynamics with an evolving prey trait α (Gilpin & Feldman, PLoS Comput.
    Biol. 13, 2017); equations as in dysts."""

    a1: Scalar = parameter(2.5)
    a2: Scalar = parameter(0.05)
    a3: Scalar = parameter(0.4)
    b1: Scalar = parameter(6.0)
    b2: Scalar = parameter(1.333)
    d1: Scalar = parameter(0.16)
    d2: Scalar = parameter(0.004)
    delta: Scalar = parameter(1.0)
    k1: Scalar = parameter(6.0)
    k2: Scalar = parameter(9.0)
    k4: Scalar = parameter(9.0)
    vv: Scalar = parameter(0.33333)

    def rhs(self, t, state):
        x, y, alpha = state
        a1, b1, d1, k1, k2, k4, delta = (
            self.a1, self.b1, self.d1, self.k1, self.k2, self.k4, self.delta,
        )  # fmt: skip
        attack = a1 * alpha / (1 + b1 * alpha)
        handling = x / (1 + self.b2 * x)
        cost = (
            1
            - k2 * (-(alpha**2) + (alpha * delta) ** 2)
            + k4 * (-(alpha**4) + (alpha * delta) ** 4)
        )
        xdot = x * (
            -self.a3 * y / (1 + self.b2 * x)
            + attack * (1 - k1 * x * alpha * (delta - 1))
            - d1 * cost
        )
        ydot = (-self.d2 + self.a2 * handling) * y
        trait = -attack * k1 * x * delta - d1 * (
            -2 * k2 * alpha * delta**2 + 4 * k4 * alpha**3 * delta**4
        )
        return jnp.stack([xdot, ydot, self.vv * trait])


class MacArthur(AbstractSystem):
    """Five species competing for five resources (Huisman & Weissing, Nature 402, 1999):
    Ṅᵢ = Nᵢ(μᵢ(R) − m),  Ṙⱼ = d(Sⱼ − Rⱼ) − Σᵢ cⱼᵢ μᵢ(R) Nᵢ, with Liebig's law of the minimum
    μᵢ(R) = minⱼ rRⱼ/(Kⱼᵢ + Rⱼ); state (N₁…N₅, R₁…R₅)."""

    c: Matrix = parameter(
        (
            (0.04, 0.04, 0.07, 0.04, 0.04),
            (0.08, 0.08, 0.08, 0.1, 0.08),
            (0.1, 0.1, 0.1, 0.1, 0.14),
            (0.05, 0.03, 0.03, 0.03, 0.03),
            (0.07, 0.09, 0.07, 0.07, 0.07),
        )
    )
    d: Scalar = parameter(0.25)
    k: Matrix = parameter(
        (
            (0.39, 0.34, 0.3, 0.24, 0.23),
            (0.22, 0.39, 0.34, 0.3, 0.27),
            (0.27, 0.22, 0.39, 0.34, 0.3),
            (0.3, 0.24, 0.22, 0.39, 0.34),
            (0.34, 0.3, 0.22, 0.2, 0.39),
        )
    )
    m: Scalar = parameter(0.25)
    r: Scalar = parameter(1.0)
    s: Vector = parameter((6.0, 10.0, 14.0, 4.0, 9.0))

    def rhs(self, t, state):
        species, resources = jnp.split(state, 2)
        growth = jnp.min(self.r * resources[:, None] / (self.k + resources[:, None]), axis=0)
        return jnp.concatenate(
            [
                species * (growth - self.m),
                self.d * (self.s - resources) - self.c @ (growth * species),
            ]
        )
