"""The contract of a semilinear PDE u_t = L u + N(u) on a periodic grid."""

import abc
from typing import ClassVar

import equinox as eqx
from jaxtyping import Array, Complex, Float, Inexact

from .._grid import FourierGrid, real_dtype, times_i_power
from .._parameters import parameter as parameter


class AbstractSemilinearPDE(eqx.Module):
    """A PDE u_t = L u + N(u) with L diagonal in Fourier space.

    Subclasses give:

    - `linear(grid)`: the Fourier symbol of L, broadcastable to the spectral state
      `(fields, *modes)` (or `modes` for one field);
    - `nonlinear(u_hat, grid)`: N(u) in Fourier space, dealiased, same shape as `u_hat`.

    and may set the class variables `complex_state` (the field is complex, e.g. NLSE; real
    fields use the half-spectrum `rfftn` layout), `n_fields` (number of coupled fields,
    stacked on a leading axis) and `dealiased`. Physical parameters are fields declared with
    `parameter`.

    Dealiasing (2/3 rule): when `dealiased` (the default), `solve` projects the initial state
    onto the modes |m_i| ≤ n_i/3 and `nonlinear` returns only those modes, so the state stays
    in that subspace and quadratic products evaluated on the grid are alias-free. Without
    the projection, modes above the cutoff would evolve by L alone and, where Re L > 0
    (Allen–Cahn, Swift–Hohenberg), grow without bound.
    """

    complex_state: ClassVar[bool] = False
    n_fields: ClassVar[int] = 1
    dealiased: ClassVar[bool] = True

    @abc.abstractmethod
    def linear(self, grid: FourierGrid) -> Inexact[Array, "..."]:
        """The diagonal Fourier symbol of L."""

    @abc.abstractmethod
    def nonlinear(
        self, u_hat: Complex[Array, "*state"], grid: FourierGrid
    ) -> Complex[Array, "*state"]:
        """N(u) in Fourier space."""

    # Helpers shared by the equations ----------------------------------------------
    def field_shape(self, grid: FourierGrid) -> tuple[int, ...]:
        """The shape of one state in physical space."""
        return grid.shape if self.n_fields == 1 else (self.n_fields, *grid.shape)

    def to_spectral(self, u: Inexact[Array, "*state"], grid: FourierGrid) -> Complex[Array, "..."]:
        return grid.fft(u, real=not self.complex_state)

    def to_physical(self, u_hat: Complex[Array, "..."], grid: FourierGrid) -> Inexact[Array, "..."]:
        return grid.ifft(u_hat, real=not self.complex_state)

    def wavenumbers(self, grid: FourierGrid, like: Array) -> tuple[Float[Array, "..."], ...]:
        """Wavenumbers in this PDE's layout, in the real precision of `like`."""
        return grid.wavenumbers(not self.complex_state, real_dtype(like.dtype))

    def derivative(self, u_hat: Complex[Array, "..."], grid: FourierGrid, axis=0, order=1):
        """∂^order/∂x_axis^order in Fourier space: (ik)^order û, applied as a real factor
        k^order and a swap of parts for i^order (a third of a complex multiply's work)."""
        magnitude = grid.derivative_magnitude(
            not self.complex_state, axis, order, real_dtype(u_hat.dtype)
        )
        return times_i_power(magnitude * u_hat, order)

    def dealias(self, n_hat: Complex[Array, "..."], grid: FourierGrid) -> Complex[Array, "..."]:
        return n_hat * grid.dealias_mask(not self.complex_state)

    def check_grid(self, grid: FourierGrid, ndims: tuple[int, ...] = (1, 2, 3)) -> None:
        if grid.ndim not in ndims:
            raise ValueError(
                f"{type(self).__name__}: expected a grid with ndim in {ndims}, got {grid.ndim}"
            )
