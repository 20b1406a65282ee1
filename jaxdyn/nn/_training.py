"""`fit`: train any Module with optax, minibatched from a PRNG key, with checkpoints that a
later call resumes from, and a clean stop when the loss stops being finite."""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
from jaxtyping import Array, Float, PRNGKeyArray, PyTree

from .._checks import check_sizes
from .._precision import highest_precision
from .._progress import HostProgress
from .._results import RESULTS, SolverFailure
from ..io import write_atomic


class FitResult(NamedTuple):
    """The trained model, the loss at every step (NaN for steps not taken), the number of
    steps taken, and the `jaxdyn.RESULTS` item: `successful`, or `nonfinite_loss` (then
    `model` is the last good model and `steps` the step that diverged)."""

    model: Any
    losses: Float[Array, " steps"]
    steps: int
    result: RESULTS = RESULTS.successful


class TrainingDiverged(SolverFailure):
    """The loss or an update became non-finite: `step` says when; `model` is the last good
    model (also in the checkpoint file, when there is one)."""

    def __init__(self, message: str, step: int, model):
        super().__init__(message, RESULTS.nonfinite_loss, "fit")
        self.step, self.model = step, model


def check_data(data: PyTree, what: str) -> int:
    """The common leading (sample) size of every array in `data`; a `ValueError` if they
    differ or hold non-finite values."""
    leaves = jax.tree.leaves(data)
    if not leaves:
        raise ValueError(f"{what}: expected arrays with a leading sample axis, got none")
    sizes = {np.shape(leaf)[0] if np.ndim(leaf) else None for leaf in leaves}
    if len(sizes) != 1 or None in sizes:
        raise ValueError(
            f"{what}: expected every array with the same leading sample axis, got shapes "
            f"{[np.shape(leaf) for leaf in leaves]}"
        )
    for leaf in leaves:
        if not np.all(np.isfinite(np.asarray(leaf))):
            raise ValueError(
                f"{what}: expected finite data, got NaN or inf in an array of shape "
                f"{np.shape(leaf)}"
            )
    return sizes.pop()


@highest_precision
def fit(
    model: PyTree,
    loss: Callable[[PyTree, PyTree], Float[Array, ""]],
    data: PyTree,
    *,
    steps: int,
    key: PRNGKeyArray,
    optimizer: optax.GradientTransformation | None = None,
    batch_size: int | None = None,
    checkpoint: str | os.PathLike | None = None,
    checkpoint_every: int = 100,
    until: int | None = None,
    progress: bool = False,
    loss_takes_step: bool = False,
    throw: bool = True,
) -> FitResult:
    """Minimise `loss(model, batch)` over `steps` optimizer steps.

    **Arguments:**

    - `model`: any pytree; its inexact arrays train (`eqx.is_inexact_array`).
    - `loss`: `loss(model, batch) -> scalar`; `batch` has `data`'s structure.
    - `data`: a pytree of arrays with a common leading sample axis (checked finite).
    - `steps`, `key`: the number of steps, and the PRNG key that draws step k's minibatch
      (from `jax.random.fold_in(key, k)`: a resumed run draws the same batches).
    - `optimizer`: an optax transformation (default Adam, 1e-3).
    - `batch_size`: samples per step (default: all of them).
    - `checkpoint`: a file that holds (model, optimizer state, step, losses) every
      `checkpoint_every` steps and at the end, written atomically with
      `eqx.tree_serialise_leaves`; if it exists, training resumes from it.
    - `until`: stop after this step (checkpointed) though `steps` are planned — for jobs
      with a time limit; calling again with the same checkpoint continues, and the result
      equals an uninterrupted run's.
    - `progress`: a progress bar (tqdm, in Jupyter or a terminal; a plain stderr line
      without tqdm) updated with the loss every `checkpoint_every` steps.
    - `loss_takes_step`: call `loss(model, batch, step)` with the (traced) step number,
      for schedules — e.g. a GTF forcing strength `optax.exponential_decay(...)(step)`.

    - `throw`: raise `TrainingDiverged` when the loss or an update becomes non-finite;
      with `throw=False` return the last good model with `result = RESULTS.nonfinite_loss`.

    **Returns:** `FitResult(model, losses, steps, result)`. Raises `TrainingDiverged` (a
    `jaxdyn.SolverFailure`, with the step and the last good model) on divergence.
    """
    n = check_data(data, "fit")
    optimizer = optax.adam(1e-3) if optimizer is None else optimizer
    (steps, checkpoint_every) = check_sizes("fit", steps=steps, checkpoint_every=checkpoint_every)
    batch_size = n if batch_size is None else check_sizes("fit", batch_size=batch_size)[0]
    if batch_size > n:
        raise ValueError(
            f"fit: expected batch_size <= {n} (the number of samples), got {batch_size}"
        )
    if until is not None:
        until = check_sizes("fit", until=until)[0]
    params, static = eqx.partition(model, eqx.is_inexact_array)
    state = (params, optimizer.init(params), jnp.asarray(0), jnp.full(steps, jnp.nan))
    path = None if checkpoint is None else Path(checkpoint)
    if path is not None and path.exists():
        state = eqx.tree_deserialise_leaves(path, state)

    def one_step(params, opt_state, data, k):
        indices = jax.random.choice(jax.random.fold_in(key, k), n, (batch_size,), replace=False)
        batch = jax.tree.map(lambda x: x[indices], data)
        extra = (k,) if loss_takes_step else ()
        value, grads = jax.value_and_grad(lambda p: loss(eqx.combine(p, static), batch, *extra))(
            params
        )
        updates, opt_state = optimizer.update(grads, opt_state, params)
        return optax.apply_updates(params, updates), opt_state, value

    @eqx.filter_jit
    def run_block(params, opt_state, data, first, length):
        # One compiled loop per checkpoint interval: no host round trip per step. After a
        # non-finite loss or update the state stops changing, so the block ends on the last
        # good one; that step's loss is recorded as NaN for the host to find.
        def body(carry, k):
            params, opt_state, healthy = carry
            new_params, new_opt_state, value = one_step(params, opt_state, data, k)
            finite = jnp.isfinite(value)
            for leaf in jax.tree.leaves(new_params):
                finite = finite & jnp.all(jnp.isfinite(leaf))
            healthy = healthy & finite
            value = jnp.where(finite, value, jnp.nan)

            def keep(new, old):
                return jax.tree.map(lambda a, b: jnp.where(healthy, a, b), new, old)

            return (keep(new_params, params), keep(new_opt_state, opt_state), healthy), value

        carry = (params, opt_state, jnp.asarray(True))
        (params, opt_state, _), values = jax.lax.scan(body, carry, first + jnp.arange(length))
        return params, opt_state, values

    params, opt_state, start, losses = state
    losses = np.asarray(losses).copy()
    data = jax.tree.map(jnp.asarray, data)
    stop = steps if until is None else min(int(until), steps)
    k = int(start)
    bar = HostProgress("fit", steps, k) if progress else None
    while k < stop:
        end = min(stop, (k // checkpoint_every + 1) * checkpoint_every)
        params, opt_state, values = run_block(params, opt_state, data, jnp.asarray(k), end - k)
        values = np.asarray(values)
        bad = ~np.isfinite(values)
        if bad.any():
            failed = k + int(np.argmax(bad))
            losses[k:failed] = values[: failed - k]
            _save(path, params, opt_state, failed, losses)
            if bar is not None:
                bar.close()
            model = eqx.combine(params, static)
            if not throw:
                return FitResult(model, jnp.asarray(losses), failed, RESULTS.nonfinite_loss)
            where = f"; the last good model is in {path}" if path else ""
            message = (
                f"fit: {RESULTS[RESULTS.nonfinite_loss]} at step {failed}{where}. Pass "
                "throw=False to get the last good model, or lower the learning rate"
            )
            raise TrainingDiverged(message, failed, model)
        losses[k:end] = values
        k = end
        _save(path, params, opt_state, k, losses)
        if bar is not None:
            bar.update(k, f"loss {losses[k - 1]:.4e}")
    if bar is not None:
        bar.close()
    return FitResult(eqx.combine(params, static), jnp.asarray(losses), max(stop, int(start)))


def _save(path, params, opt_state, step, losses):
    if path is None:
        return
    state = (params, opt_state, jnp.asarray(step), jnp.asarray(losses))
    write_atomic(path, lambda f: eqx.tree_serialise_leaves(f, state))
