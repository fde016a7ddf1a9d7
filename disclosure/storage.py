"""Uploaded files wherever STORAGES["default"] keeps them: this machine's disk or an
S3-compatible object store (settings: S3_BUCKET).

The code only opens, saves and deletes through the storage, never asks for a local path,
so every web server reads the same files. A file that is not in the store is a 404 to
whoever asked for it; a store that fails (unreachable, its bucket missing, credentials
refused, a full disk) is a StoreUnavailable, answered with a 503 page that says so
(disclosure/errors.py) instead of a traceback.

Downloads are streamed through our own views, never sent to the store by a redirect to a
signed URL: the access check, the Content-Disposition and the previews' sandbox headers
stay ours; the store needs no address the browsers can reach; and no link that works
without signing in ever leaves the site (a signed URL does, for as long as it lives).
"""

import logging
import os
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.http import Http404
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

# What a failing store raises: the disk's OSError (FileNotFoundError is caught before it),
# and botocore's errors for an S3 store that cannot be reached or refuses the request.
STORE_ERRORS = (OSError, BotoCoreError, ClientError)


class StoreUnavailable(Exception):
    """The file store failed; the message is for people."""

    def __init__(self, message: str = ""):
        super().__init__(message or unavailable_message())
        self.message = str(self)


def unavailable_message() -> str:
    return _("The file store cannot be reached just now. Try again later.")


def store_reachable() -> bool:
    """For /healthz: can the store take files now? An S3 store answers for its bucket (a
    missing bucket or refused credentials raise); the disk store needs its folder, or the
    nearest folder above it that exists (the first upload makes the rest), writable."""
    storage = default_storage
    if hasattr(storage, "bucket_name"):
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
        return True
    location = Path(storage.location)
    existing = next(folder for folder in (location, *location.parents) if folder.exists())
    return existing.is_dir() and os.access(existing, os.W_OK)


def open_stored(file: FieldFile) -> FieldFile:
    """`file` opened for reading: Http404 when the store does not have it, StoreUnavailable
    when the store fails."""
    try:
        return file.open("rb")
    except FileNotFoundError:
        raise Http404("File missing from storage") from None
    except STORE_ERRORS as exc:
        logger.warning("The file store failed to open %s: %r", file.name, exc)
        raise StoreUnavailable from exc


def delete_stored(name: str) -> None:
    """Delete `name` from the store now. A store that fails is logged, not raised: a file
    left behind has a random name that no row refers to."""
    try:
        default_storage.delete(name)
    except STORE_ERRORS as exc:
        logger.warning("The file store failed to delete %s; it is left behind: %r", name, exc)


def delete_stored_on_commit(name: str) -> None:
    """Delete `name` from the store once the transaction that stopped referring to it
    commits: a removal rolled back keeps its file."""
    transaction.on_commit(lambda: delete_stored(name))
