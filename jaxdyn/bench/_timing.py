"""Timing compiled JAX functions: compilation apart from execution, median of repeats."""

import statistics
import time
from collections.abc import Callable
from typing import NamedTuple

import jax
import jax.numpy as jnp


class Timing(NamedTuple):
    compile_s: float
    run_s: float  # median over repeats
    output: object


def time_compiled(fn: Callable, *args, repeats: int = 5) -> Timing:
    """Compile `fn` ahead of time for `args`, then time `repeats` runs to completion
    (`block_until_ready`) after one warm-up run."""
    start = time.perf_counter()
    compiled = jax.jit(fn).lower(*args).compile()
    compile_s = time.perf_counter() - start
    output = jax.block_until_ready(compiled(*args))
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        jax.block_until_ready(compiled(*args))
        runs.append(time.perf_counter() - start)
    return Timing(compile_s, statistics.median(runs), output)


def fft_roundtrip_seconds(
    shape: tuple[int, ...], batch: int, dtype=jnp.float32, repeats: int = 5
) -> float:
    """Seconds for one FFT and its inverse over the trailing axes of a `(batch, *shape)`
    array — real-to-complex (`rfftn`) for a real dtype, complex (`fftn`) for a complex one:
    the floor that a pseudo-spectral step with k such pairs cannot beat. Measured as a loop
    of 16 iterations of 8 dependent round trips, so loop overhead does not count."""
    axes = tuple(range(-len(shape), 0))
    loops, unrolled = 16, 8
    if jnp.issubdtype(dtype, jnp.complexfloating):
        roundtrip = lambda v: jnp.fft.ifftn(jnp.fft.fftn(v, axes=axes), axes=axes)  # noqa: E731
    else:
        roundtrip = lambda v: jnp.fft.irfftn(jnp.fft.rfftn(v, axes=axes), s=shape, axes=axes)  # noqa: E731

    def roundtrips(u):
        def body(_, v):
            for _ in range(unrolled):
                v = roundtrip(v)
            return v

        return jax.lax.fori_loop(0, loops, body, u)

    u = jax.random.normal(jax.random.PRNGKey(0), (batch, *shape)).astype(dtype)
    return time_compiled(roundtrips, u, repeats=repeats).run_s / (loops * unrolled)
