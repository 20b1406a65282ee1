"""Two processes on the loopback interface (`jax.distributed`, CPU collectives by gloo), each
with two forced host devices: a sharded ensemble and a slab-split 3D Navier–Stokes solve run
on the four devices with unchanged code and equal the one-process results; a process that
dies makes the other fail with the distributed service's message within its heartbeat
timeout, never hang."""

import os
import socket
import subprocess
import sys

import jax
import jax.numpy as jnp
import numpy as np

import jaxdyn as jd

WORKER = """
import os, sys
process_id, port, out, mode = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
import jax
jax.config.update("jax_cpu_collectives_implementation", "gloo")
jax.config.update("jax_num_cpu_devices", 2)
jax.distributed.initialize(f"127.0.0.1:{port}", num_processes=2, process_id=process_id,
                           initialization_timeout=120, heartbeat_timeout_seconds=10)
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp, numpy as np
from jax.experimental import multihost_utils
import jaxdyn as jd

assert jax.device_count() == 4 and jax.local_device_count() == 2
if mode == "lost" and process_id == 1:
    os._exit(3)  # dies without a word, as a preempted host would
sy, sp = jd.systems, jd.spectral
y0s = sy.Lorenz().default_ic() + 0.1 * jnp.arange(6.0)[:, None]
ensemble = sy.ensemble(sy.Lorenz(), y0s, 2.0, n_points=3).ys
grid = sp.FourierGrid((16, 16, 16), device_mesh=(4,))
u0 = jnp.asarray(sp.taylor_green_vortex(grid))
split = sp.solve(sp.NavierStokes3D(viscosity=0.01), grid, u0, 0.4, dt=0.05, saveat=3).ys
np.savez(f"{out}/{process_id}.npz",
         ensemble=multihost_utils.process_allgather(ensemble, tiled=True),
         split=multihost_utils.process_allgather(split, tiled=True))
print("done", process_id)
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launch(tmp_path, mode):
    port, env = str(_free_port()), os.environ.copy()
    env.pop("XLA_FLAGS", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(i), port, str(tmp_path), mode],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )  # fmt: skip
        for i in range(2)
    ]
    results = []
    for process in processes:
        try:
            out, err = process.communicate(timeout=240)
        except subprocess.TimeoutExpired:
            for p in processes:
                p.kill()
            raise AssertionError("a process hung past the timeout") from None
        results.append((process.returncode, out, err))
    return results


def test_two_processes_equal_one(tmp_path, x64):
    results = _launch(tmp_path, "run")
    for code, out, err in results:
        assert code == 0 and "done" in out, err[-3000:]
    sy, sp = jd.systems, jd.spectral
    y0s = sy.Lorenz().default_ic() + 0.1 * jnp.arange(6.0)[:, None]
    ensemble = np.stack([sy.trajectory(sy.Lorenz(), 2.0, y0=y, n_points=3).ys for y in y0s])
    grid = sp.FourierGrid((16, 16, 16))
    u0 = jnp.asarray(sp.taylor_green_vortex(grid))
    split = sp.solve(sp.NavierStokes3D(viscosity=0.01), grid, u0, 0.4, dt=0.05, saveat=3).ys
    for i in range(2):
        stored = np.load(tmp_path / f"{i}.npz")
        assert np.max(np.abs(stored["ensemble"] - ensemble)) < 1e-10
        assert np.max(np.abs(stored["split"] - np.asarray(split))) < 1e-12
    assert jax.device_count() == 1  # the suite itself keeps one device


def test_a_lost_process_makes_the_other_fail_not_hang(tmp_path):
    (code, _, err), (lost_code, _, _) = _launch(tmp_path, "lost")
    assert lost_code == 3
    assert code != 0
    assert "another task died" in err or "unhealthy" in err, err[-3000:]
