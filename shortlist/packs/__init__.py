"""Interview packs and the shortlisting record: one model each (``model``), built from
stored data (``build``), rendered to HTML, PDF and CSV (``render``)."""

from shortlist.packs.build import NotInvited, build_pack, build_record, invited_references
from shortlist.packs.model import InterviewPack, ShortlistingRecord

__all__ = ["InterviewPack", "NotInvited", "ShortlistingRecord", "build_pack", "build_record", "invited_references"]
