import jax
import pytest


@pytest.fixture
def x64():
    """Run a test in float64; jaxdyn itself never changes this global flag."""
    with jax.enable_x64(True):
        yield


@pytest.fixture
def unchecked():
    """Turn off the test run's jaxtyping/beartype checks for a test that passes deliberately
    ill-typed arguments: it tests jaxdyn's own ValueErrors, which are what a user sees (the
    type checker runs in the test suite only)."""
    import jaxtyping

    jaxtyping.config.update("jaxtyping_disable", True)
    try:
        yield
    finally:
        jaxtyping.config.update("jaxtyping_disable", False)
