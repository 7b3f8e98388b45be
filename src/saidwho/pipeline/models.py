"""Loading the shipped model files once per process."""

from __future__ import annotations

import os
from functools import lru_cache

from ..errors import ModelError
from ..learn.acceptor import CueAcceptor
from ..learn.extent import ExtentRanker
from ..learn.mlp import FeatureMLP
from ..learn.perceptron import SequencePerceptron
from ..lexicon import data_path


def _packaged(name: str, trainer: str) -> str:
    """The path of a packaged model file, or a clear error naming the command that makes it."""
    path = data_path(name)
    if not os.path.exists(path):
        raise ModelError(f"model file {name} is missing from the package; reinstall saidwho or run python -m {trainer}")
    return path


@lru_cache(maxsize=None)
def load_model(name: str) -> SequencePerceptron:
    """A packaged perceptron model (``saidwho/data/<name>``)."""
    return SequencePerceptron.load(_packaged(name, "saidwho.learn.train"))


@lru_cache(maxsize=None)
def load_extent_model(name: str = "extent_model.npz") -> ExtentRanker:
    """The packaged content-extent ranker (``saidwho/data/<name>``)."""
    return ExtentRanker.load(_packaged(name, "saidwho.learn.train_extent"))


@lru_cache(maxsize=None)
def load_mlp(name: str = "role_mlp.npz") -> FeatureMLP:
    """The packaged role-tagger network (``saidwho/data/<name>``)."""
    return FeatureMLP.load(_packaged(name, "saidwho.learn.train_mlp"))


@lru_cache(maxsize=None)
def load_acceptor(name: str = "cue_acceptor.npz") -> CueAcceptor:
    """The packaged judge of candidate cues (``saidwho/data/<name>``)."""
    return CueAcceptor.load(_packaged(name, "saidwho.learn.train_acceptor"))
