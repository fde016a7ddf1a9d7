"""The ledger export's half of benchmarks/run.py (issue 4), run in its measuring child: the
export (tasks_ledger.excel.export.write_ledger) against raw openpyxl write-only appending
the same rows from the same query — rows per second of each and the ratio, then each once
more under tracemalloc for its peak memory."""

import tempfile
import time
import tracemalloc
from pathlib import Path


def measure_export() -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tasks_ledger.excel import export
    from tasks_ledger.plan.models import Plan

    plan = Plan.objects.current()
    today = timezone.localdate()

    def ours(path):
        return export.write_ledger(path, plan=plan, today=today)

    def raw(path):
        """The same entry rows from the same query, twelve plain values each as in the
        export, appended as they come to one write-only sheet: no layout, no styles, no
        text checks, no empty rows for tasks without entries."""
        from openpyxl import Workbook

        from tasks_ledger.ledger.models import LedgerEntry
        from tasks_ledger.ledger.status import COUNTED_STATES

        rows = (
            LedgerEntry.objects.filter(task__plan=plan, state__in=COUNTED_STATES)
            .annotate(evidence_text=export.EvidenceText())
            .order_by("department__order", "department__code", "task__order", "happened_on", "id")
            .values_list(
                "task__order",
                "task__title",
                "department__name",
                "department__code",
                "happened_on",
                "summary",
                "problems",
                "next_steps",
                "evidence_text",
                "status",
                "author__username",
                "updated_at",
            )
            .iterator(chunk_size=2000)
        )
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("raw")
        n = 0
        for row in rows:
            # openpyxl refuses aware datetimes: the least any export has to do.
            ws.append((*row[:-1], row[-1].replace(tzinfo=None)))
            n += 1
        wb.save(path)
        return n

    def speed(fn, path):
        started = time.perf_counter()
        n = fn(path)
        return n, time.perf_counter() - started

    def peak(fn, path):
        tracemalloc.start()
        try:
            fn(path)
            return tracemalloc.get_traced_memory()[1] / 2**20
        finally:
            tracemalloc.stop()

    with tempfile.TemporaryDirectory() as tmp:
        ours_path, raw_path = Path(tmp) / "ours.xlsx", Path(tmp) / "raw.xlsx"
        # Raw first: it also warms the database's and the file system's caches for both.
        raw_rows, raw_s = speed(raw, raw_path)
        with CaptureQueriesContext(connection) as queries:
            rows, ours_s = speed(ours, ours_path)
        result = {
            "rows": rows,
            "seconds": ours_s,
            "rows_per_s": rows / ours_s,
            "raw_rows": raw_rows,
            "raw_rows_per_s": raw_rows / raw_s,
            # tracemalloc slows Python several times over: peaks come from separate runs.
            "peak_mib": peak(ours, ours_path),
            "raw_peak_mib": peak(raw, raw_path),
            "queries": len(queries),
            "file_mib": ours_path.stat().st_size / 2**20,
        }
    result["speed_ratio"] = result["rows_per_s"] / result["raw_rows_per_s"]
    return result
