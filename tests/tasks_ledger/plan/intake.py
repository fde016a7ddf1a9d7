"""A small plan JSON for the import tests (its people are in conftest.py)."""

import copy
import json

PLAN = {
    "title": "某局2030年政务公开工作要点",
    "year": 2030,
    "issuer": "某局",
    "preamble": "",
    "sections": [
        {
            "number": "一",
            "title": "推进决策公开",
            "body": "",
            "tasks": [
                {
                    "number": "一",
                    "title": "推进重大决策预公开",
                    "body": "",
                    "departments": [
                        {"name": "政策法规处", "role": "lead", "source": "括号 1"},
                        {"name": "市交通局计划处", "role": "partner", "guess": True},
                    ],
                    "other_units": "各有关单位",
                    "deadlines": [
                        {
                            "text": "2030年9月底前",
                            "kind": "date",
                            "due": "2030-09-30",
                            "source": "句末",
                        }
                    ],
                    "tasks": [
                        {
                            "number": "1",
                            "title": "公开决策草案",
                            "body": "",
                            "departments": [{"name": "政策法规处", "role": "lead"}],
                            "deadlines": [],
                            "tasks": [],
                        }
                    ],
                },
                {
                    "number": "二",
                    "title": "做好政策解读",
                    "body": "",
                    "departments": [{"name": "计划处", "role": "lead"}],
                    "deadlines": [],
                    "ongoing": True,
                    "tasks": [],
                },
            ],
        }
    ],
}


def plan_json(**changes) -> dict:
    data = copy.deepcopy(PLAN)
    data.update(changes)
    return data


def as_file(data: dict) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")
