"""Scalar and reaction–diffusion semilinear PDEs on periodic grids.

Every nonlinear term is evaluated pseudo-spectrally: the (2/3-rule dealiased) state is
transformed to physical space, combined pointwise, transformed back and truncated to the
dealiased modes, so quadratic terms are alias-free and the Hamiltonian structure of NLSE is
kept (its mass is conserved exactly by the semi-discretisation).
"""

from typing import ClassVar

import jax.numpy as jnp
from jaxtyping import Array, Complex, Float

from .._grid import FourierGrid
from ._pde import AbstractSemilinearPDE, parameter


def _physical(pde: AbstractSemilinearPDE, u_hat, grid):
    # The state already lies in the dealiased subspace (see AbstractSemilinearPDE).
    return pde.to_physical(u_hat, grid)


def _spectral(pde: AbstractSemilinearPDE, n, grid):
    return pde.dealias(pde.to_spectral(n, grid), grid)


def _convection(pde: AbstractSemilinearPDE, u_hat, grid, coefficient):
    """−(c/2) ∂ₓ(u²) = −c u uₓ in conservative form."""
    u = _physical(pde, u_hat, grid)
    return -0.5 * coefficient * pde.derivative(_spectral(pde, u * u, grid), grid)


class NLSE(AbstractSemilinearPDE):
    """Nonlinear Schrödinger equation  i ψ_t + a ∇²ψ + b |ψ|²ψ = 0  (any dimension).

    L = −i a |k|²,  N(ψ) = i b |ψ|²ψ.  a b > 0 is focusing (bright solitons), a b < 0
    defocusing. Defaults a = ½, b = 1 (Zakharov & Shabat, Sov. Phys. JETP 34, 1972).
    """

    a: Float[Array, ""] = parameter(0.5)
    b: Float[Array, ""] = parameter(1.0)
    complex_state: ClassVar[bool] = True

    def linear(self, grid: FourierGrid):
        return -1j * self.a * grid.wavenumber_norm_squared(real=False)

    def nonlinear(self, u_hat, grid):
        psi = _physical(self, u_hat, grid)
        return _spectral(self, 1j * self.b * (psi * jnp.conj(psi)) * psi, grid)


class KdV(AbstractSemilinearPDE):
    """Korteweg–de Vries equation  u_t + α u u_x + β u_xxx = 0  (1D).

    L = iβk³, N = −(α/2)(u²)_x. With α = 6, β = 1 the soliton is
    u = (c/2) sech²(√c (x − ct)/2) (Korteweg & de Vries, Phil. Mag. 39, 1895).
    """

    alpha: Float[Array, ""] = parameter(6.0)
    beta: Float[Array, ""] = parameter(1.0)

    def linear(self, grid):
        self.check_grid(grid, (1,))
        return -self.beta * grid.derivative_symbol(real=True, order=3)

    def nonlinear(self, u_hat, grid):
        return _convection(self, u_hat, grid, self.alpha)


class KuramotoSivashinsky(AbstractSemilinearPDE):
    """Kuramoto–Sivashinsky equation  u_t = −c u u_x − d u_xx − h u_xxxx  (1D).

    L = d k² − h k⁴, N = −(c/2)(u²)_x. Defaults c = d = h = 1; chaotic for domain lengths
    L ≳ 22 (Kassam & Trefethen 2005 use L = 32π; Edson et al., Chaos 29, 2019).
    """

    convection: Float[Array, ""] = parameter(1.0)
    diffusion: Float[Array, ""] = parameter(1.0)
    hyperdiffusion: Float[Array, ""] = parameter(1.0)

    def linear(self, grid):
        self.check_grid(grid, (1,))
        k2 = grid.wavenumber_norm_squared(real=True)
        return self.diffusion * k2 - self.hyperdiffusion * k2**2

    def nonlinear(self, u_hat, grid):
        return _convection(self, u_hat, grid, self.convection)


class Burgers(AbstractSemilinearPDE):
    """Viscous Burgers equation  u_t + c u u_x = ν u_xx  (1D).  L = −ν k², N = −(c/2)(u²)_x."""

    viscosity: Float[Array, ""] = parameter(0.05)
    convection: Float[Array, ""] = parameter(1.0)

    def linear(self, grid):
        self.check_grid(grid, (1,))
        return -self.viscosity * grid.wavenumber_norm_squared(real=True)

    def nonlinear(self, u_hat, grid):
        return _convection(self, u_hat, grid, self.convection)


class AdvectionDiffusion(AbstractSemilinearPDE):
    """Linear advection–diffusion  u_t + c·∇u = D ∇²u  (any dimension), exactly solvable:
    each Fourier mode evolves as exp((−i c·k − D|k|²) t).  N = 0.

    `velocity` is a scalar (the same on every axis) or one value per axis.
    """

    velocity: Float[Array, "..."] = parameter(1.0)
    diffusivity: Float[Array, ""] = parameter(0.0)
    dealiased: ClassVar[bool] = False  # linear: every mode is exact

    def linear(self, grid):
        ks = grid.wavenumbers(real=True)
        velocity = jnp.broadcast_to(self.velocity, (grid.ndim,))
        advection = sum(velocity[i] * k for i, k in enumerate(ks))
        return -1j * advection - self.diffusivity * grid.wavenumber_norm_squared(real=True)

    def nonlinear(self, u_hat, grid):
        return jnp.zeros_like(u_hat)


class AllenCahn(AbstractSemilinearPDE):
    """Allen–Cahn equation  u_t = D ∇²u + r (u − u³)  (any dimension).

    L = r − D|k|², N = −r u³ (Allen & Cahn, Acta Metall. 27, 1979).
    """

    diffusivity: Float[Array, ""] = parameter(1e-2)
    reaction: Float[Array, ""] = parameter(1.0)

    def linear(self, grid):
        return self.reaction - self.diffusivity * grid.wavenumber_norm_squared(real=True)

    def nonlinear(self, u_hat, grid):
        u = _physical(self, u_hat, grid)
        return _spectral(self, -self.reaction * u**3, grid)


class SwiftHohenberg(AbstractSemilinearPDE):
    """Swift–Hohenberg equation  u_t = r u − (q_c² + ∇²)² u + g u² − u³  (any dimension).

    L = r − (q_c² − |k|²)², N = g u² − u³. Rolls (1D/2D) of wavenumber ≈ q_c for small r > 0
    (Swift & Hohenberg, Phys. Rev. A 15, 1977).
    """

    r: Float[Array, ""] = parameter(0.2)
    g: Float[Array, ""] = parameter(0.0)
    critical_wavenumber: Float[Array, ""] = parameter(1.0)

    def linear(self, grid):
        k2 = grid.wavenumber_norm_squared(real=True)
        return self.r - (self.critical_wavenumber**2 - k2) ** 2

    def nonlinear(self, u_hat, grid):
        u = _physical(self, u_hat, grid)
        return _spectral(self, self.g * u**2 - u**3, grid)


class GrayScott(AbstractSemilinearPDE):
    """Gray–Scott reaction–diffusion for two fields (u, v)  (any dimension):

        u_t = D_u ∇²u − u v² + F (1 − u),   v_t = D_v ∇²v + u v² − (F + κ) v.

    L = diag(−D_u|k|² − F, −D_v|k|² − F − κ), N = (F − u v², u v²). State shape
    `(2, *grid)`. Defaults are Pearson's (Science 261, 1993): D_u = 2·10⁻⁵, D_v = 10⁻⁵ on a
    domain of side 2.5.
    """

    feed: Float[Array, ""] = parameter(0.04)
    kill: Float[Array, ""] = parameter(0.06)
    diffusivity_u: Float[Array, ""] = parameter(2e-5)
    diffusivity_v: Float[Array, ""] = parameter(1e-5)
    n_fields: ClassVar[int] = 2

    def linear(self, grid):
        k2 = grid.wavenumber_norm_squared(real=True)
        return jnp.stack(
            [
                -self.diffusivity_u * k2 - self.feed,
                -self.diffusivity_v * k2 - (self.feed + self.kill),
            ]
        )

    def nonlinear(self, u_hat: Complex[Array, "*state"], grid):
        u, v = _physical(self, u_hat, grid)
        uv2 = u * v * v
        return _spectral(self, jnp.stack([self.feed - uv2, uv2]), grid)
