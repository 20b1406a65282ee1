import jax
import pytest


@pytest.fixture
def x64():
    """Run a test in float64; jaxdyn itself never changes this global flag."""
    with jax.enable_x64(True):
        yield
