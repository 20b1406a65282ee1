"""Matrix products at full float32 precision, whatever the backend.

On a TPU a float32 `dot_general` (`@`, `jnp.dot`, `einsum`, convolutions) at the default
precision is a single bfloat16 pass, about three significant digits; on recent GPUs it may
run in TF32 (ten bits of mantissa). `Precision.HIGHEST` makes it float32-accurate.
"""

import functools

import jax


def highest_precision(function):
    """`function`, traced with every matrix product at `Precision.HIGHEST`.

    The precision is written into each product as it is traced, so it holds inside a caller's
    `jit`, in scan and while bodies, and in the transposed products of a backward pass; a rule
    traced later on its own (a custom derivative) carries this decorator itself. User code
    traced inside (a right-hand side, a loss) gets the same precision: on a TPU, a kernel's
    accuracy is only as good as its least precise product.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with jax.default_matmul_precision("highest"):
            return function(*args, **kwargs)

    return wrapper
