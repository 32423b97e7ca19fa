"""The writer thread adds a committed batch's counts to the run's report while the reader
thread goes on counting records and duplicates in it (netral.ingest.pipeline.ingest_records):
the merge must leave the reader's counts alone, or a record counted meanwhile is lost."""

from __future__ import annotations

import sys
import threading

from netral.ingest.pipeline import IngestReport


def test_merging_a_batch_never_loses_a_record_the_reader_counted_meanwhile():
    report = IngestReport(source="s", connector="file")
    part = IngestReport(source="s", connector="file", items_new=1)
    n = 200_000
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible: the race shows at once
    try:
        stop = threading.Event()

        def writer() -> None:
            while not stop.is_set():
                report.merge(part)

        t = threading.Thread(target=writer)
        t.start()
        try:
            for _ in range(n):  # what normalised() does for each record it reads
                report.records += 1
                report.duplicates += 1
        finally:
            stop.set()
            t.join()
    finally:
        sys.setswitchinterval(old)
    assert (report.records, report.duplicates) == (n, n)
    assert report.items_new > 0
