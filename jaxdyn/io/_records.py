"""JSON records that long benchmark runs add to as they go, and resume from."""

import json
import os
from pathlib import Path


def resumable_record(path: str | os.PathLike | None, identity: dict, fresh: dict) -> dict:
    """The record saved at `path` if there is one, else `fresh` (a new dict holding
    `identity`). A saved record must carry the same `identity` items (protocol, settings,
    precision, …): a run resumes only what it would itself have written; anything else is a
    `ValueError` naming both."""
    if path is None or not Path(path).exists():
        return {**identity, **fresh}
    if Path(path).is_dir():
        raise ValueError(f"{path} is a folder; expected a JSON file")
    try:
        record = json.loads(Path(path).read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{path} is not a JSON record: {error}") from None
    held = {key: record.get(key) for key in identity}
    if held != identity:
        raise ValueError(
            f"{path} was made with {held}; this run is {identity}: pass those or another file"
        )
    return record
