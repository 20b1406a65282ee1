"""Forecasts that learn nothing, the floor a forecasting model must clear: the climatological
mean, persistence, and context parroting."""

import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, ArrayLike, Float

from .._checks import check_finite, check_positive, narrowed_input


def check_context(context, n_steps, what, minimum=1):
    context = jnp.asarray(narrowed_input(context, what, "context"))
    if context.ndim != 2 or context.shape[0] < minimum:
        raise ValueError(
            f"{what}: expected a context of shape (time >= {minimum}, dim), got {context.shape}"
        )
    if not jnp.issubdtype(context.dtype, jnp.floating):
        context = context.astype(jnp.result_type(float))
    # A non-finite context would make every baseline's forecast quietly wrong (parroting's
    # best match among NaN distances is arbitrary): refused, as the models refuse it.
    context = check_finite(context, f"{what}: context")
    return context, check_positive(n_steps, "n_steps", what, integer=True)


def climatological_mean(
    context: Float[ArrayLike, "time dim"], n_steps: int
) -> Float[Array, "n_steps dim"]:
    """The context's mean, repeated: the forecast with the least mean-square error once the
    system has forgotten its state."""
    context, n_steps = check_context(context, n_steps, "climatological_mean")
    return jnp.broadcast_to(jnp.mean(context, axis=0), (n_steps, context.shape[1]))


def persistence(context: Float[ArrayLike, "time dim"], n_steps: int) -> Float[Array, "n_steps dim"]:
    """The last observed state, repeated."""
    context, n_steps = check_context(context, n_steps, "persistence")
    return jnp.broadcast_to(context[-1], (n_steps, context.shape[1]))


def context_parroting(
    context: Float[ArrayLike, "time dim"], n_steps: int, *, embedding: int = 10
) -> Float[Array, "n_steps dim"]:
    """Context parroting (Zhang & Gilpin, 2025): find the stretch of the context whose
    `embedding` states are closest (Euclidean) to its last `embedding` states, and repeat what
    followed that stretch, cycling through it again if the horizon is longer:

        j* = argmin_{j < T−1} ‖x_{j−D+1..j} − x_{T−D+1..T}‖,  x̂_{T+h} = x_{j*+1+(h mod (T−j*−1))}.

    The baseline that zero-shot forecasting models are measured against.
    """
    what = "context_parroting"
    embedding = check_positive(embedding, "embedding", what, integer=True)
    context, n_steps = check_context(context, n_steps, what, minimum=embedding + 1)
    length = context.shape[0]
    ends = np.arange(embedding - 1, length - 1)  # a match must leave a continuation
    windows = context[ends[:, None] - np.arange(embedding)[::-1]]
    distance = jnp.sum((windows - context[length - embedding :]) ** 2, axis=(1, 2))
    match = ends[0] + jnp.argmin(distance)
    period = length - 1 - match
    index = match + 1 + jnp.arange(n_steps) % period
    return context[index]
