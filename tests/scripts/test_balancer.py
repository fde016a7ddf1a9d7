"""scripts/balancer.py, the round-robin reverse proxy scripts/stack puts in front of its two
instances: each request to the next instance, a refusing instance skipped, and the
forwarding headers written so that the app's one rule (disclosure/client_ip.py,
TRUSTED_PROXIES) finds the client and no client can claim HTTPS.

The instances here are two small HTTP servers that answer with what they received."""

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import RequestFactory

from disclosure.client_ip import client_ip
from tests.tasks_ledger.reminders.conftest import free_port

BALANCER = Path(__file__).resolve().parents[2] / "scripts" / "balancer.py"


class Echo(BaseHTTPRequestHandler):
    """Answers with its own name and the request as it arrived."""

    def do_request(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = json.dumps(
            {
                "instance": self.server.name,
                "method": self.command,
                "path": self.path,
                "headers": {k.lower(): v for k, v in self.headers.items()},
                "body": self.rfile.read(length).decode(),
            }
        ).encode()
        self.send_response(201 if self.command == "POST" else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Set-Cookie", "a=1; Path=/")
        self.send_header("Set-Cookie", "b=2; Path=/")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_request

    def log_message(self, format, *args):
        pass


def echo(name: str) -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.name = name
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def start_balancer(*instances: int, behind: int = 0):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(BALANCER), "--listen", f"127.0.0.1:{port}", "--behind", str(behind)]
        + [f"127.0.0.1:{p}" for p in instances],
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).read()
            return process, f"http://127.0.0.1:{port}"
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"the balancer did not start: {process.communicate()[1]}")


@pytest.fixture
def instances():
    servers = [echo("one"), echo("two")]
    yield servers
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def balancer(instances):
    process, base = start_balancer(*(s.server_address[1] for s in instances))
    yield base
    process.terminate()
    process.wait(timeout=10)


def fetch(url, *, data=None, headers=None):
    request = urllib.request.Request(url, data=data, headers=headers or {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response, json.loads(response.read())


def test_requests_go_to_each_instance_in_turn(balancer):
    seen = [fetch(f"{balancer}/ledger/?page=2")[1] for _ in range(4)]
    assert [s["instance"] for s in seen] in (["one", "two"] * 2, ["two", "one"] * 2)
    assert {s["path"] for s in seen} == {"/ledger/?page=2"}


def test_bodies_statuses_and_every_cookie_pass_both_ways(balancer):
    response, seen = fetch(
        f"{balancer}/api/x/", data="任务".encode(), headers={"Host": "gk.example"}
    )
    assert response.status == 201
    assert (seen["method"], seen["body"], seen["headers"]["host"]) == ("POST", "任务", "gk.example")
    assert response.headers.get_all("Set-Cookie") == ["a=1; Path=/", "b=2; Path=/"]
    # Which instance answered stays inside.
    assert "127.0.0.1:" not in str(response.headers)


def test_the_app_finds_the_client_and_no_client_claims_https(balancer, settings):
    _, seen = fetch(
        f"{balancer}/", headers={"X-Forwarded-For": "6.6.6.6", "X-Forwarded-Proto": "https"}
    )
    headers = seen["headers"]
    assert headers["x-forwarded-for"] == "6.6.6.6, 127.0.0.1"
    assert headers["x-forwarded-proto"] == "http"
    # The app behind it (TRUSTED_PROXIES=1, as scripts/stack sets) reads the balancer's
    # entry, never the address the client wrote.
    settings.TRUSTED_PROXIES = 1
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=headers["x-forwarded-for"]
    )
    assert client_ip(request) == "127.0.0.1"


def test_behind_a_trusted_proxy_its_scheme_is_passed_on(instances, settings):
    process, base = start_balancer(instances[0].server_address[1], behind=1)
    try:
        # As a TLS proxy in front would send it: the client's address appended, https.
        _, seen = fetch(
            f"{base}/",
            headers={"X-Forwarded-For": "6.6.6.6, 10.1.2.3", "X-Forwarded-Proto": "https"},
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert seen["headers"]["x-forwarded-proto"] == "https"
    settings.TRUSTED_PROXIES = 2  # the TLS proxy and the balancer
    request = RequestFactory().get(
        "/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=seen["headers"]["x-forwarded-for"]
    )
    assert client_ip(request) == "10.1.2.3"


def test_an_instance_that_refuses_is_skipped_without_losing_a_request(instances):
    gone = free_port()  # nothing listens there: a restarting instance
    process, base = start_balancer(gone, instances[0].server_address[1])
    try:
        seen = [fetch(f"{base}/")[1]["instance"] for _ in range(4)]
    finally:
        process.terminate()
        log = process.communicate(timeout=10)[1]
    assert seen == ["one"] * 4
    assert f"instance 127.0.0.1:{gone} refused" in log


def test_a_chunked_body_is_passed_on_whole(balancer):
    request = urllib.request.Request(
        f"{balancer}/",
        data=iter([b"ab", "任务".encode()]),
        headers={"Transfer-Encoding": "chunked"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        seen = json.loads(response.read())
    assert (seen["body"], seen["headers"]["content-length"]) == ("ab任务", "8")
    assert "transfer-encoding" not in seen["headers"]


def test_a_malformed_length_is_refused(balancer):
    host, port = balancer.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n")
        answer = sock.makefile("rb").readline()
    assert answer.startswith(b"HTTP/1.0 400 ")
