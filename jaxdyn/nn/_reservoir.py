r"""Echo-state network (reservoir computer) for forecasting dynamical systems.

r_{t+1} = (1 − α) r_t + α tanh(W r_t + W_in u_t + b),   û_{t+1} = W_out φ(r_{t+1}),
with a fixed random sparse reservoir W scaled to spectral radius ρ, and only the linear
readout W_out trained, by ridge regression on φ(r) = (r, r²) (the squared copy breaks the
tanh reservoir's odd symmetry; Pathak et al., Chaos 27, 121102, 2017). Forecasts run closed
loop: the prediction is fed back as the next input (Jaeger & Haas, Science 304, 2004).
"""

import warnings

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, ArrayLike, Float, PRNGKeyArray

from .._checks import (
    check_positive,
    check_sizes,
    check_unit_interval,
    concrete_number,
    narrowed_input,
)
from .._integrate import fixed_step_loop
from .._precision import highest_precision
from ._ridge import check_fitted, ridge_regression, standardised


class EchoStateNetwork(eqx.Module):
    """An echo-state network for a `dim`-dimensional series.

    **Arguments:** `dim`, `reservoir_size`, `key`; `spectral_radius` ρ of W (0.9),
    `density` of W (0.05), `input_scale` of W_in (0.5, on standardised inputs), `leak` α
    (1), `bias_scale` (0.2), `ridge` λ of the readout fit (1e-5), `washout` steps dropped
    before fitting (100).

    `fit(ys)` returns the fitted network; `forecast(context, n_steps)` warms the reservoir
    up on `context` and returns the `n_steps` states that follow it.
    """

    input_weights: Float[Array, "n dim"]
    reservoir: Float[Array, "n n"]
    bias: Float[Array, " n"]
    readout: Float[Array, "dim features"]
    mean: Float[Array, " dim"]
    std: Float[Array, " dim"]
    leak: float = eqx.field(static=True)
    ridge: float = eqx.field(static=True)
    washout: int = eqx.field(static=True)

    def __init__(
        self,
        dim: int,
        reservoir_size: int,
        key: PRNGKeyArray,
        *,
        spectral_radius: float = 0.9,
        density: float = 0.05,
        input_scale: float = 0.5,
        leak: float = 1.0,
        bias_scale: float = 0.2,
        ridge: float = 1e-5,
        washout: int = 100,
        dtype=None,
    ):
        what = "EchoStateNetwork"
        dim, reservoir_size = check_sizes(what, dim=dim, reservoir_size=reservoir_size)
        leak = check_unit_interval(leak, "leak", what)
        density = check_unit_interval(density, "density", what)
        spectral_radius = check_positive(spectral_radius, "spectral_radius", what)
        input_scale = check_positive(input_scale, "input_scale", what)
        bias_scale = check_positive(bias_scale, "bias_scale", what, allow_zero=True)
        ridge = check_positive(ridge, "ridge", what, allow_zero=True)
        washout = concrete_number(washout, "washout", what, integer=True)
        if washout < 0:
            raise ValueError(f"{what}: expected washout >= 0, got {washout}")
        dtype = jnp.result_type(float) if dtype is None else dtype
        k_in, k_w, k_mask, k_b = jax.random.split(key, 4)
        n = reservoir_size
        w, radius = _sparse_reservoir(k_w, k_mask, n, density, dtype)
        self.reservoir = (spectral_radius / radius * w).astype(dtype)
        self.input_weights = input_scale * jax.random.uniform(k_in, (n, dim), dtype, -1.0, 1.0)
        self.bias = bias_scale * jax.random.uniform(k_b, (n,), dtype, -1.0, 1.0)
        self.readout = jnp.zeros((dim, 2 * n), dtype)
        self.mean, self.std = jnp.zeros(dim, dtype), jnp.ones(dim, dtype)
        self.leak, self.ridge, self.washout = float(leak), float(ridge), int(washout)

    @property
    def dim(self) -> int:
        return self.input_weights.shape[1]

    def _update(self, r, u):
        drive = self.reservoir @ r + self.input_weights @ u + self.bias
        return (1 - self.leak) * r + self.leak * jnp.tanh(drive)

    def _features(self, r):
        return jnp.concatenate([r, r**2])

    def _readout(self, r):
        return self.readout @ self._features(r)

    def _drive(self, us):
        """Reservoir states after each standardised input of `us` (time, dim)."""

        def step(r, u):
            r = self._update(r, u)
            return r, r

        r0 = jnp.zeros(self.reservoir.shape[0], self.reservoir.dtype)
        return jax.lax.scan(step, r0, us)[1]

    def _check(self, ys, what, minimum):
        ys = narrowed_input(ys, f"EchoStateNetwork.{what}", "the data")
        if ys.ndim != 2 or ys.shape[1] != self.dim or ys.shape[0] < minimum:
            raise ValueError(
                f"EchoStateNetwork.{what}: expected an array of shape (time >= {minimum}, "
                f"{self.dim}), got {ys.shape}"
            )
        return ys

    @highest_precision
    def fit(self, ys: Float[ArrayLike, "time dim"]) -> "EchoStateNetwork":
        """The network with its readout fitted to predict ys[t+1] from ys[..t] (ridge
        regression after the washout). Raises on non-finite data."""
        ys = self._check(ys, "fit", self.washout + 2)
        ys = eqx.error_if(ys, ~jnp.all(jnp.isfinite(ys)), "EchoStateNetwork.fit: non-finite data")
        us, mean, std = standardised(ys)
        states = self._drive(us[:-1])[self.washout :]
        features = jax.vmap(self._features)(states)
        targets = us[1 + self.washout :]
        readout = ridge_regression(features, targets, self.ridge)
        return eqx.tree_at(lambda m: (m.readout, m.mean, m.std), self, (readout, mean, std))

    @highest_precision
    def forecast(
        self, context: Float[ArrayLike, "time dim"], n_steps: int
    ) -> Float[Array, "n_steps dim"]:
        """Drive the reservoir with `context`, then run `n_steps` steps closed loop; returns
        the predicted states after the context."""
        context = self._check(context, "forecast", 1)
        n_steps = check_positive(n_steps, "n_steps", "EchoStateNetwork.forecast", integer=True)
        check_fitted(self.readout, "EchoStateNetwork.forecast")
        context = eqx.error_if(
            context,
            ~jnp.all(jnp.isfinite(context)),
            "EchoStateNetwork.forecast: non-finite context",
        )
        us = (context - self.mean) / self.std
        r = self._drive(us)[-1]

        def step(state, n):
            r, u = state
            r = self._update(r, u)
            return r, self._readout(r)

        predicted, _, _ = fixed_step_loop(
            step, (r, self._readout(r)), n_pre=0, n_per_save=1, n_saves=n_steps,
            observe=lambda state: state[1], remat=False,
        )  # fmt: skip
        return predicted * self.std + self.mean


_RESAMPLES = 20


def _sparse_reservoir(k_w, k_mask, n, density, dtype):
    """A sparse Gaussian matrix with a nonzero spectral radius, and that radius. A small sparse
    matrix can be nilpotent (spectral radius 0: scaling it would divide by zero); such a draw is
    replaced by the next from `fold_in(k_w, attempt)`, with a warning, since the network then
    differs from the one the key alone would give."""
    for attempt in range(_RESAMPLES):
        if attempt:
            k_w, k_mask = jax.random.split(jax.random.fold_in(k_w, attempt))
        w = jax.random.normal(k_w, (n, n), dtype) * (jax.random.uniform(k_mask, (n, n)) < density)
        radius = jnp.max(jnp.abs(jnp.linalg.eigvals(w)))
        if isinstance(radius, jax.core.Tracer):  # built inside a trace: check at run time
            return w, eqx.error_if(radius, ~(radius > 0), "EchoStateNetwork: nilpotent reservoir")
        if float(radius) > 1e-6:
            if attempt:
                warnings.warn(
                    f"EchoStateNetwork: the reservoir drawn from this key is nilpotent (spectral "
                    f"radius 0 at density {density}); used redraw {attempt} (fold_in(key, "
                    f"{attempt})). Raise density or reservoir_size to avoid this.",
                    stacklevel=3,
                )
            return w, radius
    raise ValueError(
        f"EchoStateNetwork: {_RESAMPLES} reservoirs of {n} units at density {density} were all "
        "nilpotent (spectral radius 0); expected a larger density or reservoir_size"
    )
