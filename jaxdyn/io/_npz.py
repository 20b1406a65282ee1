"""Atomic `.npz` files: a result is either fully written or not there at all."""

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import jax
import numpy as np


def save(path: str | os.PathLike, arrays: Mapping[str, object], **metadata: object) -> Path:
    """Write `arrays` (anything `np.asarray` takes, JAX arrays included) and scalar/str
    `metadata` to `path` as `.npz`.

    The file is written to a temporary name in the same folder, flushed to disk and renamed
    over `path` (`os.replace` is atomic on POSIX and Windows), so an interrupted save never
    leaves a half-written file behind.
    """
    path = Path(path)
    if path.suffix != ".npz":
        raise ValueError(f"save: expected a path ending in .npz, got {str(path)!r}")
    clash = set(arrays) & set(metadata)
    if clash:
        raise ValueError(f"save: names used for both arrays and metadata: {sorted(clash)}")
    content = {name: np.asarray(jax.device_get(a)) for name, a in arrays.items()}
    content |= {f"meta.{name}": np.asarray(value) for name, value in metadata.items()}
    return write_atomic(path, lambda f: np.savez(f, **content))


def write_text_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write `text` (UTF-8) to `path` atomically, as `save` does."""
    return write_atomic(Path(path), lambda f: f.write(text.encode()))


def write_atomic(path: str | os.PathLike, write) -> Path:
    """`write(file)` to a temporary file in the same folder, flush it to disk, and rename it
    over `path` (`os.replace` is atomic on POSIX and Windows). The file gets the permissions
    an ordinary `open` would give (0666 less the umask), not the temporary file's 0600, so
    results can be shared on a cluster."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def load(path: str | os.PathLike) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """Read a file written by `save`: `(arrays, metadata)`."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {k: data[k] for k in data.files if not k.startswith("meta.")}
        metadata = {k[5:]: data[k].item() for k in data.files if k.startswith("meta.")}
    return arrays, metadata


def _umask() -> int:
    mask = os.umask(0)  # reading the umask means setting it: put it straight back
    os.umask(mask)
    return mask
