"""Domain decomposition of a periodic grid over devices: distributed FFTs by all-to-all
transposes inside `jax.shard_map`.

In 3D, two layouts, both keeping the halved axis of the real transform (z, `nz/2 + 1` modes,
rarely divisible by the device count) whole on every device:

- slab, a one-axis mesh ("x",) of P devices: physical fields split along x, spectral ones
  along k_y. Forward: rfft z, fft y (local), one all-to-all (y ↔ x), fft x.
- pencil, a two-axis mesh ("x", "y") of Px × Py devices: physical fields split along x and
  y. Forward: rfft z (local), an all-to-all within each "y" group (x ↔ y: x now split over
  all Px·Py devices), fft y, an all-to-all over the whole mesh (y ↔ x), fft x; spectral
  fields split along k_y over all devices.

In 2D, slabs: physical fields split along x, spectral ones along k_y. Forward: rfft y (local),
the halved axis padded with zeros to a multiple of P (the grid's spectral layout carries the
padding slots, which stay zero), an all-to-all (y ↔ x), fft x.

Only the transforms are manual (`shard_map` islands); everything between them — products
with wavenumbers, masks, stepper coefficients, nonlinear terms — is elementwise on global
arrays, which the partitioner splits like their operands with no communication. The one
collective of a transform is the all-to-all (the state is never gathered). The reference for
pencil FFTs in JAX is jaxDecomp (Kabalan et al.); this is our own, smaller, pure-JAX version.
"""

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import Mesh, NamedSharding, PartitionSpec

SLAB_AXES = ("x",)
PENCIL_AXES = ("x", "y")


def make_mesh(mesh, shape: tuple[int, ...]) -> Mesh:
    """A `Mesh` from a `Mesh` with axes ("x",) or ("x", "y"), or from a tuple of device counts
    (P,) or (Px, Py) taken from `jax.devices()`; checked against the grid `shape`."""
    if isinstance(mesh, Mesh):
        names = tuple(mesh.axis_names)
        if names not in (SLAB_AXES, PENCIL_AXES):
            raise ValueError(
                f"FourierGrid: expected a device_mesh with axes {SLAB_AXES} (slab) or "
                f"{PENCIL_AXES} (pencil), got {names}"
            )
        sizes = tuple(mesh.shape[name] for name in names)
    else:
        sizes = tuple(mesh) if isinstance(mesh, tuple | list) else (mesh,)
        if not 1 <= len(sizes) <= 2 or not all(isinstance(s, int) and s >= 1 for s in sizes):
            raise ValueError(
                "FourierGrid: expected device_mesh as a jax Mesh or device counts (P,) or "
                f"(Px, Py), got {mesh!r}"
            )
        available = jax.devices()
        if math.prod(sizes) > len(available):
            raise ValueError(
                f"FourierGrid: a mesh of {' × '.join(map(str, sizes))} = {math.prod(sizes)} "
                f"devices needs that many, but {len(available)} are present"
            )
        devices = np.array(available[: math.prod(sizes)]).reshape(sizes)
        mesh = Mesh(devices, SLAB_AXES if len(sizes) == 1 else PENCIL_AXES)
    if len(shape) == 1 or (len(shape) == 2 and len(sizes) == 2):
        raise ValueError(
            f"FourierGrid: a device_mesh of {len(sizes)} axes needs a grid of at least "
            f"{len(sizes) + 1} dimensions, got shape {shape} (1D fields: split batches with "
            "spectral.ensemble)"
        )
    total = math.prod(sizes)
    for axis, n in zip("xy", shape[:2], strict=False):
        if n % total:
            raise ValueError(
                f"FourierGrid: the {axis} size {n} must divide by the {total} devices of the "
                f"mesh {' × '.join(map(str, sizes))} (both x and y are split over all of them "
                "in one of the transposes)"
            )
    return mesh


def _devices_axis(mesh: Mesh):
    names = tuple(mesh.axis_names)
    return names[0] if len(names) == 1 else names


def physical_spec(mesh: Mesh, ndim: int, grid_ndim: int = 3) -> PartitionSpec:
    """How a field of `ndim` axes (leading ones replicated, then the grid's) is split."""
    names = tuple(mesh.axis_names) + (None,) * (grid_ndim - len(mesh.axis_names))
    return PartitionSpec(*([None] * (ndim - grid_ndim)), *names)


def spectral_spec(mesh: Mesh, ndim: int, grid_ndim: int = 3) -> PartitionSpec:
    """How a spectral field is split: along k_y over every device of the mesh."""
    k_y = (None, _devices_axis(mesh), None) if grid_ndim == 3 else (None, _devices_axis(mesh))
    return PartitionSpec(*([None] * (ndim - grid_ndim)), *k_y)


def place(u, mesh: Mesh, grid_ndim: int = 3):
    """`u` (physical, the grid's axes last) placed with the grid's physical split."""
    return jax.device_put(u, NamedSharding(mesh, physical_spec(mesh, u.ndim, grid_ndim)))


def forward(u, mesh: Mesh, real: bool, grid_ndim: int = 3, padding: int = 0):
    """The distributed `rfftn`/`fftn` over the grid's (last) axes of `u`; `padding` zero
    slots appended to the halved axis of a 2D real transform."""
    specs = physical_spec(mesh, u.ndim, grid_ndim), spectral_spec(mesh, u.ndim, grid_ndim)
    if grid_ndim == 2:

        def local_2d(block):
            h = jnp.fft.rfft(block, axis=-1) if real else jnp.fft.fft(block, axis=-1)
            h = jnp.pad(h, [(0, 0)] * (h.ndim - 1) + [(0, padding)])
            h = jax.lax.all_to_all(h, "x", split_axis=h.ndim - 1, concat_axis=h.ndim - 2,
                                   tiled=True)  # fmt: skip
            return jnp.fft.fft(h, axis=-2)

        return _island(local_2d, mesh, *specs)(u)

    def local(block):
        h = jnp.fft.rfft(block, axis=-1) if real else jnp.fft.fft(block, axis=-1)
        if len(mesh.axis_names) == 2:  # pencil: make y whole, x split over every device
            h = jax.lax.all_to_all(h, "y", split_axis=h.ndim - 3, concat_axis=h.ndim - 2,
                                   tiled=True)  # fmt: skip
        h = jnp.fft.fft(h, axis=-2)
        h = jax.lax.all_to_all(h, _devices_axis(mesh), split_axis=h.ndim - 2,
                               concat_axis=h.ndim - 3, tiled=True)  # fmt: skip
        return jnp.fft.fft(h, axis=-3)

    return _island(local, mesh, *specs)(u)


def inverse(u_hat, mesh: Mesh, real: bool, grid_ndim: int, n_last: int):
    """The distributed `irfftn`/`ifftn` over the grid's axes (`n_last` points on the last)."""
    specs = spectral_spec(mesh, u_hat.ndim, grid_ndim), physical_spec(mesh, u_hat.ndim, grid_ndim)
    if grid_ndim == 2:

        def local_2d(h):
            h = jnp.fft.ifft(h, axis=-2)
            h = jax.lax.all_to_all(h, "x", split_axis=h.ndim - 2, concat_axis=h.ndim - 1,
                                   tiled=True)  # fmt: skip
            if not real:
                return jnp.fft.ifft(h, axis=-1)
            return jnp.fft.irfft(h[..., : n_last // 2 + 1], n=n_last, axis=-1)

        return _island(local_2d, mesh, *specs)(u_hat)

    def local(h):
        h = jnp.fft.ifft(h, axis=-3)
        h = jax.lax.all_to_all(h, _devices_axis(mesh), split_axis=h.ndim - 3,
                               concat_axis=h.ndim - 2, tiled=True)  # fmt: skip
        h = jnp.fft.ifft(h, axis=-2)
        if len(mesh.axis_names) == 2:
            h = jax.lax.all_to_all(h, "y", split_axis=h.ndim - 2, concat_axis=h.ndim - 3,
                                   tiled=True)  # fmt: skip
        return jnp.fft.irfft(h, n=n_last, axis=-1) if real else jnp.fft.ifft(h, axis=-1)

    return _island(local, mesh, *specs)(u_hat)


def _island(local, mesh, in_spec, out_spec):
    # check_vma=False: the all-to-alls make every output per-device, which the out_specs say.
    return jax.shard_map(local, mesh=mesh, in_specs=in_spec, out_specs=out_spec, check_vma=False)
