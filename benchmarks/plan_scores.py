"""The plan reader, measured (issue 12): scores on other bureaus' plans and speed.

    .venv/bin/python benchmarks/plan_scores.py [--plans ../shared/plans] [--json]

For each text of the corpus (default ../shared/plans, skipped when absent): its score by the
corpus's own scorer (score_plan.py, against the clerk's reading in expected/) in the ASCII
punctuation it is stored in and in the fullwidth punctuation documents are issued in (goal:
every score >= 0.95). Then the time to read a generated 300-task plan, as paragraphs and as a
flattened table, median of 7 runs (goal: < 1 s; the import preview reads the whole plan).
"""

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks_ledger.plan.reading import parse_plan_text  # noqa: E402

GOALS = {"score": 0.95, "seconds_300_tasks": 1.0}
FULLWIDTH = str.maketrans({"(": "（", ")": "）", ",": "，", ":": "：", ";": "；"})
CN = "一二三四五六七八九十"


def score(plans: Path, text_path: Path, form: str, scratch: Path) -> float:
    text = text_path.read_text(encoding="utf-8")
    plan = parse_plan_text(text.translate(FULLWIDTH) if form == "fullwidth" else text)
    actual = scratch / f"{text_path.stem}.{form}.json"
    actual.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    expected = plans / "expected" / f"{text_path.stem}.json"
    result = subprocess.run(
        [sys.executable, str(plans / "score_plan.py"), str(expected), str(actual)],
        capture_output=True,
        text=True,
        check=False,
    )
    return float(re.search(r"overall ([\d.]+)", result.stdout)[1])


def cn(n: int) -> str:
    """一 … 九十九, as plans number their tasks."""
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else CN[tens - 1] + "十")
    return head + (CN[units - 1] if units else "")


def generated_paragraphs(tasks: int = 300) -> str:
    lines = ["某市2030年政务公开工作要点", "为做好2030年政务公开工作,制定本要点。"]
    per_section = 30
    for s in range(tasks // per_section):
        lines.append(f"{CN[s]}、围绕重点领域推进公开{s}")
        for t in range(per_section):
            lines.append(
                f"({cn(t + 1)})推进第{t}项工作公开。围绕政策执行及时公开进展,文件公开后3个工作日内"
                f"发布解读,每季度通报一次,2030年{t % 12 + 1}月底前完成清理"
                f"(市发改委牵头,市财政局、教育局配合,各县区按职责分工负责)。"
            )
    return "\n".join(lines)


def generated_table(tasks: int = 300) -> str:
    lines = ["某县2030年政务公开重点工作任务分工表"]
    lines.append("序号 | 工作任务 | 具体要求 | 牵头单位 | 配合单位 | 完成时限 |")
    for t in range(1, tasks + 1):
        lines.append(
            f"{t} | 推进第{t}项工作 | 1.开展清理。2.发布文本。 | 县司法局 | 县政府办、县发改局 | "
            f"{t % 12 + 1}月底前 |"
        )
    return "\n".join(lines)


def timed(text: str) -> tuple[float, int]:
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        plan = parse_plan_text(text)
        runs.append(time.perf_counter() - start)
    count = sum(len(s["tasks"]) for s in plan["sections"])
    return statistics.median(runs), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=Path, default=ROOT.parent / "shared" / "plans")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "disclosure.settings")
    figures: dict = {"goals": GOALS, "scores": {}}
    texts = sorted(args.plans.glob("*.txt")) if args.plans.is_dir() else []
    with tempfile.TemporaryDirectory() as scratch:
        for path in texts:
            figures["scores"][path.stem] = {
                form: score(args.plans, path, form, Path(scratch))
                for form in ("ascii", "fullwidth")
            }
    for name, text in (("paragraphs", generated_paragraphs()), ("table", generated_table())):
        seconds, count = timed(text)
        figures[f"seconds_300_tasks_{name}"] = round(seconds, 4)
        figures[f"tasks_read_{name}"] = count
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=1))
        return
    if not texts:
        print(f"no corpus at {args.plans}: scores skipped")
    for stem, by_form in figures["scores"].items():
        marks = " ".join(
            f"{form} {value:.2f}{'' if value >= GOALS['score'] else ' (below goal)'}"
            for form, value in by_form.items()
        )
        print(f"{stem:45} {marks}")
    for name in ("paragraphs", "table"):
        seconds = figures[f"seconds_300_tasks_{name}"]
        goal = "ok" if seconds < GOALS["seconds_300_tasks"] else "over goal"
        print(
            f"300-task plan as {name}: {figures[f'tasks_read_{name}']} tasks read in "
            f"{seconds * 1000:.0f} ms (goal < 1 s: {goal})"
        )


if __name__ == "__main__":
    main()
