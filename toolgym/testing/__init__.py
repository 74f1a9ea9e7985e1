"""Testing helpers for toolgym and for environments contributed to it.

* :func:`check_env_conformance`: the conformance kit every environment must pass.
* :func:`tiny_model`: a small model and tokenizer built offline, for tests and CPU smoke runs.
"""

from toolgym.testing.conformance import ConformanceReport, Finding, check_env_conformance
from toolgym.testing.models import build_tokenizer, tiny_model

__all__ = [
    "ConformanceReport",
    "Finding",
    "build_tokenizer",
    "check_env_conformance",
    "tiny_model",
]
