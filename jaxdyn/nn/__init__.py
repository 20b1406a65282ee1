"""Pillar 4: trainable networks for dynamics — building blocks, neural operators, neural
ODEs, deep-equilibrium networks, piecewise-linear RNNs with generalized teacher forcing,
echo-state networks and physics-informed networks, all Equinox modules trained with optax
through `fit`."""

from ._deq import DEQ as DEQ
from ._layers import (
    MLP as MLP,
    PolyNorm as PolyNorm,
    PolyReLU as PolyReLU,
    RandomFourierFeatures as RandomFourierFeatures,
    SpectralConv as SpectralConv,
)
from ._lyapunov import lyapunov_spectrum as lyapunov_spectrum
from ._neural_ode import NeuralODE as NeuralODE, trajectory_loss as trajectory_loss
from ._nvar import NVAR as NVAR
from ._operators import FNO as FNO, DeepONet as DeepONet
from ._pinn import PINN as PINN, causal_loss as causal_loss, causal_weights as causal_weights
from ._plrnn import (
    ALRNN as ALRNN,
    PLRNN as PLRNN,
    AbstractLatentRNN as AbstractLatentRNN,
    ShallowPLRNN as ShallowPLRNN,
    gtf_alpha_bound as gtf_alpha_bound,
    gtf_loss as gtf_loss,
)
from ._reservoir import EchoStateNetwork as EchoStateNetwork
from ._training import (
    FitResult as FitResult,
    TrainingDiverged as TrainingDiverged,
    check_data as check_data,
    fit as fit,
)
