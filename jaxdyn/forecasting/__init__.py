"""The forecasting layer (above the pillars, beside `bench`): baselines that learn nothing, the
trainable models fitted to one series (neural ODE, shallow PLRNN + GTF, validated NVAR), and
the benchmarks over the catalog: the dysts paper's protocol A and the zero-shot protocol B
(`jaxdyn forecast-bench`). The datasets are
`jaxdyn.systems.dataset`; the trainable models live in `jaxdyn.nn`."""

from ._baselines import (
    climatological_mean as climatological_mean,
    context_parroting as context_parroting,
    persistence as persistence,
)
from ._benchmark import (
    MODELS as MODELS,
    format_summary as format_summary,
    protocol_a as protocol_a,
    protocol_b as protocol_b,
    summarize as summarize,
)
from ._trained import (
    NVAR_CANDIDATES as NVAR_CANDIDATES,
    trained_neural_ode as trained_neural_ode,
    trained_plrnn as trained_plrnn,
    validated_nvar as validated_nvar,
)
