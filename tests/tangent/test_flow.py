"""The time-τ flow maps the tangent machinery differentiates: a first trial step that
overflows must not stall the solve."""

import diffrax
import jax
import jax.numpy as jnp
import numpy as np

import jaxdyn as jd

# A state on JerkCircuit's attractor from which one Tsit5 step of τ/4 (τ = period/10)
# overflows the diode's exp(y/y₀): diffrax then rejected every later step up to the limit.
STATE = (-1.8117883, 0.43989293, 1.4406081)
TAU = 1.94546


def test_an_overflowing_first_trial_step_does_not_stall_the_flow_map(x64):
    system = jd.systems.get("JerkCircuit")
    y = jnp.asarray(STATE)
    stalled = diffrax.diffeqsolve(
        diffrax.ODETerm(lambda t, y, args: system.rhs(t, y)), diffrax.Tsit5(), 0.0, TAU,
        TAU / 4, y, stepsize_controller=diffrax.PIDController(rtol=1e-9, atol=1e-9),
        max_steps=4096, throw=False,
    )  # fmt: skip
    assert int(stalled.stats["num_accepted_steps"]) == 0  # the hazard is still here
    end = jd.tangent.flow_map(system.rhs, TAU)(y)
    reference = jd.systems.trajectory(system, TAU, n_points=2, y0=y, rtol=1e-11).ys[-1]
    np.testing.assert_allclose(end, reference, rtol=1e-7)
    y_end, tangents = jd.tangent.variational_flow_map(system.rhs, TAU)(y, jnp.eye(3))
    np.testing.assert_allclose(y_end, reference, rtol=1e-7)
    jacobian = jax.jacrev(lambda y: jd.systems.trajectory(
        system, TAU, n_points=2, y0=y, rtol=1e-11).ys[-1])(y)  # fmt: skip
    np.testing.assert_allclose(tangents, jacobian, rtol=1e-5, atol=1e-7)
