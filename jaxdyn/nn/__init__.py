"""Pillar 4: trainable networks for dynamics (in progress: the echo-state network)."""

from ._reservoir import EchoStateNetwork as EchoStateNetwork
