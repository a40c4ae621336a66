"""Process settings for serving the app (``wsgi.py`` applies them; so does the benchmark).

Python's cyclic garbage collector runs a full collection, walking every object the
process holds, after a fixed number of allocations. A page of 2,000 candidates
allocates a few million short-lived objects (rows, rule results, template output), so
with the default thresholds it spends a third of its time walking objects that are
freed by reference counting anyway (bench/README.md has the measurement). Freezing
what start-up made and collecting less often removes most of that; memory stays
bounded because this code makes few reference cycles.
"""

from __future__ import annotations

import gc

#: (generation 0, 1, 2) thresholds; Python's defaults are (700, 10, 10)
GC_THRESHOLDS = (50_000, 20, 20)


def tune_gc() -> None:
    """Call once the app is built: what exists then lives as long as the process."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)
