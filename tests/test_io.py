import jax.numpy as jnp
import numpy as np
import pytest

from jaxdyn import io


def test_save_and_load_round_trip(tmp_path):
    path = io.save(tmp_path / "run.npz", {"ys": jnp.arange(6.0).reshape(2, 3)}, name="ks", dt=0.25)
    arrays, meta = io.load(path)
    np.testing.assert_array_equal(arrays["ys"], np.arange(6.0).reshape(2, 3))
    assert meta == {"name": "ks", "dt": 0.25}


def test_an_interrupted_save_leaves_neither_a_partial_file_nor_debris(tmp_path, monkeypatch):
    target = tmp_path / "run.npz"
    io.save(target, {"ys": np.zeros(3)})

    def broken_savez(f, **arrays):
        f.write(b"half a file")
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(KeyboardInterrupt):
        io.save(target, {"ys": np.ones(3)})
    assert [p.name for p in tmp_path.iterdir()] == ["run.npz"]
    np.testing.assert_array_equal(io.load(target)[0]["ys"], np.zeros(3))  # the old result survives


def test_bad_paths_and_clashing_names_are_rejected(tmp_path):
    with pytest.raises(ValueError, match=".npz"):
        io.save(tmp_path / "run.txt", {"a": 1})
    with pytest.raises(ValueError, match="both arrays and metadata"):
        io.save(tmp_path / "run.npz", {"a": 1}, a=2)


def test_chunked_runs_draw_progress(tmp_path, capfd):
    def advance(state, start, end, n_save):
        ts = np.linspace(start, end, n_save)
        return ts, np.zeros((n_save, 1)), state, 1, ""

    io.run_in_chunks(
        tmp_path / "r.npz", advance, np.zeros(1), 0.0, 1.0, n_chunks=3, saves_per_chunk=2,
        config={}, progress=True,
    )  # fmt: skip
    err = capfd.readouterr().err
    assert "chunks" in err and "3/3" in err
