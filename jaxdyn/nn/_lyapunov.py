r"""Lyapunov spectra of trained networks run free: a reconstruction's invariants, to set beside
the true system's (the tangent-dynamics mechanism, `jaxdyn.tangent`, over the network's map)."""

import equinox as eqx
import jax.numpy as jnp
from jaxtyping import ArrayLike, Float

from .._checks import check_positive, check_shape, concrete_number
from .._solution import check_stats
from ..tangent import LyapunovSpectrum, flow_map, lyapunov_spectrum_of_map
from ._neural_ode import NeuralODE
from ._plrnn import AbstractLatentRNN
from ._reservoir import EchoStateNetwork


def lyapunov_spectrum(
    model: AbstractLatentRNN | EchoStateNetwork | NeuralODE,
    context: Float[ArrayLike, "time dim"],
    n_steps: int,
    *,
    time_per_step: float = 1.0,
    n_exponents: int | None = None,
    n_transient: int = 0,
    history: bool = False,
    throw: bool = True,
    progress: bool = False,
) -> LyapunovSpectrum:
    """The `n_exponents` largest Lyapunov exponents (default: as many as the data's dimension)
    of `model` run free, its state first set by the observed series `context`.

    The map whose tangent dynamics are followed (Benettin et al. 1980, QR every step):

    - PLRNN, shallow PLRNN, ALRNN: z ↦ step(z) in latent space, from the latent state that
      teacher forcing (α = 1) over `context` reaches;
    - EchoStateNetwork: the closed loop r ↦ (1 − α) r + α tanh(W r + W_in W_out φ(r) + b) in
      reservoir space, from the reservoir driven by `context`;
    - NeuralODE: the flow of its vector field over one `time_per_step`, from `context[-1]`.

    `time_per_step` is the data's sampling interval Δt, so the exponents are per unit time and
    compare with the true system's; `n_steps`, `n_transient`, `history`, `throw`, `progress`
    as for `jaxdyn.tangent.lyapunov_spectrum_of_map`.
    """
    what = "nn.lyapunov_spectrum"
    tau = check_positive(time_per_step, "time_per_step", what)
    if isinstance(model, AbstractLatentRNN):
        context, dim = check_shape(context, (None, model.dim), what, "context"), model.dim
    elif isinstance(model, EchoStateNetwork):
        context, dim = model._check(context, "lyapunov_spectrum", 1), model.dim
    elif isinstance(model, NeuralODE):
        dim = model.vector_field.layers[0].in_features
        context = check_shape(context, (None, dim), what, "context")
    else:
        raise ValueError(
            f"{what}: expected a PLRNN, ShallowPLRNN, ALRNN, EchoStateNetwork or NeuralODE, got "
            f"{type(model).__name__}"
        )
    k = (
        dim
        if n_exponents is None
        else concrete_number(n_exponents, "n_exponents", what, integer=True)
    )
    n_steps = check_positive(n_steps, "n_steps", what, integer=True)
    n_transient = check_positive(n_transient, "n_transient", what, integer=True, allow_zero=True)
    result = _spectrum(model, context, n_steps, k, n_transient, tau, bool(history), bool(progress))
    return check_stats(result.stats, result, what) if throw else result


@eqx.filter_jit
def _spectrum(model, context, n_steps, k, n_transient, tau, history, progress):
    # The map is built inside the compiled function, so that a second call reuses it.
    if isinstance(model, AbstractLatentRNN):
        step, start = model.step, model._forced_run(context, 1.0)[1][-1]
    elif isinstance(model, EchoStateNetwork):

        def step(r):
            return model._update(r, model._readout(r))

        start = model._drive((context - model.mean) / model.std)[-1]
    else:
        rtol = max(model.tolerance, 10 * float(jnp.finfo(context.dtype).eps))
        vector_field = lambda t, y: model.vector_field(y)  # noqa: E731
        step, start = flow_map(vector_field, tau, rtol=rtol, atol=rtol), context[-1]
    return lyapunov_spectrum_of_map(
        step, start, n_steps, n_exponents=k, n_transient=n_transient, time_per_step=tau,
        history=history, throw=False, progress=progress,
    )  # fmt: skip
