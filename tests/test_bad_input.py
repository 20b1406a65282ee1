"""Every numeric argument of every public function, tried with the invalid values of its kind:
each must be refused with a one-line ValueError that names the argument.

The table maps a public callable to a valid call and the kind of each numeric argument. A
walk over the `__init__.py`s checks that every public callable with a numeric argument is in
the table (or named, with the reason, in NOT_CHECKED), so a new function cannot skip this.
"""

import inspect

import jax
import jax.numpy as jnp
import pytest

import jaxdyn as jd

sp, sy, im, nn, me, ta = jd.spectral, jd.systems, jd.implicit, jd.nn, jd.metrics, jd.tangent
fc = jd.forecasting
KEY = jax.random.PRNGKey(0)
# These calls are ill-typed on purpose: they test jaxdyn's own errors, which are what a user
# sees, so the test run's type checker stands aside.
pytestmark = pytest.mark.usefixtures("unchecked")

INVALID = {
    "positive": [0.0, -1.0, float("nan"), float("inf")],
    "positive_int": [0, -3, 1.5, float("nan")],
    "nonnegative": [-1.0, float("nan"), float("inf")],
    "nonnegative_int": [-1, 2.5],
    "finite": [float("nan"), float("inf")],
    "fraction": [0.0, -0.5, 1.5, float("nan")],
    "unit_interval": [-0.5, 1.5, float("nan")],
}

GRID = sp.FourierGrid(16)
X = GRID.mesh()[0]
SERIES = jnp.stack([jnp.sin(jnp.linspace(0, 6, 20)), jnp.cos(jnp.linspace(0, 6, 20))], axis=1)


def _square(z, t):
    return z**2 - t


def _quadratic(x, t):
    return jnp.sum((x - t) ** 2)


# callable: (valid positional args, valid keyword args, {argument: kind})
TABLE = {
    sp.FourierGrid: ((16,), {}, {"n": "positive_int", "length": "positive"}),
    sp.solve: (
        (sp.Burgers(), GRID, jnp.sin(X), 1.0), {"dt": 0.1},
        {"t1": "finite", "dt": "positive", "t0": "finite"},
    ),
    sp.ensemble: (
        (sp.Burgers(), GRID, jnp.sin(X)[None], 1.0), {"dt": 0.1},
        {"t1": "finite", "dt": "positive", "t0": "finite"},
    ),
    sp.abc_flow: (
        (sp.FourierGrid((8, 8, 8)),), {}, {"mode": "positive_int", "a": "finite", "b": "finite",
                                           "c": "finite"},
    ),
    sy.dataset: (
        ("Lorenz",), {"key": KEY},
        {"n_periods": "positive", "points_per_period": "positive_int",
         "n_initial_conditions": "positive_int", "train_fraction": "fraction",
         "noise": "nonnegative"},
    ),
    fc.context_parroting: (
        (SERIES, 3), {}, {"n_steps": "positive_int", "embedding": "positive_int"}
    ),
    fc.persistence: ((SERIES, 3), {}, {"n_steps": "positive_int"}),
    fc.protocol_b: (
        (["Lorenz"],), {"key": KEY},
        {"n_initial_conditions": "positive_int", "points_per_lyapunov_time": "positive_int",
         "n_context": "positive_int", "n_forecast": "positive_int", "threshold": "positive"},
    ),
    fc.protocol_a: (
        (["Lorenz"],), {"key": KEY},
        {"n_initial_conditions": "positive_int", "points_per_period": "positive_int",
         "n_train": "positive_int", "n_test": "positive_int"},
    ),
    fc.climatological_mean: ((SERIES, 3), {}, {"n_steps": "positive_int"}),
    fc.trained_neural_ode: (
        (SERIES, 3), {"key": KEY},
        {"n_steps": "positive_int", "training_steps": "positive_int", "segment": "positive_int",
         "width": "positive_int", "time_step": "positive"},
    ),
    fc.trained_plrnn: (
        (SERIES, 3), {"key": KEY, "sequence_length": 10},
        {"n_steps": "positive_int", "training_steps": "positive_int",
         "hidden_size": "positive_int", "sequence_length": "positive_int",
         "alpha": "unit_interval"},
    ),
    fc.validated_nvar: (
        (jnp.tile(SERIES, (3, 1)), 3), {},
        {"n_steps": "positive_int", "validation_fraction": "fraction"},
    ),
    sp.steady_state: (
        (sp.AllenCahn(), GRID, jnp.sin(X)), {}, {"tol": "nonnegative", "max_iter": "positive_int"}
    ),
    sp.lyapunov_spectrum: (
        (sp.KuramotoSivashinsky(), GRID, jnp.sin(X), 1.0), {"dt": 0.25},
        {"t1": "positive", "dt": "positive", "tau": "positive", "t_transient": "nonnegative",
         "n_exponents": "positive_int"},
    ),
    sp.shadowing_sensitivity: (
        (sp.KuramotoSivashinsky(), GRID, jnp.sin(X), lambda u: jnp.mean(u**2), 1.0),
        {"dt": 0.25, "segment": 0.5, "t_transient": 0.0, "n_unstable": 0},
        {"t1": "positive", "dt": "positive", "segment": "positive", "t_transient": "nonnegative"},
    ),
    sp.finite_difference_sensitivity: (
        (sp.KuramotoSivashinsky(), GRID, jnp.stack([jnp.sin(X), jnp.cos(X)]),
         lambda u: jnp.mean(u**2), 1.0), {"dt": 0.25, "t_transient": 0.0},
        {"t1": "positive", "dt": "positive", "t_transient": "nonnegative",
         "relative_step": "fraction"},
    ),
    sp.renyi_entropy: ((jnp.sin(X) + 2, GRID, 2.0), {}, {"alpha": "positive"}),
    sp.tsallis_entropy: ((jnp.sin(X) + 2, GRID, 2.0), {}, {"q": "finite"}),
    sp.modulation_instability: (
        (GRID, KEY), {}, {"amplitude": "positive", "noise": "nonnegative"}
    ),
    sp.modulation_instability_gain: ((jnp.ones(3),), {}, {"amplitude": "positive"}),
    sp.soliton: ((GRID,), {}, {"amplitude": "positive", "velocity": "finite"}),
    sy.trajectory: (
        (sy.Lorenz(), 1.0), {},
        {"t1": "finite", "n_points": "positive_int", "t_transient": "nonnegative",
         "rtol": "positive", "atol": "positive", "max_steps": "positive_int", "t0": "finite"},
    ),
    sy.delay_trajectory: (
        (sy.MackeyGlass(), 5.0), {},
        {"t1": "positive", "dt": "positive", "n_points": "positive_int",
         "t_transient": "nonnegative"},
    ),
    sy.ensemble: ((sy.Lorenz(), jnp.ones((2, 3)), 1.0), {}, {"t1": "finite"}),
    sy.equilibria: (
        (sy.Lorenz(), jnp.ones(3)), {}, {"tol": "nonnegative", "max_iter": "positive_int"}
    ),
    sy.periodic_orbit: (
        (sy.Lorenz(), jnp.ones(3), 1.0), {},
        {"period_guess": "positive", "n_steps": "positive_int", "tol": "nonnegative",
         "max_iter": "positive_int"},
    ),
    sy.flow_map: (
        (sy.Lorenz(), 0.1), {}, {"tau": "positive", "rtol": "positive", "atol": "positive"}
    ),
    sy.lyapunov_spectrum: (
        (sy.Lorenz(),), {},
        {"t1": "positive", "tau": "positive", "t_transient": "nonnegative",
         "n_exponents": "positive_int", "period": "positive", "rtol": "positive"},
    ),
    ta.lyapunov_spectrum_of_map: (
        (lambda y: 0.5 * y, jnp.ones(2), 10), {},
        {"n_steps": "positive_int", "n_exponents": "positive_int",
         "n_transient": "nonnegative_int", "time_per_step": "positive",
         "tangent_accuracy": "fraction"},
    ),
    ta.spread_limit: ((jnp.float32,), {}, {"tangent_accuracy": "fraction"}),
    sy.trace_identity: (
        (sy.Lorenz(),), {"t1": 1.0, "tau": 0.1},
        {"t1": "positive", "tau": "positive", "rtol": "positive"},
    ),
    sy.compute_invariants: (
        ("Lorenz",), {"key": KEY},
        {"n_initial_conditions": "positive_int", "n_periods": "positive"},
    ),
    sy.lyapunov_spectra: (
        (jax.vmap(lambda rho: sy.Lorenz(rho=rho))(jnp.array([28.0, 29.0])),),
        {"t1": 0.5, "tau": 0.1, "t_transient": 0.0},
        {"t1": "positive", "tau": "positive", "t_transient": "nonnegative",
         "n_exponents": "positive_int", "period": "positive", "rtol": "positive"},
    ),
    ta.covariant_lyapunov_vectors: (
        (lambda y: 0.5 * y, jnp.ones(2), 10), {},
        {"n_steps": "positive_int", "n_vectors": "positive_int", "n_transient": "nonnegative_int",
         "n_future": "positive_int", "time_per_step": "positive"},
    ),
    ta.shadowing_sensitivity: (
        (lambda y, t: 0.5 * y + t, lambda y, t: y[0], jnp.zeros(1), jnp.asarray(1.0)),
        {"n_segments": 3, "steps_per_segment": 2, "n_unstable": 0},
        {"n_segments": "positive_int", "steps_per_segment": "positive_int",
         "time_per_step": "positive", "n_transient": "nonnegative_int"},
    ),
    ta.linear_response: (
        (lambda y, t: jnp.stack([2 * y[0] + t, 0.5 * y[1]]), lambda y, t: y[0], jnp.zeros(2),
         jnp.asarray(1.0)),
        {"n_steps": 400, "correlation_steps": 5, "n_blocks": 2, "n_unstable": 1},
        {"n_steps": "positive_int", "correlation_steps": "positive_int",
         "time_per_step": "positive", "n_transient": "nonnegative_int",
         "n_blocks": "positive_int"},
    ),
    ta.finite_difference_sensitivity: (
        (lambda y, t: 0.5 * y + t, lambda y, t: y[0], jnp.zeros((2, 1)), jnp.asarray(1.0)),
        {"n_steps": 3},
        {"n_steps": "positive_int", "n_transient": "nonnegative_int",
         "relative_step": "fraction"},
    ),
    sy.finite_difference_sensitivity: (
        (sy.Lorenz(), lambda y: y[2]), {"n_orbits": 2, "t1": 1.0, "dt": 0.1, "t_transient": 0.0},
        {"n_orbits": "positive_int", "t1": "positive", "dt": "positive",
         "t_transient": "nonnegative", "relative_step": "fraction"},
    ),
    sy.linear_response: (
        (sy.Lorenz(), lambda y: y[2]),
        {"t1": 3.0, "dt": 0.1, "correlation_time": 0.2, "t_transient": 0.0, "n_unstable": 1,
         "n_blocks": 2},
        {"t1": "positive", "dt": "positive", "correlation_time": "positive",
         "t_transient": "nonnegative", "n_blocks": "positive_int"},
    ),
    sy.shadowing_sensitivity: (
        (sy.Lorenz(), lambda y: y[2]),
        {"t1": 3.0, "dt": 0.1, "segment": 1.0, "t_transient": 0.0, "n_unstable": 1},
        {"t1": "positive", "dt": "positive", "segment": "positive",
         "t_transient": "nonnegative", "rtol": "positive"},
    ),
    sy.max_lyapunov_sensitivity: (
        (sy.Lorenz(),), {"t1": 3.0, "dt": 0.1, "segment": 1.0, "t_transient": 0.0, "n_unstable": 1},
        {"t1": "positive", "dt": "positive", "segment": "positive",
         "t_transient": "nonnegative", "rtol": "positive"},
    ),
    ta.variational_flow_map: (
        (lambda t, y: -y, 1.0), {}, {"tau": "positive", "rtol": "positive", "atol": "positive"}
    ),
    ta.flow_map: (
        (lambda t, y: -y, 1.0), {}, {"tau": "positive", "rtol": "positive", "atol": "positive"}
    ),
    nn.lyapunov_spectrum: (
        (nn.PLRNN(2, 3, KEY), jnp.ones((4, 2)), 10), {},
        {"n_steps": "positive_int", "time_per_step": "positive", "n_exponents": "positive_int",
         "n_transient": "nonnegative_int"},
    ),
    sy.correlation_dimension: ((SERIES,), {}, {"n_radii": "positive_int"}),
    sy.delay_embed: ((SERIES[:, 0], 2, 1), {}, {"dim": "positive_int", "lag": "positive_int"}),
    sy.power_spectrum: ((SERIES[:, 0], 0.1), {}, {"dt": "positive"}),
    im.root_find: (
        (_square, jnp.ones(1), 2.0), {}, {"tol": "nonnegative", "max_iter": "positive_int"}
    ),
    im.fixed_point: (
        (lambda z, t: 0.5 * z + t, jnp.ones(1), 1.0), {},
        {"tol": "nonnegative", "max_iter": "positive_int"},
    ),
    im.argmin: (
        (_quadratic, jnp.ones(2), 1.0), {}, {"tol": "nonnegative", "max_iter": "positive_int"}
    ),
    im.QPLayer: ((), {}, {"tol": "positive", "max_iter": "positive_int"}),
    im.FixedPointLayer: (
        (lambda z, x: 0.5 * z + x, 2), {}, {"tol": "positive", "max_iter": "positive_int"}
    ),
    im.GradientDescent: ((), {}, {"learning_rate": "positive"}),
    nn.MLP: ((2, 1, 8, 2, KEY), {}, {"width": "positive_int", "depth": "positive_int"}),
    nn.DeepONet: ((4, 1, 8, 2, 3, KEY), {}, {"width": "positive_int", "depth": "positive_int"}),
    nn.FNO: (
        (1, 1, 4, 2, 1, KEY), {},
        {"width": "positive_int", "modes": "positive_int", "depth": "positive_int"},
    ),
    nn.SpectralConv: ((1, 1, 2, KEY), {}, {"modes": "positive_int"}),
    nn.NeuralODE: (
        (2, 8, 1, KEY), {},
        {"dim": "positive_int", "width": "positive_int", "depth": "positive_int"},
    ),
    nn.PINN: ((1, 8, 1, KEY), {}, {"width": "positive_int", "depth": "positive_int"}),
    nn.PLRNN: ((2, 4, KEY), {}, {"dim": "positive_int", "latent_size": "positive_int"}),
    nn.ShallowPLRNN: (
        (2, 4, 8, KEY), {},
        {"dim": "positive_int", "latent_size": "positive_int", "hidden_size": "positive_int"},
    ),
    nn.ALRNN: (
        (2, 4, 1, KEY), {},
        {"dim": "positive_int", "latent_size": "positive_int", "n_relu": "nonnegative_int"},
    ),
    nn.RandomFourierFeatures: ((2, 4, 1.0, KEY), {}, {"scale": "positive"}),
    nn.NVAR: (
        (2,), {}, {"dim": "positive_int", "delays": "positive_int", "skip": "positive_int",
                   "ridge": "nonnegative"},
    ),
    nn.EchoStateNetwork: (
        (2, 20, KEY), {},
        {"dim": "positive_int", "reservoir_size": "positive_int", "spectral_radius": "positive",
         "density": "fraction", "leak": "fraction", "ridge": "nonnegative",
         "washout": "nonnegative_int"},
    ),
    nn.DEQ: ((1, 4, 1, KEY), {}, {"tol": "positive", "max_iter": "positive_int"}),
    nn.gtf_loss: ((None, jnp.ones((1, 5, 2)), 0.5), {}, {"alpha": "unit_interval"}),
    me.normalized_error: ((SERIES, SERIES), {}, {"scale": "positive"}),
    me.valid_prediction_time: (
        (SERIES, SERIES), {},
        {"dt": "positive", "threshold": "positive", "lyapunov_exponent": "positive"},
    ),
    me.state_space_divergence: (
        (SERIES, SERIES), {}, {"bins": "positive_int", "smoothing": "positive"}
    ),
    me.power_spectrum_distance: ((SERIES, SERIES), {}, {"smoothing": "nonnegative"}),
}  # fmt: skip

# Public callables with a numeric argument that this table does not call, and why.
NOT_CHECKED = {
    "Problem": "a record built by spectral.problem",
    "PeriodicOrbit": "a result record",
    "SystemInfo": "a record of the dysts database",
    "ValidPredictionTime": "a result record",
    "Dataset": "a result record built by systems.dataset",
    "ComputedInvariants": "a result record built by systems.compute_invariants",
    "TraceIdentity": "a result record built by systems.trace_identity",
    "FitResult": "a result record",
    "check_converged": "takes tol and max_iter only to name them in its message",
    "AdvectionDiffusion": "any real velocity is valid (an equation parameter)",
    "KdV": "any real alpha is valid (an equation parameter)",
    "NLSE": "any real coefficients are valid (equation parameters)",
    "AbstractLatentRNN": "abstract",
    "correlation_sum": "points is data, not a count",
    "causal_loss": "points is data, not a count",
    "fit": "checked in tests/nn/test_training.py (needs a model and data)",
    "long_time_average": "takes shadowing_sensitivity's, linear_response's or "
    "finite_difference_sensitivity's arguments, checked there",
    "run_in_chunks": "checked in tests/test_io.py (needs a file and an advance function)",
}


def _gtf_model():
    return nn.PLRNN(2, 4, KEY)


def _cases():
    for function, (args, kwargs, kinds) in TABLE.items():
        for argument, kind in kinds.items():
            for value in INVALID[kind]:
                yield pytest.param(
                    function,
                    args,
                    kwargs,
                    argument,
                    value,
                    id=f"{function.__name__}-{argument}-{value}",
                )


CASES = list(_cases())


@pytest.mark.parametrize("function, args, kwargs, argument, value", CASES)
def test_invalid_value_is_refused_naming_the_argument(function, args, kwargs, argument, value):
    if function is nn.gtf_loss:
        args = (_gtf_model(), *args[1:])
    names = list(inspect.signature(function).parameters)
    position = names.index(argument)
    args = list(args)
    if position < len(args) and inspect.signature(function).parameters[argument].kind in (
        inspect.Parameter.POSITIONAL_ONLY,
        inspect.Parameter.POSITIONAL_OR_KEYWORD,
    ):
        args[position] = value
        call_kwargs = dict(kwargs)
    else:
        call_kwargs = dict(kwargs) | {argument: value}
    with pytest.raises(ValueError, match=argument) as caught:
        function(*args, **call_kwargs)
    assert "\n" not in str(caught.value)


def test_every_public_numeric_argument_is_covered():
    numeric = {name for kinds in (k for _, _, k in TABLE.values()) for name in kinds}
    covered = {f.__name__ for f in TABLE}
    missing = []
    for module in (sp, sy, im, nn, me, ta, fc, jd.io, jd.plot):
        for name in module.__dict__.get("__all__", dir(module)):
            obj = getattr(module, name, None)
            if name.startswith("_") or not callable(obj) or name in covered or name in NOT_CHECKED:
                continue
            if inspect.isclass(obj) and issubclass(obj, sy.AbstractSystem | sy.AbstractDelaySystem):
                continue  # catalog systems: parameters are equation values
            try:
                parameters = inspect.signature(obj).parameters
            except (TypeError, ValueError):
                continue
            if set(parameters) & numeric:
                missing.append(f"{module.__name__}.{name}")
    assert not missing, f"public callables with numeric arguments not in the table: {missing}"


def test_the_case_count_is_what_the_readme_states():
    from pathlib import Path

    readme = (Path(__file__).parent.parent / "README.md").read_text()
    assert f"{len(CASES)} invalid arguments" in readme, len(CASES)
