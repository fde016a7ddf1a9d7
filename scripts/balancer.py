"""A small round-robin reverse proxy: one address in front of several instances of the app.

    python scripts/balancer.py --listen 127.0.0.1:8000 127.0.0.1:8001 127.0.0.1:8002

`scripts/stack` runs it in front of its two gunicorn instances, the shape docker-compose.yml
gives Caddy. It stands for a real balancer in tests and on one machine; it is not one (no
TLS, no keep-alive; a chunked request body is read whole before it is passed on).

Each request goes to the next instance in turn; an instance that refuses the connection is
left out for a few seconds and the request tried on the next one, so a restarting instance
costs no request. The app counts it as one of its proxies (`TRUSTED_PROXIES`): it appends
the address the connection came from to `X-Forwarded-For` (the app reads only the entry
its outermost proxy appended) and sets `X-Forwarded-Proto` to the scheme it was reached by,
so a client cannot claim HTTPS; with `--behind N` (N proxies of ours in front of it, TLS
ending there) it passes on theirs instead. Which instance answered is logged here, never
told to the client.
"""

import argparse
import http.client
import itertools
import logging
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

logger = logging.getLogger("balancer")

# Headers that belong to one connection, not to the message (RFC 9110 7.6.1): never passed on.
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}
# And those this proxy writes itself.
REWRITTEN = HOP_BY_HOP | {"content-length", "x-forwarded-for", "x-forwarded-proto"}
# How long an instance that refused a connection is left out of the rotation.
REST_SECONDS = 5
CHUNK = 64 * 1024


class Backends:
    """The instances in turn, skipping those resting after a refused connection."""

    def __init__(self, addresses: list[tuple[str, int]]):
        self.addresses = addresses
        self.turn = itertools.cycle(range(len(addresses)))
        self.resting_until = [0.0] * len(addresses)
        self.lock = threading.Lock()

    def order(self) -> list[int]:
        """Every instance once, starting with the next in turn; resting ones last."""
        with self.lock:
            first = next(self.turn)
        rotation = [(first + i) % len(self.addresses) for i in range(len(self.addresses))]
        now = time.monotonic()
        return sorted(rotation, key=lambda i: self.resting_until[i] > now)

    def rest(self, index: int) -> None:
        self.resting_until[index] = time.monotonic() + REST_SECONDS


class ProxyHandler(BaseHTTPRequestHandler):
    # One request per connection: the client reads the answer to its end.
    protocol_version = "HTTP/1.0"
    server_version = "balancer"
    backends: Backends
    # What it is reached by: plain HTTP (TLS ends in a proxy in front of it, or nowhere).
    scheme = "http"
    # How many reverse proxies of our own stand in front of this one (TRUSTED_PROXIES of
    # the whole site minus this balancer): only then is their X-Forwarded-Proto passed on.
    behind = 0
    timeout_seconds = 60.0

    def do_request(self):
        try:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                body = self.read_chunked()
            elif length := self.headers.get("Content-Length"):
                body = self.rfile.read(int(length))
            else:
                body = None
        except ValueError:
            self.send_error(400, "Malformed Content-Length or chunk size")
            return
        headers = [(k, v) for k, v in self.headers.items() if k.lower() not in REWRITTEN]
        if body is not None:
            headers.append(("Content-Length", str(len(body))))
        forwarded = self.headers.get("X-Forwarded-For")
        client = self.client_address[0]
        headers.append(("X-Forwarded-For", f"{forwarded}, {client}" if forwarded else client))
        # The scheme the client used: said by a trusted proxy in front, else ours. Whatever a
        # client wrote itself is dropped.
        proto = self.headers.get("X-Forwarded-Proto") if self.behind else None
        headers.append(("X-Forwarded-Proto", proto or self.scheme))
        headers.append(("Connection", "close"))

        for index in self.backends.order():
            host, port = self.backends.addresses[index]
            upstream = http.client.HTTPConnection(host, port, timeout=self.timeout_seconds)
            try:
                upstream.putrequest(
                    self.command, self.path, skip_host=True, skip_accept_encoding=True
                )
                for key, value in headers:
                    upstream.putheader(key, value)
                upstream.endheaders(body)
                response = upstream.getresponse()
            except ConnectionRefusedError:
                # Nothing was sent: the same request is safe on the next instance.
                logger.warning("instance %s:%s refused; resting it", host, port)
                self.backends.rest(index)
                upstream.close()
                continue
            except (OSError, http.client.HTTPException) as exc:
                # The request may have reached the app: not repeated (a POST must not run twice).
                logger.warning("instance %s:%s failed: %s", host, port, exc)
                upstream.close()
                self.send_error(502, "Bad gateway")
                return
            try:
                self.relay(response)
            finally:
                upstream.close()
            logger.info("%s:%s %s %s %s", host, port, self.command, self.path, response.status)
            return
        self.send_error(503, "No instance available")

    def read_chunked(self) -> bytes:
        """A chunked request body, whole (passed on with its length)."""
        body = b""
        while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            body += self.rfile.read(size)
            self.rfile.readline()  # the CRLF closing the chunk
        while self.rfile.readline().strip():
            pass  # trailers, up to the empty line
        return body

    def relay(self, response):
        self.send_response_only(response.status, response.reason)
        for key, value in response.getheaders():
            if key.lower() not in HOP_BY_HOP:
                self.send_header(key, value)
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command == "HEAD":
            return
        try:
            while chunk := response.read(CHUNK):
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client went away; nothing to tell it

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = do_request

    def log_message(self, format, *args):
        # The instance's line above says what matters; the default writes every request twice.
        pass


def address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    if not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, not {text!r}")
    return host, int(port)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", type=address, required=True, help="HOST:PORT to serve")
    parser.add_argument(
        "--behind",
        type=int,
        default=0,
        help="how many reverse proxies of our own stand in front of this one (default 0)",
    )
    parser.add_argument("instances", type=address, nargs="+", help="HOST:PORT of each instance")
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, stream=sys.stderr, format="balancer: %(levelname)s %(message)s"
    )
    handler = type(
        "Handler", (ProxyHandler,), {"backends": Backends(args.instances), "behind": args.behind}
    )
    server = ThreadingHTTPServer(args.listen, handler)
    server.daemon_threads = True
    logger.info("listening on %s:%s, instances %s", *args.listen, args.instances)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
