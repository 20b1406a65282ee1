r"""Piecewise-linear recurrent networks for dynamical systems reconstruction, trained with
generalized teacher forcing.

- PLRNN:  z_{t+1} = A z_t + W φ(z_t) + h, A diagonal, W with zero diagonal, φ = ReLU
  (Durstewitz, PLoS Comput. Biol. 13, 2017);
- shallow PLRNN:  z_{t+1} = A z_t + W₁ φ(W₂ z_t + h₂) + h₁ (Hess et al., ICML 2023);
- almost-linear RNN:  z_{t+1} = A z_t + W φ*(z_t) + h, φ* = ReLU on the last P units only,
  identity on the others (Brenner et al., "Almost-Linear RNNs Yield Highly Interpretable
  Symbolic Codes", 2024).

Observations are the first `dim` latent units (identity observation model). Generalized
teacher forcing (GTF; Hess et al. 2023): during training the latent state is pulled toward
the data, z̃_t = (1 − α) z_t + α ẑ_t, with ẑ_t the latent state with its observed part
replaced by the data; α = 1 is classical teacher forcing, α = 0 free running.
"""

import abc

import equinox as eqx
import jax
import jax.numpy as jnp
from jaxtyping import Array, Float, PRNGKeyArray

from .._checks import check_positive, check_shape, check_sizes, check_unit_interval, concrete_number
from .._integrate import fixed_step_loop
from .._precision import highest_precision


class AbstractLatentRNN(eqx.Module):
    """z_{t+1} = step(z_t) with observations x_t = z_t[:dim]; subclasses give `step`."""

    dim: eqx.AbstractVar[int]
    diagonal: eqx.AbstractVar[Float[Array, " latent"]]

    @abc.abstractmethod
    def step(self, z: Float[Array, " latent"]) -> Float[Array, " latent"]:
        """One step of the latent map."""

    @property
    def latent_size(self) -> int:
        return self.diagonal.shape[0]

    def _initial(self, x0):
        x0 = check_shape(x0, (self.dim,), type(self).__name__, "x0")
        return jnp.concatenate([x0, jnp.zeros(self.latent_size - self.dim, x0.dtype)])

    def generate(self, x0: Float[Array, " dim"], n_steps: int) -> Float[Array, "n_steps dim"]:
        """Free-running generation from the observation x0 (unobserved units start at 0):
        the `n_steps` observations that follow."""

        n_steps = check_positive(
            n_steps, "n_steps", f"{type(self).__name__}.generate", integer=True
        )
        xs, _, _ = fixed_step_loop(
            lambda z, n: self.step(z), self._initial(x0), n_pre=1, n_per_save=1,
            n_saves=n_steps, observe=lambda z: z[: self.dim], remat=False,
        )  # fmt: skip
        return xs

    def forced_predictions(self, xs: Float[Array, "time dim"], alpha) -> Float[Array, "time-1 dim"]:
        """One-step predictions of xs[1:] under generalized teacher forcing with strength
        α ∈ [0, 1]: before each step the observed part of the latent state is moved a
        fraction α toward the data."""
        return self._forced_run(xs, alpha)[1][:, : self.dim]

    def _forced_run(self, xs, alpha) -> tuple[Array, Array]:
        """The forced latent states z̃_t (z_t with its observed part (1 − α) z_t + α x_t),
        t = 0 … T − 2, and the states F(z̃_t) they step to."""
        xs = check_shape(xs, (None, self.dim), type(self).__name__, "xs")

        def advance(z, x):
            forced = z.at[: self.dim].set((1 - alpha) * z[: self.dim] + alpha * x)
            z = self.step(forced)
            return z, (forced, z)

        return jax.lax.scan(advance, self._initial(xs[0]), xs[:-1])[1]


def gtf_loss(
    model: AbstractLatentRNN, sequences: Float[Array, "batch time dim"], alpha
) -> Float[Array, ""]:
    """Mean squared one-step error of generalized teacher forcing over a batch of data
    sequences (Hess et al., ICML 2023). `alpha` may be traced: a schedule (see
    `fit(..., loss_takes_step=True)`) or `gtf_alpha_bound` recomputed per batch."""
    sequences = check_shape(sequences, (None, None, model.dim), "gtf_loss", "sequences")
    alpha = check_unit_interval(alpha, "alpha", "gtf_loss", include_zero=True)
    predictions = jax.vmap(lambda xs: model.forced_predictions(xs, alpha))(sequences)
    return jnp.mean((predictions - sequences[:, 1:]) ** 2)


def gtf_alpha_bound(
    model: AbstractLatentRNN, sequences: Float[Array, "batch time dim"]
) -> Float[Array, ""]:
    """The forcing strength that keeps GTF gradients bounded: α* = max(0, 1 − 1/G), with G
    the largest (over sequences) geometric mean of the Jacobian spectral norms ‖∂F/∂z‖₂
    along the teacher-forced states. With α ≥ α*, the forced Jacobian products
    ∏ (1 − α) J_t stay bounded, so gradients cannot explode on chaotic data (Hess et al.,
    ICML 2023 — their "adaptive GTF" estimate). Not differentiated through."""
    model = jax.lax.stop_gradient(model)

    def log_norms(xs):
        states = model._forced_run(xs, 1.0)[0]
        jacobians = jax.vmap(jax.jacfwd(model.step))(states)
        return jnp.mean(jnp.log(jnp.linalg.norm(jacobians, ord=2, axis=(1, 2))))

    growth = jnp.exp(jnp.max(jax.vmap(log_norms)(sequences)))
    return jnp.maximum(0.0, 1.0 - 1.0 / growth)


def _diagonal(key, n):
    return jax.random.uniform(key, (n,), minval=0.5, maxval=0.9)


class PLRNN(AbstractLatentRNN):
    """z_{t+1} = A z_t + W ReLU(z_t) + h (A diagonal, W off-diagonal)."""

    diagonal: Float[Array, " latent"]
    weights: Float[Array, "latent latent"]
    bias: Float[Array, " latent"]
    dim: int = eqx.field(static=True)

    def __init__(self, dim: int, latent_size: int, key: PRNGKeyArray):
        dim, latent_size = check_sizes("PLRNN", dim=dim, latent_size=latent_size)
        if latent_size < dim:
            raise ValueError(f"PLRNN: expected latent_size >= dim = {dim}, got {latent_size}")
        k1, k2 = jax.random.split(key)
        self.dim = dim
        self.diagonal = _diagonal(k1, latent_size)
        self.weights = (
            0.1 * jax.random.normal(k2, (latent_size, latent_size)) / jnp.sqrt(latent_size)
        )
        self.bias = jnp.zeros(latent_size)

    @highest_precision
    def step(self, z):
        off_diagonal = self.weights - jnp.diag(jnp.diag(self.weights))
        return self.diagonal * z + off_diagonal @ jax.nn.relu(z) + self.bias


class ShallowPLRNN(AbstractLatentRNN):
    """z_{t+1} = A z_t + W₁ ReLU(W₂ z_t + h₂) + h₁, with a hidden layer of `hidden_size`.

    `clipped=True`: z_{t+1} = A z_t + W₁ [ReLU(W₂ z_t + h₂) − ReLU(W₂ z_t)] + h₁, whose
    nonlinear part is bounded, so with |A| < 1 every orbit stays bounded — long free runs
    cannot blow up (Hess et al., ICML 2023; the default of their experiments)."""

    diagonal: Float[Array, " latent"]
    w1: Float[Array, "latent hidden"]
    w2: Float[Array, "hidden latent"]
    hidden_bias: Float[Array, " hidden"]
    bias: Float[Array, " latent"]
    dim: int = eqx.field(static=True)
    clipped: bool = eqx.field(static=True)

    def __init__(
        self,
        dim: int,
        latent_size: int,
        hidden_size: int,
        key: PRNGKeyArray,
        *,
        clipped: bool = False,
    ):
        dim, latent_size, hidden_size = check_sizes(
            "ShallowPLRNN", dim=dim, latent_size=latent_size, hidden_size=hidden_size
        )
        if latent_size < dim:
            raise ValueError(
                f"ShallowPLRNN: expected latent_size >= dim = {dim}, got {latent_size}"
            )
        k1, k2, k3 = jax.random.split(key, 3)
        self.dim = dim
        self.diagonal = _diagonal(k1, latent_size)
        # Small W₁: the untrained map is close to the stable linear part A z.
        self.w1 = 0.1 * jax.random.normal(k2, (latent_size, hidden_size)) / jnp.sqrt(hidden_size)
        self.w2 = jax.random.normal(k3, (hidden_size, latent_size)) / jnp.sqrt(latent_size)
        self.hidden_bias = jnp.zeros(hidden_size)
        self.bias = jnp.zeros(latent_size)
        self.clipped = clipped

    @highest_precision
    def step(self, z):
        hidden = jax.nn.relu(self.w2 @ z + self.hidden_bias)
        if self.clipped:
            hidden = hidden - jax.nn.relu(self.w2 @ z)
        return self.diagonal * z + self.w1 @ hidden + self.bias


class ALRNN(AbstractLatentRNN):
    """Almost-linear RNN: z_{t+1} = A z_t + W φ*(z_t) + h, φ* the identity on the first
    latent_size − P units and ReLU on the last P (`n_relu`)."""

    diagonal: Float[Array, " latent"]
    weights: Float[Array, "latent latent"]
    bias: Float[Array, " latent"]
    dim: int = eqx.field(static=True)
    n_relu: int = eqx.field(static=True)

    def __init__(self, dim: int, latent_size: int, n_relu: int, key: PRNGKeyArray):
        dim, latent_size = check_sizes("ALRNN", dim=dim, latent_size=latent_size)
        n_relu = concrete_number(n_relu, "n_relu", "ALRNN", integer=True)
        if latent_size < dim or not 0 <= n_relu <= latent_size:
            raise ValueError(
                f"ALRNN: expected dim <= latent_size and 0 <= n_relu <= latent_size, got "
                f"{dim}, {latent_size}, {n_relu}"
            )
        k1, k2 = jax.random.split(key)
        self.dim, self.n_relu = dim, n_relu
        self.diagonal = _diagonal(k1, latent_size)
        self.weights = (
            0.1 * jax.random.normal(k2, (latent_size, latent_size)) / jnp.sqrt(latent_size)
        )
        self.bias = jnp.zeros(latent_size)

    @highest_precision
    def step(self, z):
        linear = z.shape[0] - self.n_relu
        phi = jnp.concatenate([z[:linear], jax.nn.relu(z[linear:])])
        off_diagonal = self.weights - jnp.diag(jnp.diag(self.weights))
        return self.diagonal * z + off_diagonal @ phi + self.bias
