"""A local HTTP server standing in for 钉钉's / 企业微信's robot endpoint: it records what
it received and checks 钉钉's signature the way the real server does."""

import base64
import hashlib
import hmac
import http.server
import json
import threading
import urllib.parse
from dataclasses import dataclass, field


@dataclass
class Receiver:
    url: str
    secret: str = ""
    status: int = 200
    received: list = field(default_factory=list)  # (query dict, payload dict, signed ok)


def _handler(receiver: Receiver):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query))
            payload = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            signed = None
            if receiver.secret:
                expected = base64.b64encode(
                    hmac.new(
                        receiver.secret.encode(),
                        f"{query.get('timestamp')}\n{receiver.secret}".encode(),
                        hashlib.sha256,
                    ).digest()
                ).decode()
                # parse_qsl has already URL-decoded `sign`, as the real server does.
                signed = hmac.compare_digest(expected, query.get("sign", ""))
            receiver.received.append((query, payload, signed))
            answer = {"errcode": 0, "errmsg": "ok"} if receiver.status == 200 else {}
            body = json.dumps(answer).encode()
            self.send_response(receiver.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # keep the test output quiet
            pass

    return Handler


def serve(**kw):
    """Start a receiver on a free local port; returns (receiver, server) — call
    server.shutdown() when done."""
    receiver = Receiver(url="", **kw)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/robot/send?access_token=t"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver, server
