"""A real S3 server on this machine for the file store's tests: moto in server mode (an HTTP
server speaking the S3 API, a pip package, so these tests run everywhere CI does), a bucket
of its own per test, and the default storage configured by settings.py itself from the
S3_* environment variables, as production configures it."""

import logging
import runpy
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

SETTINGS_FILE = Path(__file__).resolve().parents[1] / "disclosure" / "settings.py"
# This worktree's own ports (8120-8129): the S3 server takes the first free one of these,
# the two-process test's web servers the last ones.
S3_PORTS = range(8120, 8124)
CREDENTIALS = {"aws_access_key_id": "test-key", "aws_secret_access_key": "test-secret"}


def port_is_free(port: int) -> bool:
    """Nothing listens on `port` (connections of a run just ended may linger: as servers do,
    the check reuses the address)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@pytest.fixture(scope="session")
def s3_server():
    """The S3 server's address, running for the whole session."""
    port = next((p for p in S3_PORTS if port_is_free(p)), None)
    if port is None:
        pytest.fail(f"no free port for the S3 server in {S3_PORTS}")
    # One log line per S3 request would bury a failing test's own output.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


def s3_environment(*, endpoint: str, bucket: str) -> dict[str, str]:
    """The environment variables that point the app at `bucket` (README, "Files")."""
    return {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": endpoint,
        "S3_ACCESS_KEY_ID": CREDENTIALS["aws_access_key_id"],
        "S3_SECRET_ACCESS_KEY": CREDENTIALS["aws_secret_access_key"],
        "S3_REGION": "us-east-1",
    }


def storages_from(environment: dict[str, str], monkeypatch) -> dict:
    """STORAGES as settings.py makes it from `environment` (run afresh, not imported)."""
    with monkeypatch.context() as patch:
        for name, value in environment.items():
            patch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))["STORAGES"]


@dataclass
class Store:
    endpoint: str
    bucket: str
    client: object  # a boto3 S3 client, to look into the bucket from outside the app

    def names(self) -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def read(self, name: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=name)["Body"].read()


@pytest.fixture
def s3_store(s3_server, settings, monkeypatch):
    """The default storage in a fresh bucket of the S3 server."""
    bucket = f"evidence-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=bucket)
    environment = s3_environment(endpoint=s3_server, bucket=bucket)
    settings.STORAGES = storages_from(environment, monkeypatch)
    return Store(endpoint=s3_server, bucket=bucket, client=client)
