"""Three-dimensional incompressible Navier–Stokes in rotational form, and its reference flows."""

from typing import ClassVar

import equinox as eqx
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, Complex, Float

from .._grid import FourierGrid
from ._equations import _physical, _spectral
from ._pde import AbstractSemilinearPDE, parameter


class NavierStokes3D(AbstractSemilinearPDE):
    """Incompressible 3D Navier–Stokes on a periodic box, in rotational form:

        u_t = u × ω − ∇Π + ν ∇²u + f,   ∇·u = 0,   ω = ∇ × u,   Π = p + |u|²/2.

    In Fourier space the pressure is the projection P(k) = I − k kᵀ/|k|² onto divergence-free
    fields: L = −ν|k|² (each component) and N = P [u × ω]^ + P f̂, the product u × ω
    evaluated on the grid and 2/3-dealiased (Canuto et al., *Spectral Methods: Evolution to
    Complex Geometries*, §3.4; nine FFTs per evaluation). The optional forcing (when
    `forcing_mode` m ≥ 1; 0, the default, is unforced) is the ABC field of wavenumber
    k_f = 2πm/L on a cubic box, f = A (sin k_f z + cos k_f y, sin k_f x + cos k_f z,
    sin k_f y + cos k_f x): with A = ν k_f² the ABC flow of that mode is a steady state.

    The state is the velocity `(3, nx, ny, nz)` (components x, y, z on the leading axis).
    """

    viscosity: Float[Array, ""] = parameter(1.0 / 1600)
    forcing_amplitude: Float[Array, ""] = parameter(0.0)
    forcing_mode: int = eqx.field(default=0, static=True)
    n_fields: ClassVar[int] = 3

    def linear(self, grid):
        self.check_grid(grid, (3,))
        return -self.viscosity * grid.wavenumber_norm_squared(real=True)

    def nonlinear(self, u_hat: Complex[Array, "3 mx my mz"], grid):
        u = _physical(self, u_hat, grid)
        omega = _physical(self, self.curl_hat(u_hat, grid), grid)
        cross = jnp.stack([
            u[1] * omega[2] - u[2] * omega[1],
            u[2] * omega[0] - u[0] * omega[2],
            u[0] * omega[1] - u[1] * omega[0],
        ])  # fmt: skip
        advection = self.project(_spectral(self, cross, grid), grid)
        return advection + self._forcing_hat(grid, u_hat) if self.forcing_mode else advection

    def _forcing_hat(self, grid, like):
        # The ABC shape is a trace-time constant (divergence-free, within the 2/3 modes); only
        # its amplitude is traced.
        shape_hat = grid.to_layout(
            np.fft.rfftn(abc_flow(grid, self.forcing_mode), axes=(1, 2, 3)), True
        )
        return (self.forcing_amplitude * jnp.asarray(shape_hat, like.dtype)).astype(like.dtype)

    def curl_hat(self, u_hat: Complex[Array, "*batch 3 mx my mz"], grid) -> Complex[Array, "..."]:
        """ω̂ = i k × û, for velocities stacked on any leading axes."""
        d = lambda i, axis: self.derivative(u_hat[..., i, :, :, :], grid, axis)
        return jnp.stack([d(2, 1) - d(1, 2), d(0, 2) - d(2, 0), d(1, 0) - d(0, 1)], axis=-4)

    def project(self, v_hat: Complex[Array, "*batch 3 mx my mz"], grid) -> Complex[Array, "..."]:
        """Leray projection v̂ − k (k·v̂)/|k|² (the mean mode is left as it is)."""
        k = jnp.stack(jnp.broadcast_arrays(*self.wavenumbers(grid, v_hat)))
        k2 = jnp.sum(k**2, axis=0)
        divergence = jnp.sum(k * v_hat, axis=-4, keepdims=True)
        return v_hat - k * divergence / jnp.where(k2 == 0, 1, k2)

    def vorticity(self, u: Float[Array, "*batch 3 nx ny nz"], grid) -> Float[Array, "..."]:
        """ω = ∇ × u in physical space."""
        return self.to_physical(self.curl_hat(self.to_spectral(u, grid), grid), grid)

    def kinetic_energy(self, u: Float[Array, "*batch 3 nx ny nz"], grid) -> Float[Array, "*batch"]:
        """E = ½ ⟨|u|²⟩, the volume average."""
        return 0.5 * jnp.mean(jnp.sum(u**2, axis=-4), axis=(-3, -2, -1))

    def dissipation_rate(
        self, u: Float[Array, "*batch 3 nx ny nz"], grid
    ) -> Float[Array, "*batch"]:
        """ε = ν ⟨|ω|²⟩ = −dE/dt of the unforced flow (periodic, incompressible)."""
        omega = self.vorticity(u, grid)
        return self.viscosity * jnp.mean(jnp.sum(omega**2, axis=-4), axis=(-3, -2, -1))


def abc_flow(
    grid: FourierGrid, mode: int = 1, a: float = 1.0, b: float = 1.0, c: float = 1.0
) -> Float[np.ndarray, "3 nx ny nz"]:
    """The Arnold–Beltrami–Childress field of wavenumber k = 2π·mode/L (cubic box):
    u = (a sin kz + c cos ky, b sin kx + a cos kz, c sin ky + b cos kx). A Beltrami flow,
    ∇ × u = k u, so u × ω = 0 and it decays exactly as e^{−ν k² t} (Dombre et al., J. Fluid
    Mech. 167, 1986)."""
    x, y, z = _coordinates(grid, mode)
    for name, value in (("a", a), ("b", b), ("c", c)):
        if not np.isfinite(value):
            raise ValueError(f"abc_flow: expected a finite amplitude {name}, got {value!r}")
    return np.stack([
        a * np.sin(z) + c * np.cos(y),
        b * np.sin(x) + a * np.cos(z),
        c * np.sin(y) + b * np.cos(x),
    ])  # fmt: skip


def taylor_green_vortex(grid: FourierGrid) -> Float[np.ndarray, "3 nx ny nz"]:
    """The Taylor–Green initial field u = (sin x cos y cos z, −cos x sin y cos z, 0) on the
    box [0, 2π)³ (Brachet et al., J. Fluid Mech. 130, 1983): E(0) = 1/8; at ν = 1/1600
    (Re = 1600) the dissipation rate peaks near t ≈ 9 at about 0.0127."""
    x, y, z = _coordinates(grid, 1)
    return np.stack([
        np.sin(x) * np.cos(y) * np.cos(z),
        -np.cos(x) * np.sin(y) * np.cos(z),
        np.zeros_like(x),
    ])  # fmt: skip


def _coordinates(grid: FourierGrid, mode: int):
    if grid.ndim != 3 or len(set(grid.length)) != 1 or len(set(grid.shape)) != 1:
        raise ValueError(
            f"expected a cubic 3D grid (equal sizes and lengths), got shape {grid.shape} and "
            f"lengths {grid.length}"
        )
    if not isinstance(mode, int | np.integer) or mode < 1 or 3 * mode > grid.shape[0]:
        raise ValueError(
            f"expected an integer mode in [1, n/3] = [1, {grid.shape[0] // 3}], got {mode!r}"
        )
    k = 2 * np.pi * mode / grid.length[0]
    axes = [np.arange(n) * h * k for n, h in zip(grid.shape, grid.spacing, strict=True)]
    return np.meshgrid(*axes, indexing="ij")
