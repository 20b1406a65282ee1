"""Long runs in chunks: each finished chunk is saved atomically, and an interrupted run
resumes from the last saved chunk to the same numbers as an uninterrupted one."""

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .._progress import HostProgress
from ._npz import load, save

# advance(state, t_start, t_end, n_save) -> (ts, ys, final_state, num_steps, failure):
# ts and ys include both ends; failure is "" for a good chunk, else what went wrong and when.
Advance = Callable[[np.ndarray, float, float, int], tuple]


def run_in_chunks(
    path: str | os.PathLike,
    advance: Advance,
    state0: np.ndarray,
    t0: float,
    t1: float,
    *,
    n_chunks: int,
    saves_per_chunk: int,
    config: dict,
    resume: bool = False,
    progress: bool = False,
) -> tuple[dict[str, np.ndarray], dict[str, object]]:
    """Integrate from `t0` to `t1` in `n_chunks` equal chunks, rewriting `path` (an `.npz`
    written by `save`, atomically) after each: all saved times and states so far, the
    final state, and `config` with the progress (`chunks_done`, `complete`, `num_steps`,
    `failure`: empty, or what stopped the run). With `resume`, a run already in `path`
    continues where it stopped; its `config` must equal this one (`ValueError` naming the
    first difference). The chunk
    boundaries depend only on (t0, t1, n_chunks), so a resumed run reproduces an
    uninterrupted one bit for bit. Returns `(arrays, metadata)` as `load` does.
    """
    path = Path(path)
    if n_chunks < 1 or saves_per_chunk < 2:
        raise ValueError(
            f"run_in_chunks: expected n_chunks >= 1 and saves_per_chunk >= 2, got "
            f"{n_chunks} and {saves_per_chunk}"
        )
    config = {**config, "t0": float(t0), "t1": float(t1), "n_chunks": int(n_chunks)}
    config["saves_per_chunk"] = int(saves_per_chunk)
    boundaries = np.linspace(t0, t1, n_chunks + 1)
    done, ts, ys, state = 0, [], [], np.asarray(state0)
    num_steps = 0
    if resume and path.exists():
        arrays, meta = load(path)
        _check_same_run(config, meta, path)
        if meta["complete"]:
            return arrays, meta
        done, num_steps = int(meta["chunks_done"]), int(meta["num_steps"])
        ts, ys, state = [arrays["ts"]], [arrays["ys"]], arrays["state"]
    elif resume:
        raise ValueError(f"--resume: {path} does not exist; start the run without --resume")
    bar = HostProgress("chunks", n_chunks, done) if progress else None
    for chunk in range(done, n_chunks):
        start, end = boundaries[chunk], boundaries[chunk + 1]
        chunk_ts, chunk_ys, state, steps, failure = advance(state, start, end, saves_per_chunk)
        first = 0 if chunk == 0 else 1  # a chunk's first save repeats the previous one's last
        ts.append(np.asarray(chunk_ts)[first:])
        ys.append(np.asarray(chunk_ys)[first:])
        num_steps += int(steps)
        save(
            path, {"ts": np.concatenate(ts), "ys": np.concatenate(ys), "state": state},
            **config, chunks_done=chunk + 1, complete=(chunk + 1 == n_chunks) and not failure,
            num_steps=num_steps, failure=failure,
        )  # fmt: skip
        if bar is not None:
            bar.update(chunk + 1, f"t = {end:g}")
        if failure:
            break
    if bar is not None:
        bar.close()
    return load(path)


def _check_same_run(config, meta, path) -> None:
    for key, value in config.items():
        if key not in meta or meta[key] != value:
            raise ValueError(
                f"--resume: {path} holds a different run ({key} = {meta.get(key)!r} there, "
                f"{value!r} here)"
            )
