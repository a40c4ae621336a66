"""Interview packs and the shortlisting record as documents: one model each (``model``),
rendered to HTML and PDF (``render``) and the record to CSV (``record_csv``). The data they
are built from is gathered by a service, `shortlist.services.pack_data`."""

from shortlist.packs.model import InterviewPack, ShortlistingRecord

__all__ = ["InterviewPack", "ShortlistingRecord"]
