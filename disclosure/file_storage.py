"""STORAGES["default"] from the environment, for settings.py: the uploaded files (evidence;
a ledger import between its preview and its apply) on this machine's disk under MEDIA_ROOT,
or, when S3_BUCKET is set, in an S3-compatible object store that every web server reads
alike. Either way they are private: never a public or signed URL, only streamed through the
views that check who may see them (README, "More than one machine")."""

import os

from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured


def _seconds(name: str, default: int) -> int:
    value = os.environ.get(name) or str(default)
    if not value.isdigit():
        raise ImproperlyConfigured(f"{name} must be a whole number of seconds, not {value!r}")
    return int(value)


def file_storage() -> dict:
    bucket = os.environ.get("S3_BUCKET", "")
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            # Unset: boto3's own chain (its environment variables, an instance role).
            "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
            "region_name": os.environ.get("S3_REGION") or "us-east-1",
            # No ACL header: objects stay as private as the bucket (and stores that refuse
            # ACLs accept the upload).
            "default_acl": None,
            # Names are random already; never replace a stored file even so.
            "file_overwrite": False,
            # A file read for a download spills to a temporary file past 2 MB instead of
            # holding up to EVIDENCE_MAX_MB in a worker's memory.
            "max_memory_size": 2 * 1024 * 1024,
            "client_config": Config(
                # Path-style addressing works with every S3-compatible server (MinIO, moto)
                # without a wildcard DNS name per bucket.
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                # A store that does not answer fails the request in seconds, not minutes.
                connect_timeout=_seconds("S3_CONNECT_TIMEOUT", 3),
                read_timeout=_seconds("S3_READ_TIMEOUT", 20),
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        },
    }
