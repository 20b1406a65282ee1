"""Two-dimensional incompressible flows in vorticity / potential-vorticity form."""

from typing import ClassVar

import equinox as eqx
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Complex, Float

from .._grid import FourierGrid
from ._equations import _physical, _spectral
from ._pde import AbstractSemilinearPDE, parameter


def _inverse_laplacian(grid: FourierGrid, dtype) -> Float[Array, "..."]:
    """1/|k|² with the mean mode set to zero."""
    k2 = grid.wavenumber_norm_squared(real=True, dtype=dtype)
    return jnp.where(k2 == 0, 0, 1 / jnp.where(k2 == 0, 1, k2))


def _advection(pde: AbstractSemilinearPDE, psi_hat, q_hat, grid):
    """Dealiased J(ψ, q) = ψ_x q_y − ψ_y q_x = u·∇q for u = (−ψ_y, ψ_x), for fields stacked on
    any leading axes. (Four separate inverse transforms: measured faster on CPU than one
    batched transform of the stacked derivatives, which costs a copy.)"""
    d = lambda f, axis: _physical(pde, pde.derivative(f, grid, axis), grid)
    return _spectral(pde, d(psi_hat, 0) * d(q_hat, 1) - d(psi_hat, 1) * d(q_hat, 0), grid)


class NavierStokes2D(AbstractSemilinearPDE):
    """Incompressible 2D Navier–Stokes in vorticity form (periodic):

        ω_t + u·∇ω = ν ∇²ω − μ ω + f,   u = (∂_y ψ, −∂_x ψ),  ∇²ψ = −ω.

    L = −ν|k|² − μ, N = −u·∇ω + f. The optional Kolmogorov forcing is the curl of the body
    force A sin(k_f y) x̂: f = −A k_f cos(k_f y), with k_f = 2π m / L_y for the integer mode m
    = `forcing_mode` (Chandler & Kerswell, J. Fluid Mech. 722, 2013 use m = 4, μ = 0).

    The state is the vorticity ω on a 2D grid (axis 0 is x, axis 1 is y).
    """

    viscosity: Float[Array, ""] = parameter(1e-3)
    drag: Float[Array, ""] = parameter(0.0)
    forcing_amplitude: Float[Array, ""] = parameter(0.0)
    forcing_mode: int = eqx.field(default=4, static=True)

    def linear(self, grid):
        self.check_grid(grid, (2,))
        return -self.viscosity * grid.wavenumber_norm_squared(real=True) - self.drag

    def stream_function_hat(self, omega_hat, grid):
        return omega_hat * _inverse_laplacian(grid, jnp.finfo(omega_hat.dtype).dtype)

    def nonlinear(self, u_hat: Complex[Array, "*modes"], grid):
        # Basdevant's form of the advection (J. Comput. Phys. 50, 1983), exact for
        # divergence-free u:  u·∇ω = (∂ₓₓ − ∂ᵧᵧ)(uv) + ∂ₓᵧ(v² − u²).  Two inverse and two
        # forward transforms per evaluation instead of the 4 + 1 of u ω_x + v ω_y.
        psi_hat = self.stream_function_hat(u_hat, grid)
        d = lambda f, axis, order=1: self.derivative(f, grid, axis, order)
        u = _physical(self, d(psi_hat, 1), grid)
        v = _physical(self, -d(psi_hat, 0), grid)
        uv_hat = _spectral(self, u * v, grid)
        v2_u2_hat = _spectral(self, v * v - u * u, grid)
        advection = d(uv_hat, 0, 2) - d(uv_hat, 1, 2) + d(d(v2_u2_hat, 0), 1)
        return -advection + self._forcing_hat(grid, u_hat.dtype)

    def _forcing_hat(self, grid, dtype):
        # The forcing's shape is a trace-time constant; only its amplitude is traced.
        k_f = 2 * np.pi * self.forcing_mode / grid.length[1]
        y = np.arange(grid.shape[1]) * grid.spacing[1]
        shape_hat = grid.to_layout(np.fft.rfftn(np.broadcast_to(np.cos(k_f * y), grid.shape)), True)
        return (-self.forcing_amplitude * k_f * jnp.asarray(shape_hat, dtype)).astype(dtype)

    def velocity(self, omega: Float[Array, "*batch nx ny"], grid) -> tuple[Array, Array]:
        """(u, v) from the vorticity: u = ∂_y ψ, v = −∂_x ψ."""
        psi_hat = self.stream_function_hat(self.to_spectral(omega, grid), grid)
        u = self.to_physical(self.derivative(psi_hat, grid, axis=1), grid)
        v = -self.to_physical(self.derivative(psi_hat, grid, axis=0), grid)
        return u, v


class QGTwoLayer(AbstractSemilinearPDE):
    """Two-layer quasi-geostrophic flow on a β-plane (Phillips model), potential-vorticity form:

        q₁ = ∇²ψ₁ + F₁(ψ₂ − ψ₁),   q₂ = ∇²ψ₂ + F₂(ψ₁ − ψ₂),
        ∂_t q₁ + J(ψ₁, q₁) + U₁ ∂_x q₁ + (β + F₁(U₁ − U₂)) ∂_x ψ₁ = −ν_h ∇⁸ q₁,
        ∂_t q₂ + J(ψ₂, q₂) + U₂ ∂_x q₂ + (β − F₂(U₁ − U₂)) ∂_x ψ₂ = −r ∇²ψ₂ − ν_h ∇⁸ q₂,

    with U₁ = −U₂ = `shear`/2 (no barotropic mean flow), F₁ = F₂ = k_d²/2 (equal layers;
    k_d = `deformation_wavenumber`), bottom drag r and hyperviscosity ν_h. The state is the PV
    anomaly `(2, nx, ny)`. L = −ν_h|k|⁸ is the diagonal part; the mean-flow, β, drag and
    advection terms couple the layers and form N (Vallis, *Atmospheric and Oceanic Fluid
    Dynamics*, 2nd ed., §5.6 and §9.5; the layout follows pyqg's two-layer model).

    The defaults (domain 2π, k_d = 6, β = 5, r = 1) equilibrate with eddy velocities of
    about 10–15 shear units: keep u_max k_max dt ≲ 2 (dt ≈ 0.005 at 64², 0.0025 at 128²),
    and scale ν_h with resolution (10⁻⁹ at 64², 10⁻¹² at 128²).
    """

    beta: Float[Array, ""] = parameter(5.0)
    shear: Float[Array, ""] = parameter(1.0)
    deformation_wavenumber: Float[Array, ""] = parameter(6.0)
    bottom_drag: Float[Array, ""] = parameter(1.0)
    hyperviscosity: Float[Array, ""] = parameter(1e-12)
    n_fields: ClassVar[int] = 2

    def linear(self, grid):
        self.check_grid(grid, (2,))
        k2 = grid.wavenumber_norm_squared(real=True)
        return jnp.broadcast_to(-self.hyperviscosity * k2**4, (2, *k2.shape))

    def stream_function_hat(self, q_hat: Complex[Array, "*state"], grid):
        """Invert the 2×2 PV operator per wavenumber: det = |k|²(|k|² + F₁ + F₂)."""
        f = 0.5 * self.deformation_wavenumber**2
        k2 = grid.wavenumber_norm_squared(real=True, dtype=jnp.finfo(q_hat.dtype).dtype)
        det = k2 * (k2 + 2 * f)
        inv_det = jnp.where(det == 0, 0, 1 / jnp.where(det == 0, 1, det))
        q1, q2 = q_hat
        return jnp.stack([-(k2 + f) * q1 - f * q2, -f * q1 - (k2 + f) * q2]) * inv_det

    def nonlinear(self, u_hat, grid):
        psi_hat = self.stream_function_hat(u_hat, grid)
        f = 0.5 * self.deformation_wavenumber**2
        mean_flow = jnp.stack([self.shear / 2, -self.shear / 2])[:, None, None]
        pv_gradient = jnp.stack([self.beta + f * self.shear, self.beta - f * self.shear])
        d_x = lambda g: self.derivative(g, grid, axis=0)
        linear_terms = -mean_flow * d_x(u_hat) - pv_gradient[:, None, None] * d_x(psi_hat)
        k2 = grid.wavenumber_norm_squared(real=True, dtype=jnp.finfo(u_hat.dtype).dtype)
        drag = jnp.stack([jnp.zeros_like(k2), self.bottom_drag * k2]) * psi_hat
        return linear_terms + drag - _advection(self, psi_hat, u_hat, grid)
