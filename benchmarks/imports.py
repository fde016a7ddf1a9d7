"""How long reading a plan document takes, per format, and how fast a zip bomb is refused.

    .venv/bin/python benchmarks/imports.py [--repeat N]

Builds the readers' test plan (tests/tasks_ledger/plan/documents.py) as .txt, .docx, .html
and .pdf and times `read_document` on each (the median of N runs); builds a 1 MB .xlsx
whose sheet inflates to 300 MB and times `check_import` refusing it. Nothing is written.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disclosure.settings")

import django  # noqa: E402

django.setup()

from disclosure.uploads import UnsafeFile, check_import  # noqa: E402
from tasks_ledger.plan.readers import read_document  # noqa: E402
from tests.tasks_ledger.plan import documents  # noqa: E402


def _median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    repeat = parser.parse_args().repeat
    files = {
        "plan.txt (GB18030)": documents.plan_text().encode("gb18030"),
        "plan.docx": documents.plan_docx(),
        "plan.html (GB2312)": documents.plan_html("gb2312"),
        "plan.pdf": documents.plan_pdf(),
    }
    for label, data in files.items():
        name = label.split()[0]
        ms = _median_ms(lambda d=data, n=name: read_document(d, name=n), repeat)
        print(f"read {label:20} {len(data):>8} bytes  {ms:8.2f} ms")
    bomb = documents.zip_bomb(documents.blank_xlsx(), "xl/worksheets/sheet1.xml", 300)

    def refuse():
        try:
            check_import(name="bomb.xlsx", data=bomb)
        except UnsafeFile:
            return
        raise SystemExit("the zip bomb was not refused")

    ms = _median_ms(refuse, repeat)
    print(f"refuse bomb.xlsx (300 MB inflated) {len(bomb):>8} bytes  {ms:8.2f} ms")


if __name__ == "__main__":
    main()
