"""Grids split over devices (2D and 3D slabs, 3D pencils): distributed FFTs, `solve` with
ETDRK4 and the diagnostics equal the one-device results to 1e-12, and the compiled step holds
all-to-all transposes but never an all-gather of the state. Run on 4 and 8 forced host
devices in subprocesses, so that the rest of the suite keeps one device."""

import jax.numpy as jnp
import pytest

import jaxdyn.spectral as sp
from tests.helpers import run_on_forced_host_devices

SPLIT = """
import jax, jax.numpy as jnp, numpy as np
jax.config.update("jax_enable_x64", True)
import jaxdyn.spectral as sp
from jaxdyn.spectral import _solve

meshes = {4: [(4,), (2, 2)], 8: [(8,), (2, 4)]}[jax.device_count()]
one = sp.FourierGrid((16, 16, 16))
u = jax.random.normal(jax.random.PRNGKey(0), (3, 16, 16, 16))
pde = sp.NavierStokes3D(viscosity=0.01)
u0 = jnp.asarray(sp.taylor_green_vortex(one)) + 0.01 * u
reference = sp.solve(pde, one, u0, 0.4, dt=0.05, saveat=3)
k_ref, spectrum_ref = sp.energy_spectrum(reference.ys[-1], one)
for mesh in meshes:
    grid = sp.FourierGrid((16, 16, 16), device_mesh=mesh)
    split = grid.place(u)
    assert len(split.sharding.device_set) == jax.device_count()
    forward = jax.jit(lambda v: grid.fft(v, True))(split)
    exact = np.fft.rfftn(np.asarray(u), axes=(1, 2, 3))
    assert np.max(np.abs(np.asarray(forward) - exact)) < 1e-12
    back = jax.jit(lambda w: grid.ifft(w, True))(forward)
    assert np.max(np.abs(np.asarray(back) - np.asarray(u))) < 1e-13
    complex_hat = np.asarray(jax.jit(lambda v: grid.fft(v, False))(split.astype(complex)))
    assert np.max(np.abs(complex_hat - np.fft.fftn(np.asarray(u), axes=(1, 2, 3)))) < 1e-12

    solution = sp.solve(pde, grid, u0, 0.4, dt=0.05, saveat=3)  # ETDRK4, state split
    assert np.max(np.abs(np.asarray(solution.ys) - np.asarray(reference.ys))) < 1e-12
    assert len(solution.ys.sharding.device_set) == jax.device_count()  # saves stay split
    _, spectrum = sp.energy_spectrum(solution.ys[-1], grid)
    assert np.max(np.abs(np.asarray(spectrum) - np.asarray(spectrum_ref))) < 1e-12
    rate = pde.dissipation_rate(solution.ys, grid)
    rate_ref = pde.dissipation_rate(reference.ys, one)
    assert np.max(np.abs(np.asarray(rate) - np.asarray(rate_ref))) < 1e-12

    road, arguments = _solve._plan(u0.dtype, 0.4, 0.05, "ETDRK4", 0.0, 3, None, None, None, "t")
    lowered = _solve._solve.lower(road, grid.place(u0), pde, grid, arguments, False)
    text = lowered.lowered.compile().as_text()
    assert "all-to-all" in text and "all-gather" not in text, mesh
    print("split", mesh, "ok")
# 2D slabs: the halved axis (n_y/2 + 1 modes) is padded to a multiple of the devices.
for shape in [(16, 16), (32, 24)]:
    one = sp.FourierGrid(shape)
    grid = sp.FourierGrid(shape, device_mesh=(jax.device_count(),))
    u = jax.random.normal(jax.random.PRNGKey(1), (2, *shape))
    forward = np.asarray(jax.jit(lambda v: grid.fft(v, True))(grid.place(u)))
    exact = np.fft.rfftn(np.asarray(u), axes=(1, 2))
    assert np.max(np.abs(forward[..., : exact.shape[-1]] - exact)) < 1e-12
    assert not np.any(forward[..., exact.shape[-1] :])  # the padding slots stay zero
    back = jax.jit(lambda w: grid.ifft(w, True))(jnp.asarray(forward))
    assert np.max(np.abs(np.asarray(back) - np.asarray(u))) < 1e-13
    pde = sp.NavierStokes2D(viscosity=1e-2, forcing_amplitude=0.5, forcing_mode=2)
    w0 = sp.random_field(jax.random.PRNGKey(2), one, peak_wavenumber=3.0)
    reference = sp.solve(pde, one, w0, 0.5, dt=0.01, saveat=3)
    solution = sp.solve(pde, grid, w0, 0.5, dt=0.01, saveat=3)
    assert np.max(np.abs(np.asarray(solution.ys) - np.asarray(reference.ys))) < 1e-12
    _, spectrum_ref = sp.energy_spectrum(reference.ys[-1], one)
    _, spectrum = sp.energy_spectrum(solution.ys[-1], grid)
    assert np.max(np.abs(np.asarray(spectrum) - np.asarray(spectrum_ref))) < 1e-12
    enstrophy = sp.enstrophy(solution.ys[-1], grid) - sp.enstrophy(reference.ys[-1], one)
    assert abs(float(enstrophy)) < 1e-10
    road, arguments = _solve._plan(w0.dtype, 0.5, 0.01, "ETDRK4", 0.0, 3, None, None, None, "t")
    lowered = _solve._solve.lower(road, grid.place(w0), pde, grid, arguments, False)
    text = lowered.lowered.compile().as_text()
    assert "all-to-all" in text and "all-gather" not in text, shape
    print("split", shape, "ok")
# float32 (what a TPU runs): the split slab solve keeps one device's float32 accuracy.
with jax.enable_x64(False):
    grid = sp.FourierGrid((16, 16, 16), device_mesh=(jax.device_count(),))
    one = sp.FourierGrid((16, 16, 16))
    u0_32 = jnp.asarray(sp.abc_flow(one, 1, 1.0, 0.7, 0.4), jnp.float32)
    pde32 = sp.NavierStokes3D(viscosity=0.1)
    split32 = sp.solve(pde32, grid, u0_32, 2.0, dt=0.05).ys[-1]
    exact = np.exp(-0.2) * np.asarray(u0_32)
    assert split32.dtype == jnp.float32
    assert np.max(np.abs(np.asarray(split32) - exact)) < 5e-6, np.max(np.abs(split32 - exact))
    print("split float32 ok")
try:
    sp.FourierGrid((10, 16, 16), device_mesh=(8,) if jax.device_count() == 8 else (4,))
except ValueError as error:
    assert "x size 10 must divide" in str(error), error
else:
    raise AssertionError("a grid that does not divide by the mesh was accepted")
"""


@pytest.mark.parametrize("n_devices", [4, 8])
def test_split_grid_equals_one_device(n_devices):
    stdout = run_on_forced_host_devices(SPLIT, n_devices)
    assert stdout.count(" ok") == 5


def test_bad_meshes_are_refused():
    with pytest.raises(ValueError, match="needs that many, but 1 are present"):
        sp.FourierGrid((16, 16, 16), device_mesh=(4,))
    with pytest.raises(ValueError, match="needs a grid of at least 2 dimensions"):
        sp.FourierGrid(16, device_mesh=(1,))
    with pytest.raises(ValueError, match="needs a grid of at least 3 dimensions"):
        sp.FourierGrid((16, 16), device_mesh=(1, 1))
    with pytest.raises(ValueError, match=r"device counts \(P,\) or \(Px, Py\)"):
        sp.FourierGrid((16, 16, 16), device_mesh=(1, 1, 1))
    with pytest.raises(ValueError, match=r"device counts \(P,\) or \(Px, Py\)"):
        sp.FourierGrid((16, 16, 16), device_mesh=(0,))


def test_an_ensemble_cannot_also_split_a_split_grid():
    grid = sp.FourierGrid((16, 16, 16), device_mesh=(1,))
    u0s = jnp.zeros((2, 3, 16, 16, 16))
    with pytest.raises(ValueError, match="split over a device mesh"):
        sp.ensemble(sp.NavierStokes3D(), grid, u0s, 1.0, dt=0.1)
