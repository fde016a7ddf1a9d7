"""gunicorn.conf.py tunes each worker's cycle collector once the product is loaded: a real
gunicorn, started with the product's configuration, serves a tiny app that reports what
its worker's collector was left with."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = """
import gc, json

def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json")])
    body = {"frozen": gc.get_freeze_count(), "threshold": list(gc.get_threshold())}
    return [json.dumps(body).encode()]
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_each_worker_freezes_what_it_loaded_and_collects_less_often(tmp_path):
    (tmp_path / "gcapp.py").write_text(APP)
    port = free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    env = os.environ | {"WEB_WORKERS": "1"}
    server = subprocess.Popen(
        [
            gunicorn,
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--chdir",
            str(tmp_path),
            "--bind",
            f"127.0.0.1:{port}",
            "gcapp:app",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    found = json.loads(answer.read())
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not answer"
                time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert found["frozen"] > 10_000  # the loaded modules, out of the collector's sight
    assert found["threshold"] == [10_000, 10, 10]
