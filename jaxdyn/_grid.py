"""Periodic Fourier grids: coordinates, wavenumbers, spectral derivatives, dealiasing."""

import math
from collections.abc import Sequence

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh
from jaxtyping import Array, Bool, Complex, Float, Inexact

from ._decomposition import forward, inverse, make_mesh, place


def real_dtype(dtype) -> np.dtype:
    """The real dtype of matching precision (complex64 -> float32)."""
    return jnp.finfo(dtype).dtype


def times_i_power(z: Complex[Array, "..."], power: int) -> Complex[Array, "..."]:
    """i^power · z by swapping and negating parts: no complex multiplication."""
    power %= 4
    if power == 0:
        return z
    if power == 2:
        return -z
    i_z = jax.lax.complex(-z.imag, z.real)
    return i_z if power == 1 else -i_z


class FourierGrid(eqx.Module):
    """A periodic grid on [0, L₁) × … × [0, L_d), d = 1, 2 or 3, with points x_j = j·L/n.

    Fields live on the trailing `ndim` axes of an array: a field has shape `grid.shape`, a
    state of several fields `(fields, *grid.shape)`, a batch any leading axes. Real fields are
    transformed with `rfftn` (last axis halved), complex fields with `fftn`; every spectral
    method takes `real` to say which layout it is working in.

    The geometry is static (part of the compiled program): a new `n` or `length` compiles
    again, new field values never do.

    **Arguments:**

    - `n`: points per axis, an int or a tuple of ints, each ≥ 4.
    - `length`: domain length per axis, a float or a tuple (default 2π).
    - `device_mesh`: split a 2D or 3D grid over devices (`jaxdyn._decomposition`): `(P,)` or
      a Mesh with axis "x" for slabs (fields split along x), `(Px, Py)` or a Mesh with axes
      ("x", "y") for pencils of a 3D grid (split along x and y); n_x and n_y must divide by
      the device count. The FFTs then run as all-to-all transposes and every solver,
      diagnostic and derivative works unchanged; `solve` places the initial state. A split
      2D grid's real spectral layout pads the halved axis to a multiple of the device count
      (`spectral_shape`, `spectral_valid`; `to_layout` for NumPy transforms).
    """

    shape: tuple[int, ...] = eqx.field(static=True)
    length: tuple[float, ...] = eqx.field(static=True)
    device_mesh: Mesh | None = eqx.field(default=None, static=True)

    def __init__(
        self,
        n: int | Sequence[int],
        length: float | Sequence[float] = 2 * math.pi,
        *,
        device_mesh: Mesh | Sequence[int] | None = None,
    ):
        shape = (n,) if np.ndim(n) == 0 else tuple(n)
        if not 1 <= len(shape) <= 3:
            raise ValueError(f"FourierGrid: expected 1, 2 or 3 axes, got n={n!r}")
        if not all(isinstance(m, int | np.integer) and m >= 4 for m in shape):
            raise ValueError(f"FourierGrid: expected integer point counts >= 4, got n={n!r}")
        lengths = (length,) * len(shape) if np.ndim(length) == 0 else tuple(length)
        if len(lengths) != len(shape):
            raise ValueError(
                f"FourierGrid: expected {len(shape)} lengths to match n={shape}, got {length!r}"
            )
        if not all(np.isfinite(x) and x > 0 for x in lengths):
            raise ValueError(f"FourierGrid: expected finite positive lengths, got {length!r}")
        self.shape = tuple(int(m) for m in shape)
        self.length = tuple(float(x) for x in lengths)
        self.device_mesh = None if device_mesh is None else make_mesh(device_mesh, self.shape)

    # ------------------------------------------------------------------ geometry
    @property
    def ndim(self) -> int:
        return len(self.shape)

    @property
    def axes(self) -> tuple[int, ...]:
        """The array axes the grid occupies (the trailing `ndim` ones)."""
        return tuple(range(-self.ndim, 0))

    @property
    def spacing(self) -> tuple[float, ...]:
        return tuple(L / n for L, n in zip(self.length, self.shape, strict=True))

    @property
    def cell_volume(self) -> float:
        return math.prod(self.spacing)

    def coordinates(self, dtype=None) -> tuple[Float[Array, " n"], ...]:
        """1D coordinate arrays x_j = j·L/n, one per axis."""
        return tuple(
            jnp.asarray(np.arange(n) * h, dtype=dtype)
            for n, h in zip(self.shape, self.spacing, strict=True)
        )

    def mesh(self, dtype=None) -> tuple[Float[Array, "*grid"], ...]:
        """Coordinate arrays of the full grid, `indexing="ij"` (axis 0 is x)."""
        return tuple(jnp.meshgrid(*self.coordinates(dtype), indexing="ij"))

    def place(self, u: Inexact[Array, "*batch_and_grid"]) -> Inexact[Array, "*batch_and_grid"]:
        """`u` split over the grid's mesh like its fields (unchanged without a mesh)."""
        return u if self.device_mesh is None else place(u, self.device_mesh, self.ndim)

    def integrate(self, f: Inexact[Array, "*batch_and_grid"]) -> Inexact[Array, "*batch"]:
        """∫ f dV by the trapezoidal rule, spectrally accurate for smooth periodic f."""
        return jnp.sum(f, axis=self.axes) * self.cell_volume

    # ------------------------------------------------------------------ spectral layout
    def spectral_shape(self, real: bool) -> tuple[int, ...]:
        if not real:
            return self.shape
        return self.shape[:-1] + (self.shape[-1] // 2 + 1 + self._padding(real),)

    def _padding(self, real: bool) -> int:
        """Slots appended to the halved axis of a split 2D grid's real transform, so that it
        divides by the devices (see `jaxdyn._decomposition`); 0 otherwise."""
        if self.device_mesh is None or self.ndim != 2 or not real:
            return 0
        return -(self.shape[-1] // 2 + 1) % self.device_mesh.size

    def spectral_valid(self, real: bool) -> Bool[np.ndarray, "..."]:
        """True at the modes of the transform, False at padding slots (always zero)."""
        m_last = self.mode_numbers(real)[-1]
        return np.broadcast_to(np.abs(m_last) < self.shape[-1], self.spectral_shape(real))

    def to_layout(self, u_hat: np.ndarray, real: bool) -> np.ndarray:
        """A NumPy `rfftn`/`fftn` of grid data in this grid's spectral layout (zero padding
        slots appended on a split 2D grid)."""
        pad = [(0, 0)] * (u_hat.ndim - 1) + [(0, self._padding(real))]
        return np.pad(u_hat, pad)

    def mode_numbers(self, real: bool) -> tuple[np.ndarray, ...]:
        """Integer mode numbers m per axis, broadcastable to the spectral shape. Padding slots
        (split 2D grids) carry m = n: outside every band, and every field is zero there."""
        modes = []
        for axis, n in enumerate(self.shape):
            last = axis == self.ndim - 1
            m = np.fft.rfftfreq(n, 1 / n) if (real and last) else np.fft.fftfreq(n, 1 / n)
            if last:
                m = np.concatenate([m, np.full(self._padding(real), n)])
            shape = [1] * self.ndim
            shape[axis] = m.size
            modes.append(np.rint(m).astype(np.int64).reshape(shape))
        return tuple(modes)

    def wavenumbers(self, real: bool, dtype=None) -> tuple[Float[Array, "..."], ...]:
        """Angular wavenumbers k = 2π m / L per axis, broadcastable to the spectral shape.

        `dtype` defaults to JAX's default float (float32 unless x64 is enabled)."""
        return tuple(
            jnp.asarray(m * (2 * math.pi / L), dtype=dtype)
            for m, L in zip(self.mode_numbers(real), self.length, strict=True)
        )

    def wavenumber_norm_squared(self, real: bool, dtype=None) -> Float[Array, "..."]:
        """|k|², the negative of the Laplacian's symbol."""
        return sum(k**2 for k in self.wavenumbers(real, dtype))

    def derivative_symbol(
        self, real: bool, axis: int = 0, order: int = 1, dtype=None
    ) -> Complex[Array, "..."]:
        """(i k_axis)^order = i^order · `derivative_magnitude`."""
        magnitude = self._derivative_magnitude(real, axis, order)
        return jnp.asarray(1j**order * magnitude, dtype=dtype)

    def derivative_magnitude(self, real: bool, axis: int = 0, order: int = 1, dtype=None):
        """k_axis^order, the real factor of the derivative symbol (i k)^order = i^order k^order.
        For odd orders the Nyquist mode is zeroed, since its derivative is not representable
        as a real periodic field (Trefethen, *Spectral Methods in MATLAB*, ch. 3)."""
        return jnp.asarray(self._derivative_magnitude(real, axis, order), dtype=dtype)

    def _derivative_magnitude(self, real: bool, axis: int, order: int) -> np.ndarray:
        if not -self.ndim <= axis < self.ndim:
            raise ValueError(f"derivative: expected axis in [0, {self.ndim}), got {axis}")
        axis %= self.ndim
        m = self.mode_numbers(real)[axis]
        magnitude = (m * (2 * math.pi / self.length[axis])) ** order
        n = self.shape[axis]
        if order % 2 == 1 and n % 2 == 0:
            magnitude = np.where(np.abs(m) == n // 2, 0.0, magnitude)
        return magnitude

    def dealias_mask(self, real: bool) -> Bool[np.ndarray, "..."]:
        """Orszag's 2/3 rule: keep the modes with |m_i| ≤ n_i/3 on every axis."""
        keep = True
        for m, n in zip(self.mode_numbers(real), self.shape, strict=True):
            keep = keep & (np.abs(m) <= n // 3)
        return np.asarray(keep)

    def exponential_filter(
        self, real: bool, strength: float = 36.0, order: int = 36, dtype=None
    ) -> Float[Array, "..."]:
        """σ = Π_i exp(-α (|m_i| / m_max,i)^p), α = `strength`, p = `order`
        (Hou & Li, J. Comput. Phys. 226, 2007: α = 36, p = 36)."""
        log_sigma = 0.0
        for m, n in zip(self.mode_numbers(real), self.shape, strict=True):
            log_sigma = log_sigma - strength * (np.abs(m) / (n // 2)) ** order
        return jnp.asarray(np.exp(log_sigma), dtype=dtype)

    # ------------------------------------------------------------------ transforms
    def fft(
        self, u: Inexact[Array, "*batch_and_grid"], real: bool
    ) -> Complex[Array, "*batch_and_modes"]:
        self.check_shape(u, "fft")
        if self.device_mesh is not None:
            return forward(u, self.device_mesh, real, self.ndim, self._padding(real))
        return jnp.fft.rfftn(u, axes=self.axes) if real else jnp.fft.fftn(u, axes=self.axes)

    def ifft(self, u_hat: Complex[Array, "*batch_and_modes"], real: bool) -> Inexact[Array, "..."]:
        if self.device_mesh is not None:
            return inverse(u_hat, self.device_mesh, real, self.ndim, self.shape[-1])
        if real:
            return jnp.fft.irfftn(u_hat, s=self.shape, axes=self.axes)
        return jnp.fft.ifftn(u_hat, axes=self.axes)

    def derivative(
        self, u: Inexact[Array, "*batch_and_grid"], axis: int = 0, order: int = 1
    ) -> Inexact[Array, "*batch_and_grid"]:
        """Spectral derivative ∂^order u / ∂x_axis^order of a real or complex field."""
        real = not jnp.iscomplexobj(u)
        u_hat = self.fft(u, real)
        magnitude = self.derivative_magnitude(real, axis, order, real_dtype(u_hat.dtype))
        return self.ifft(times_i_power(magnitude * u_hat, order), real)

    def check_shape(self, u, what: str, leading: tuple[int, ...] | None = None) -> None:
        """Raise a ValueError unless u's trailing axes are the grid's (and, when `leading`
        is given, its leading axes are exactly those)."""
        shape = tuple(np.shape(u))
        ok = shape[len(shape) - self.ndim :] == self.shape and len(shape) >= self.ndim
        if leading is not None:
            ok = ok and shape == leading + self.shape
        if not ok:
            dims = ", ".join(map(str, self.shape))
            expected = str(leading + self.shape) if leading is not None else f"(..., {dims})"
            raise ValueError(f"{what}: expected an array of shape {expected}, got {shape}")
