"""Saving and loading results: `.npz` files written atomically."""

from ._npz import load as load, save as save
