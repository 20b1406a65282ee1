"""Progress meters for compiled loops: a tqdm bar when tqdm is installed (a widget in Jupyter
with ipywidgets, else a text bar, which renders in notebooks and terminals alike), else one
updating line on stderr. Updated through `jax.debug.callback`
about a hundred times per run, never once per step."""

import functools
import sys

import diffrax
import jax
import numpy as np

_BARS: dict[str, object] = {}


def _tqdm():
    try:
        from tqdm.std import tqdm
    except ImportError:  # optional dependency: degrade to a plain line
        return None
    try:  # Jupyter's widget bar needs ipywidgets; without it tqdm.auto would warn in every
        import ipywidgets  # noqa: F401  cell, while the text bar renders fine in a notebook
        from tqdm.auto import tqdm
    except ImportError:
        pass
    return tqdm


def _report(label: str, total: int, count) -> None:
    count = int(np.max(count))  # vmapped loops report every member: show the furthest
    tqdm = _tqdm()
    if tqdm is None:
        end = "\n" if count >= total else ""
        print(f"\r{label}: {100 * count / total:5.1f}%  step {count} / {total}", end=end,
              file=sys.stderr)  # fmt: skip
        return
    bar = _BARS.get(label)
    if bar is None or bar.n > count:
        bar = _BARS[label] = tqdm(total=total, desc=label, unit="step", leave=True)
    bar.update(count - bar.n)
    if count >= total:
        bar.close()
        del _BARS[label]


def progress_callback(label: str | None, total: int):
    """`update(count)` for use inside a compiled loop of `total` steps: reports when `count`
    is a multiple of ~total/100 or the end; does nothing when `label` is None."""
    if label is None or total <= 0:
        return lambda count: None
    every = max(1, total // 100)

    def update(count):
        due = (count % every == 0) | (count == total)
        report = lambda c: jax.debug.callback(functools.partial(_report, label, total), c)
        jax.lax.cond(due, report, lambda c: None, count)

    return update


def diffrax_meter(label: str | None) -> diffrax.AbstractProgressMeter:
    """diffrax's meter to match: tqdm when installed, its text meter otherwise."""
    if not label:
        return diffrax.NoProgressMeter()
    return diffrax.TqdmProgressMeter() if _tqdm() is not None else diffrax.TextProgressMeter()


class HostProgress:
    """A progress bar driven from the host between compiled blocks (`fit`, chunked runs):
    tqdm when installed, else one stderr line per update."""

    def __init__(self, label: str, total: int, start: int = 0):
        tqdm = _tqdm()
        self.label, self.total = label, total
        self.bar = (
            None if tqdm is None else tqdm(total=total, initial=start, desc=label, unit="step")
        )

    def update(self, count: int, note: str = "") -> None:
        if self.bar is None:
            print(f"{self.label}: step {count}/{self.total} {note}".rstrip(), file=sys.stderr)
            return
        self.bar.set_postfix_str(note, refresh=False)
        self.bar.update(count - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
