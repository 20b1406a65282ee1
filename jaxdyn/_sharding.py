"""A batch split across every device: each device computes its share of a vmapped problem.

`shard_batch` pads a batch to a multiple of the device count and places it with its leading axis
split over a one-axis mesh; `map_batch`, inside a compiled function, maps over that batch under
`jax.shard_map`, so each device runs its own members with purely local FFTs, solves and while
loops. Nothing crosses devices: an ensemble member's FFT never sees another device's data, and
the program has no collective at all — in particular no all-gather of the state, which is what
plain `vmap` over a batch-sharded array can compile to around `jnp.fft` (jax #15680, #13081).
"""

from collections.abc import Callable

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np

BATCH_AXIS = "batch"


def shard_batch(trees, batch: int):
    """`trees` (a pytree whose arrays all have a leading axis of `batch`), padded by repeating
    the last member to a multiple of the device count and, with more than one device, placed
    with that axis split across a one-axis mesh; and that mesh (None on one device), for
    `map_batch`. Callers slice the padding off the results (`[:batch]`)."""
    devices = jax.devices()
    padded = -batch % len(devices)

    def pad(x):
        return jnp.concatenate([x, jnp.repeat(x[-1:], padded, axis=0)]) if padded else x

    trees = jax.tree.map(pad, trees)
    if len(devices) == 1:
        return trees, None
    mesh = jax.sharding.Mesh(np.array(devices), (BATCH_AXIS,))
    sharding = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec(BATCH_AXIS))
    return jax.tree.map(lambda x: jax.device_put(x, sharding), trees), mesh


def map_batch(fn: Callable, batched, mesh: jax.sharding.Mesh | None):
    """`fn` mapped (`eqx.filter_vmap`) over the leading axis of every array in `batched`, for use
    inside a compiled function. With a mesh, under `jax.shard_map`: each device maps `fn` over
    its own block of the batch, and values `fn` closes over reach every device whole. `fn` must
    return arrays only (they come back split over the mesh like the batch)."""
    mapped = eqx.filter_vmap(fn)
    if mesh is None:
        return mapped(batched)
    dynamic, static = eqx.partition(batched, eqx.is_array)
    spec = jax.sharding.PartitionSpec(BATCH_AXIS)

    def local(dynamic):
        return mapped(eqx.combine(dynamic, static))

    # check_vma=False: equinox's error checks and diffrax's loops branch on values that are
    # replicated on one side and per-device on the other, which the varying-axes type check
    # refuses; every output is per-device by construction (out_specs split the batch).
    return jax.shard_map(local, mesh=mesh, in_specs=spec, out_specs=spec, check_vma=False)(dynamic)
