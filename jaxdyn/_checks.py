"""Input checks shared by every integrator: a clear ValueError at trace time when the value
is known, `eqx.error_if` at run time when it is traced."""

from __future__ import annotations

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np


def check_finite_parameters(module: eqx.Module, what: str) -> None:
    """Raise a ValueError naming the first concrete non-finite array field of `module`."""
    for path, leaf in jax.tree_util.tree_leaves_with_path(eqx.filter(module, eqx.is_array)):
        if not isinstance(leaf, jax.core.Tracer) and not np.all(np.isfinite(np.asarray(leaf))):
            name = jax.tree_util.keystr(path)
            raise ValueError(f"{what}: expected finite parameters, got {name} = {leaf}")


def check_finite(x: jax.Array, what: str) -> jax.Array:
    """`x`, after checking it is finite: now if it is concrete, at run time if traced."""
    if isinstance(x, jax.core.Tracer):
        return eqx.error_if(x, ~jnp.all(jnp.isfinite(x)), f"{what}: expected finite values")
    if not np.all(np.isfinite(np.asarray(x))):
        raise ValueError(f"{what}: expected finite values, got NaN or inf entries")
    return x
