"""Criteria library: statements from two source documents, to add to a vacancy as criteria.

* Clinical Career Development Framework for Art, Drama & Music Therapists
  (BAAT, BADth and BAMT): five levels of practice, four pillars, numbered
  Knowledge & Skills statements, responsibilities and pillar aspects per level.
* NHS national profiles for arts therapists, bands 6 to 8d: job statements and
  the 16 job-evaluation factors with their JE levels and scores.

The data ship as JSON in ``data/``, generated from the seed texts by
``python -m shortlist.library.build SRC_DIR``. Pure Python: no web or database imports.

    >>> from shortlist.library import load_library, band_check
    >>> lib = load_library()
    >>> lib.get("ccdf-proficient-ks-3").ref
    'KS.3'
    >>> [w.code for w in band_check("Band 6", [("Q1", "Degree in psychology", True)])]
    ['band_training_missing']
"""

from __future__ import annotations

from ._bands import parse_band
from .bandcheck import (
    BAND_NO_PROFILE,
    BAND_REQUIREMENT_ABOVE_PROFILE,
    BAND_TRAINING_MISSING,
    BandWarning,
    band_check,
)
from .model import (
    KINDS,
    BandRange,
    Level,
    Library,
    Pillar,
    Profile,
    Source,
    Statement,
    TrainingExpectations,
    load_library,
)

__all__ = [
    "BAND_NO_PROFILE",
    "BAND_REQUIREMENT_ABOVE_PROFILE",
    "BAND_TRAINING_MISSING",
    "KINDS",
    "BandRange",
    "BandWarning",
    "Level",
    "Library",
    "Pillar",
    "Profile",
    "Source",
    "Statement",
    "TrainingExpectations",
    "band_check",
    "load_library",
    "parse_band",
]
