"""A batch split across every device: each device computes its share of a vmapped problem."""

import jax
import jax.numpy as jnp
import numpy as np


def shard_batch(trees, batch: int):
    """`trees` (a tuple of pytrees whose arrays all have a leading axis of `batch`), padded by
    repeating the last member to a multiple of the device count and, with more than one
    device, placed with that axis split across a one-axis mesh; and the sharding (None on
    one device), for `constrain_batch` on the results."""
    devices = jax.devices()
    padded = -batch % len(devices)

    def pad(x):
        return jnp.concatenate([x, jnp.repeat(x[-1:], padded, axis=0)]) if padded else x

    trees = jax.tree.map(pad, trees)
    if len(devices) == 1:
        return trees, None
    mesh = jax.sharding.Mesh(np.array(devices), ("batch",))
    sharding = jax.sharding.NamedSharding(mesh, jax.sharding.PartitionSpec("batch"))
    return jax.tree.map(lambda x: jax.device_put(x, sharding), trees), sharding


def constrain_batch(out, sharding):
    """Keep every leading batch axis of `out` split across the devices (the partitioner does
    not carry the input sharding through a solver's while loop by itself)."""
    if sharding is None:
        return out
    return jax.tree.map(lambda x: jax.lax.with_sharding_constraint(x, sharding), out)
