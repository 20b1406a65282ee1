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


def check_shape(x, expected: tuple[int | None, ...], what: str, name: str) -> jax.Array:
    """`x` as an array, after a ValueError unless its shape matches `expected` (None: any
    size on that axis)."""
    x = jnp.asarray(x)
    matches = x.ndim == len(expected) and all(
        e is None or e == s for e, s in zip(expected, x.shape, strict=True)
    )
    if not matches:
        wanted = "(" + ", ".join("*" if e is None else str(e) for e in expected)
        wanted += ",)" if len(expected) == 1 else ")"
        raise ValueError(f"{what}: expected {name} of shape {wanted}, got {x.shape}")
    return x
