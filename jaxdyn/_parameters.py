"""Physical parameters of modules: JAX arrays, so new values never recompile."""

from collections.abc import Sequence

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import ArrayLike


def parameter(default: ArrayLike | Sequence):
    """A dataclass field for a physical parameter: stored as a JAX array, so new values never
    recompile under `eqx.filter_jit` and `jax.grad`/`jax.vmap` see it."""
    return eqx.field(default=default, converter=jnp.asarray)
