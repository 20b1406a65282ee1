"""`spectral.ensemble`: a batch of runs equals a loop of `solve`, member by member, on one
device and split over four forced host devices, where the compiled program must hold no
collective (in particular no all-gather of the state, which plain vmap compiles to)."""

import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn as jd
from tests.helpers import run_on_forced_host_devices

sp = jd.spectral
GRID = sp.FourierGrid(32, 22.0)
X = GRID.mesh()[0]


def _initial_states(n):
    (x,) = GRID.mesh()  # in the precision of the test (float64 under the x64 fixture)
    return jnp.stack([jnp.cos(2 * jnp.pi * x / 22) * (1 + 0.1 * k) for k in range(n)])


def test_ensemble_equals_a_loop_of_solve_member_by_member(x64):
    pde, u0s = sp.KuramotoSivashinsky(), _initial_states(3)
    sol = sp.ensemble(pde, GRID, u0s, 2.0, dt=0.05, saveat=3)
    loop = [sp.solve(pde, GRID, u, 2.0, dt=0.05, saveat=3) for u in u0s]
    assert sol.ys.shape == (3, 3, 32) and sol.ts.shape == (3, 3)
    assert np.max(np.abs(np.asarray(sol.ys) - np.stack([s.ys for s in loop]))) < 1e-12
    assert np.all(np.asarray(sol.stats.num_steps) == 40) and bool(jnp.all(sol.ok))


def test_ensemble_takes_diffrax_solvers(x64):
    import diffrax

    pde, u0s = sp.Burgers(), _initial_states(2)
    sol = sp.ensemble(pde, GRID, u0s, 1.0, dt=0.01, method=diffrax.Tsit5(), rtol=1e-8)
    one = sp.solve(pde, GRID, u0s[1], 1.0, dt=0.01, method=diffrax.Tsit5(), rtol=1e-8)
    assert np.max(np.abs(np.asarray(sol.ys[1]) - np.asarray(one.ys))) < 1e-12


def test_a_failed_member_is_reported_and_raised():
    # A huge amplitude overflows float32 in the first nonlinear products.
    pde = sp.KuramotoSivashinsky()
    u0s = _initial_states(2) * jnp.array([[1.0], [1e30]])
    sol = sp.ensemble(pde, GRID, u0s, 5.0, dt=0.05, throw=False)
    assert list(np.asarray(sol.ok)) == [True, False]
    assert bool(sol.stats.blew_up[1]) and np.isfinite(float(sol.stats.blowup_time[1]))
    with pytest.raises(jd.SolverFailure, match="ensemble"):
        sp.ensemble(pde, GRID, u0s, 5.0, dt=0.05)


@pytest.mark.parametrize(
    "u0s, match",
    [
        (jnp.sin(X), r"u0s of shape \(batch, \*\(32,\)\)"),
        (jnp.sin(X)[None, :16], r"u0s of shape"),
        (jnp.zeros((0, 32)), r"batch >= 1"),
        (jnp.sin(X)[None] * 1j, "real field"),
        (jnp.full((2, 32), jnp.nan), "u0s: expected finite"),
    ],
)
def test_bad_initial_states_are_refused(u0s, match):
    with pytest.raises(ValueError, match=match):
        sp.ensemble(sp.Burgers(), GRID, u0s, 1.0, dt=0.1)


def test_solve_points_a_batch_to_ensemble():
    with pytest.raises(ValueError, match="spectral.ensemble integrates batches"):
        sp.solve(sp.Burgers(), GRID, _initial_states(2), 1.0, dt=0.1)


SHARDED = """
import jax, jax.numpy as jnp, numpy as np
jax.config.update("jax_enable_x64", True)
import jaxdyn as jd
from jaxdyn._sharding import shard_batch
from jaxdyn.spectral import _solve

sp = jd.spectral
assert jax.device_count() == 4
grid, pde = sp.FourierGrid(64, 22.0), sp.KuramotoSivashinsky()
x = grid.mesh()[0]
u0s = jnp.stack([jnp.cos(2 * jnp.pi * x / 22) * (1 + 0.1 * k) + 0.1 * jnp.sin(x + k)
                 for k in range(6)])  # 6 members: padded to 8, two per device
sol = sp.ensemble(pde, grid, u0s, 5.0, dt=0.05, saveat=3)
loop = np.stack([sp.solve(pde, grid, u, 5.0, dt=0.05, saveat=3).ys for u in u0s])
assert sol.ys.shape == (6, 3, 64)
error = np.max(np.abs(np.asarray(sol.ys) - loop))
assert error < 1e-12, error

road, arguments = _solve._plan(u0s.dtype, 5.0, 0.05, "ETDRK4", 0.0, 3, None, None, None, "t")
padded, mesh = shard_batch(u0s, 6)
compiled = _solve._ensemble.lower(road, padded, pde, grid, arguments, False, mesh)
text = compiled.lowered.compile().as_text()
collectives = [c for c in ("all-gather", "all-to-all", "all-reduce", "collective-permute")
               if c in text]
assert not collectives, collectives
# The control: plain vmap over the same batch-sharded array gathers it around the FFTs.
naive = jax.jit(jax.vmap(lambda u: road(u, pde, grid, *arguments, False)))
assert "all-gather" in naive.lower(padded).compile().as_text()
print("no collectives; error", error)
"""


def test_sharded_ensemble_has_no_collectives_and_equals_the_loop():
    stdout = run_on_forced_host_devices(SHARDED, 4)
    assert "no collectives" in stdout
