"""Delay embedding, correlation dimension and power spectra against known answers."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import jaxdyn.systems as sy


@pytest.mark.usefixtures("unchecked")  # includes a deliberately ill-shaped call
def test_delay_embedding_by_hand():
    x = jnp.arange(6.0)
    np.testing.assert_array_equal(sy.delay_embed(x, 3, 2), [[0, 2, 4], [1, 3, 5]])
    with pytest.raises(ValueError, match="too short"):
        sy.delay_embed(x, 4, 2)
    with pytest.raises(ValueError, match="1D series"):
        sy.delay_embed(jnp.ones((3, 2)), 2, 1)


def test_correlation_sum_by_hand():
    points = jnp.array([[0.0], [1.0], [3.0]])  # pair distances 1, 2, 3
    np.testing.assert_allclose(
        sy.correlation_sum(points, jnp.array([0.5, 1.5, 2.5, 3.5])), [0, 1 / 3, 2 / 3, 1]
    )


@pytest.mark.parametrize("dim", [1, 2])
def test_correlation_dimension_of_uniform_sets(dim):
    points = jax.random.uniform(jax.random.PRNGKey(0), (3000, dim))
    np.testing.assert_allclose(sy.correlation_dimension(points), dim, atol=0.07)


def test_correlation_dimension_of_the_lorenz_attractor(x64):
    # 2.05 ± 0.01: Grassberger & Procaccia, Phys. Rev. Lett. 50, 346 (1983).
    ys = sy.trajectory(sy.Lorenz(beta=8 / 3), 520.0, t_transient=20.0, n_points=3000).ys
    np.testing.assert_allclose(sy.correlation_dimension(ys), 2.05, rtol=0.03)


def test_power_spectrum_peaks_at_the_frequency_and_integrates_to_the_variance(x64):
    dt, n, f0, amplitude = 0.01, 4000, 2.5, 3.0
    t = jnp.arange(n) * dt
    x = amplitude * jnp.sin(2 * np.pi * f0 * t)
    freqs, power = sy.power_spectrum(x, dt)
    assert abs(float(freqs[jnp.argmax(power)]) - f0) <= 1 / (n * dt)
    np.testing.assert_allclose(jnp.sum(power) * (freqs[1] - freqs[0]), amplitude**2 / 2, rtol=0.01)
    _, channels = sy.power_spectrum(jnp.stack([x, 2 * x], axis=1), dt)
    np.testing.assert_allclose(channels[:, 1], 4 * channels[:, 0], rtol=1e-12)


def test_catalog_lookup():
    assert {"Lorenz", "Rossler"} <= set(sy.names())
    assert float(sy.get("Lorenz", rho=30.0).rho) == 30.0
    with pytest.raises(ValueError, match="closest: Lorenz"):
        sy.get("Lorentz")
    with pytest.raises(ValueError, match="no parameter"):
        sy.get("Lorenz", gamma=1.0)
