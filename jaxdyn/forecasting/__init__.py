"""The forecasting layer (above the pillars, beside `bench`): baselines that learn nothing and
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
