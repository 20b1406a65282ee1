"""Saving and loading results: `.npz` (and text) files written atomically, and long runs
in chunks that resume where they stopped."""

from ._chunks import run_in_chunks as run_in_chunks
from ._npz import (
    load as load,
    save as save,
    write_atomic as write_atomic,
    write_text_atomic as write_text_atomic,
)
from ._records import resumable_record as resumable_record
