"""Nonlinear vector autoregression: the "next generation reservoir computer"."""

import equinox as eqx
import jax
import jax.numpy as jnp
import numpy as np
from jaxtyping import Array, ArrayLike, Float

from .._checks import check_positive, narrowed_input
from .._integrate import fixed_step_loop
from .._precision import highest_precision
from ._ridge import check_fitted, ridge_regression, standardised


class NVAR(eqx.Module):
    """Nonlinear vector autoregression (Gauthier et al., Nat. Commun. 12, 5564, 2021):

        x_{t+1} = x_t + W [1, O_lin(t), O_quad(t)],
        O_lin(t) = (x_t, x_{t−s}, …, x_{t−(k−1)s}),  O_quad = the unique products of O_lin's
        components (d k (d k + 1)/2 of them),

    with W fitted by ridge regression on the increments of standardised data (the paper's
    Lorenz setting: k = 2 delays, skip s = 1, λ = 2.5e-6, Δt = 0.025). With
    `quadratic=False` the features are [1, O_lin] only: a linear vector autoregression of
    order k (the linear baseline of the forecasting benchmarks).

    **Arguments:** `dim` (d), `delays` (k ≥ 1), `skip` (s ≥ 1), `ridge` (λ ≥ 0),
    `quadratic`, `dtype`.
    """

    readout: Float[Array, "dim features"]
    mean: Float[Array, " dim"]
    std: Float[Array, " dim"]
    delays: int = eqx.field(static=True)
    skip: int = eqx.field(static=True)
    ridge: Float[Array, ""]  # an array: a new λ reuses the compiled fit
    quadratic: bool = eqx.field(static=True)

    def __init__(self, dim: int, *, delays: int = 2, skip: int = 1, ridge: float = 2.5e-6,
                 quadratic: bool = True, dtype=None):  # fmt: skip
        what = "NVAR"
        dim = check_positive(dim, "dim", what, integer=True)
        self.delays = check_positive(delays, "delays", what, integer=True)
        self.skip = check_positive(skip, "skip", what, integer=True)
        ridge = check_positive(ridge, "ridge", what, allow_zero=True)
        if not isinstance(quadratic, bool):
            raise ValueError(f"{what}: expected quadratic True or False, got {quadratic!r}")
        self.quadratic = quadratic
        dtype = jnp.result_type(float) if dtype is None else dtype
        linear = dim * self.delays
        products = linear * (linear + 1) // 2 if quadratic else 0
        self.readout = jnp.zeros((dim, 1 + linear + products), dtype)
        self.ridge = jnp.asarray(ridge, dtype)
        self.mean, self.std = jnp.zeros(dim, dtype), jnp.ones(dim, dtype)

    @property
    def dim(self) -> int:
        return self.mean.shape[0]

    @property
    def history(self) -> int:
        """States a prediction looks back over: (k − 1) s + 1."""
        return (self.delays - 1) * self.skip + 1

    def _features(self, window: Float[Array, "history dim"]) -> Float[Array, " features"]:
        linear = window[::-1][:: self.skip].reshape(-1)  # x_t, x_{t−s}, … (newest first)
        constant = jnp.ones(1, linear.dtype)
        if not self.quadratic:
            return jnp.concatenate([constant, linear])
        i, j = np.triu_indices(linear.size)
        return jnp.concatenate([constant, linear, linear[i] * linear[j]])

    def _windows(self, us):
        starts = np.arange(us.shape[0] - self.history + 1)[:, None]
        return us[starts + np.arange(self.history)]

    def _check(self, ys, what, minimum):
        ys = narrowed_input(ys, f"NVAR.{what}", "the data")
        if ys.ndim != 2 or ys.shape[1] != self.dim or ys.shape[0] < minimum:
            raise ValueError(
                f"NVAR.{what}: expected an array of shape (time >= {minimum}, {self.dim}), "
                f"got {ys.shape}"
            )
        return eqx.error_if(ys, ~jnp.all(jnp.isfinite(ys)), f"NVAR.{what}: non-finite data")

    @highest_precision
    def fit(self, ys: Float[ArrayLike, "time dim"]) -> "NVAR":
        """The model with W fitted to the increments ys[t+1] − ys[t] (standardised)."""
        ys = self._check(ys, "fit", self.history + 1)
        us, mean, std = standardised(ys)
        windows = self._windows(us[:-1])
        features = jax.vmap(self._features)(windows)
        increments = us[self.history :] - us[self.history - 1 : -1]
        readout = ridge_regression(features, increments, self.ridge)
        return eqx.tree_at(lambda m: (m.readout, m.mean, m.std), self, (readout, mean, std))

    @highest_precision
    def forecast(
        self, context: Float[ArrayLike, "time dim"], n_steps: int
    ) -> Float[Array, "n_steps dim"]:
        """The `n_steps` states after `context` (at least `history` states), run closed loop."""
        context = self._check(context, "forecast", self.history)
        n_steps = check_positive(n_steps, "n_steps", "NVAR.forecast", integer=True)
        check_fitted(self.readout, "NVAR.forecast")
        window = ((context - self.mean) / self.std)[-self.history :]

        def step(window, n):
            nxt = window[-1] + self.readout @ self._features(window)
            return jnp.concatenate([window[1:], nxt[None]])

        predicted, _, _ = fixed_step_loop(
            step, window, n_pre=1, n_per_save=1, n_saves=n_steps,
            observe=lambda window: window[-1], remat=False,
        )  # fmt: skip
        return predicted * self.std + self.mean
