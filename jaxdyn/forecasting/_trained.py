"""Forecasters that learn from the context alone, as the dysts benchmark fits its models to
each series: a neural ODE, a shallow PLRNN trained by generalized teacher forcing, and NVAR
with its hyperparameters chosen on a validation split of the context. Each standardises the
context, fits the `jaxdyn.nn` model with `jaxdyn.nn.fit`, and forecasts closed loop."""

import itertools

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
import optax
from jaxtyping import Array, ArrayLike, Float, PRNGKeyArray

from .._checks import check_positive, check_unit_interval
from .._results import RESULTS, SolverFailure
from ..metrics import smape
from ..nn import NVAR, NeuralODE, ShallowPLRNN, fit, gtf_loss, trajectory_loss
from ..nn._ridge import standardised  # the one standardisation the nn models fit on
from ._baselines import check_context

_BATCH = 32


def _windows(series, length, stride=1):
    """Every stretch of `length` consecutive states, starting every `stride`."""
    starts = np.arange(0, series.shape[0] - length + 1, stride)
    return series[starts[:, None] + np.arange(length)]


def trained_neural_ode(
    context: Float[ArrayLike, "time dim"],
    n_steps: int,
    *,
    key: PRNGKeyArray,
    training_steps: int = 1000,
    segment: int = 10,
    width: int = 64,
    time_step: float = 0.05,
) -> Float[Array, "n_steps dim"]:
    """A neural ODE dz/dt = f_θ(z) (`nn.NeuralODE`, MLP of two hidden layers of `width`,
    tanh) fitted to the standardised context z_t, sampled `time_step` apart, by the mean
    squared error of its trajectories over every stretch of `segment` + 1 consecutive states
    (minibatches of 32, Adam with a cosine-decayed rate from 3e-3, `training_steps` steps);
    then integrated from the last context state for `n_steps` samples. Short stretches keep
    the loss free of the exponential divergence a long chaotic rollout would bring.

    Raises `nn.TrainingDiverged` when training diverges and diffrax's step-limit error when
    the learned field blows up during the forecast (both `RuntimeError`s: the benchmarks
    record them as failed runs).
    """
    what = "trained_neural_ode"
    training_steps = check_positive(training_steps, "training_steps", what, integer=True)
    segment = check_positive(segment, "segment", what, integer=True)
    width = check_positive(width, "width", what, integer=True)
    time_step = check_positive(time_step, "time_step", what)
    context, n_steps = check_context(context, n_steps, what, minimum=segment + 2)
    series, mean, std = standardised(context)
    model_key, batch_key = jax.random.split(key)
    model = NeuralODE(context.shape[1], width, 2, model_key, tolerance=1e-4)
    times = jnp.arange(segment + 1, dtype=series.dtype) * time_step
    segments = _windows(series, segment + 1)
    trained = fit(
        model, lambda m, batch: trajectory_loss(m, times, batch), segments,
        steps=training_steps, key=batch_key, batch_size=min(_BATCH, segments.shape[0]),
        optimizer=optax.adam(optax.cosine_decay_schedule(3e-3, training_steps)),
        checkpoint_every=training_steps,
    ).model  # fmt: skip
    horizon = jnp.arange(n_steps + 1, dtype=series.dtype) * time_step
    return trained(horizon, series[-1])[1:] * std + mean


def trained_plrnn(
    context: Float[ArrayLike, "time dim"],
    n_steps: int,
    *,
    key: PRNGKeyArray,
    training_steps: int = 5000,
    hidden_size: int = 50,
    sequence_length: int = 60,
    alpha: float = 0.1,
) -> Float[Array, "n_steps dim"]:
    """A clipped shallow PLRNN (`nn.ShallowPLRNN`, latent state = the standardised
    observation, `hidden_size` hidden units) trained by generalized teacher forcing of
    strength `alpha` (`nn.gtf_loss`; Hess et al., ICML 2023) on stretches of
    `sequence_length` + 1 states starting every 5 (minibatches of 16, RAdam decaying from
    3e-3 to 3e-5 over `training_steps`); then run free from the last context state.

    The linear part starts at A = 0.99 I, not the network's default draw in [0.5, 0.9]: at
    tens of samples per period the map is close to the identity. The clipped form keeps
    every free-running orbit bounded, so its forecasts cannot blow up.
    """
    what = "trained_plrnn"
    training_steps = check_positive(training_steps, "training_steps", what, integer=True)
    hidden_size = check_positive(hidden_size, "hidden_size", what, integer=True)
    sequence_length = check_positive(sequence_length, "sequence_length", what, integer=True)
    alpha = check_unit_interval(alpha, "alpha", what, include_zero=True)
    context, n_steps = check_context(context, n_steps, what, minimum=sequence_length + 1)
    series, mean, std = standardised(context)
    model_key, batch_key = jax.random.split(key)
    dim = context.shape[1]
    model = ShallowPLRNN(dim, dim, hidden_size, model_key, clipped=True)
    model = eqx.tree_at(lambda m: m.diagonal, model, jnp.full(dim, 0.99, series.dtype))
    sequences = _windows(series, sequence_length + 1, stride=5)
    trained = fit(
        model, lambda m, batch: gtf_loss(m, batch, alpha), sequences, steps=training_steps,
        key=batch_key, batch_size=min(16, sequences.shape[0]),
        optimizer=optax.radam(optax.exponential_decay(3e-3, training_steps, 1e-2)),
        checkpoint_every=training_steps,
    ).model  # fmt: skip
    return trained.generate(series[-1], n_steps) * std + mean


# (delays, skip, ridge): the paper's Lorenz setting first, then longer memories, coarser
# delays and stronger regularisation, which tame the closed loop of most catalog systems.
NVAR_CANDIDATES = tuple(itertools.product((2, 3), (1, 5), (2.5e-6, 1e-4, 1e-2)))


def validated_nvar(
    context: Float[ArrayLike, "time dim"],
    n_steps: int,
    *,
    validation_fraction: float = 0.2,
) -> Float[Array, "n_steps dim"]:
    """NVAR (`nn.NVAR`, Gauthier et al. 2021) with (delays, skip, ridge) chosen among
    `NVAR_CANDIDATES` on a validation split, as dysts tuned its models: each candidate is
    fitted to the first 1 − `validation_fraction` of the context and forecasts the rest
    closed loop, and on for `n_steps` more; the one with the lowest sMAPE over the held-out
    part forecasts `n_steps` from the end of the context (the validated model itself: a
    refit to the whole context can lose the stability that was checked). A candidate whose closed
    loop leaves the context's range widened by its width on each side within that horizon
    is unstable and not chosen, however well it starts: the quadratic features of NVAR
    extrapolate, and a loop that leaves the attractor diverges. If no candidate stays
    bounded, the first (the paper's setting) is used; a forecast that still turns
    non-finite raises `jaxdyn.SolverFailure` rather than returning NaN.
    """
    what = "validated_nvar"
    fraction = check_unit_interval(validation_fraction, "validation_fraction", what)
    if not fraction < 1:
        raise ValueError(f"{what}: expected validation_fraction < 1, got {fraction}")
    context, n_steps = check_context(context, n_steps, what, minimum=24)
    forecast = validated_nvar_forecasts(context[None], n_steps, fraction)[0]
    if not bool(jnp.all(jnp.isfinite(forecast))):
        raise SolverFailure(
            f"{what}: {RESULTS[RESULTS.nonfinite_state]} (no candidate's closed loop stayed "
            "bounded, and the fallback diverged)", RESULTS.nonfinite_state, what,
        )  # fmt: skip
    return forecast


# Twice the longest look-back: enough windows for the ridge fit of every candidate.
_NVAR_FIT_LENGTH = 2 * max((delays - 1) * skip + 1 for delays, skip, _ in NVAR_CANDIDATES)


def validated_nvar_forecasts(contexts, n_steps, fraction=0.2):
    """`validated_nvar` of each of a batch of contexts (batch, time, dim): every candidate
    fitted and run for the whole batch in one compiled call (one per (delays, skip): the
    ridge is an array), the choice made on the device; a diverged forecast is returned
    non-finite (the caller decides)."""
    held_out = max(1, int(round(fraction * contexts.shape[1])))
    fitting, validation = contexts[:, :-held_out], contexts[:, -held_out:]
    if fitting.shape[1] < _NVAR_FIT_LENGTH:
        raise ValueError(
            f"validated_nvar: expected a context whose first part (1 − validation_fraction) "
            f"holds at least {_NVAR_FIT_LENGTH} states, got {fitting.shape[1]}"
        )
    low, high = jnp.min(contexts, axis=1), jnp.max(contexts, axis=1)
    low, high = low - (high - low), high + (high - low)
    scores, forecasts = [], []
    for delays, skip, ridge in NVAR_CANDIDATES:
        model = NVAR(contexts.shape[2], delays=delays, skip=skip, ridge=ridge)
        starts = ((fitting, held_out + n_steps), (contexts, n_steps))
        loop, forecast = fitted_forecasts(stacked([model] * contexts.shape[0]), fitting, starts)
        # False for NaN: a loop that leaves the widened range, or blows up, is never chosen.
        bounded = jnp.all((loop >= low[:, None]) & (loop <= high[:, None]), axis=(1, 2))
        scores.append(jnp.where(bounded, jax.vmap(smape)(validation, loop[:, :held_out]), jnp.inf))
        forecasts.append(forecast)
    best = jnp.argmin(jnp.stack(scores), axis=0)  # the first candidate when none is bounded
    return jnp.stack(forecasts)[best, jnp.arange(contexts.shape[0])]


def stacked(models: list[eqx.Module]) -> eqx.Module:
    """Modules of one structure as one, each array field stacked along a new leading axis:
    the batch that `fitted_forecasts` maps over."""
    arrays = [eqx.filter(model, eqx.is_array) for model in models]
    rest = eqx.filter(models[0], eqx.is_array, inverse=True)
    return eqx.combine(jax.tree.map(lambda *leaves: jnp.stack(leaves), *arrays), rest)


@eqx.filter_jit
def fitted_forecasts(models, fitting, starts):
    """For each batch member b: model b of `models` (a `stacked` batch) fitted to
    `fitting[b]`, then run closed loop `n` steps after `context[b]` for each `(context, n)`
    in `starts`. Vmapped: one compiled program serves the batch. Returns one
    (batch, n, dim) array per start."""

    def one(model, fit_on, starts):
        fitted = model.fit(fit_on)
        return tuple(fitted.forecast(context, n) for context, n in starts)

    return eqx.filter_vmap(one)(models, fitting, starts)
