"""Which files may be attached as evidence: the extensions people attach, and the bytes
each must start with. The content is checked, not only the name, so a renamed executable
is refused. The browser's form checks each file with it before anything is saved; the
ledger's `evidence_add` checks again, whoever calls it."""

import zipfile
from pathlib import PurePath

from django.conf import settings
from django.utils.translation import gettext as _

from disclosure.uploads import ZIP_SUFFIXES, UnsafeFile, check_zip_container
from tasks_ledger import errors

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy Word/Excel (.doc, .xls)
ZIP = b"PK\x03\x04"
ALLOWED_FILES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".doc": (OLE2,),
    ".xls": (OLE2,),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".ofd": (ZIP,),
    ".zip": (ZIP,),
}
# A zip-based office file must hold the part that makes it what its name says.
ZIP_MEMBER = {".docx": "word/", ".xlsx": "xl/", ".ofd": "OFD.xml"}


def _refused(message: str) -> errors.Invalid:
    return errors.Invalid.about("file", message)


def evidence_file_check(file) -> str:
    """The file's original name if its size, extension and content are allowed; else
    `errors.Invalid` naming `file`."""
    name = PurePath(getattr(file, "name", "") or "").name[:255]
    suffix = PurePath(name).suffix.lower()
    names = {"name": name, "type": suffix}
    if suffix not in ALLOWED_FILES:
        raise _refused(
            _("Files of this type are not accepted (%(name)s). Allowed: %(allowed)s.")
            % {"name": name, "allowed": ", ".join(sorted(ALLOWED_FILES))}
        )
    size = getattr(file, "size", None)
    if size is not None and size > settings.EVIDENCE_MAX_BYTES:
        raise _refused(
            _("%(name)s is larger than the limit of %(mb)s MB.")
            % {"name": name, "mb": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    if size == 0:
        raise _refused(_("%(name)s is empty.") % names)
    file.seek(0)
    head = file.read(16)
    file.seek(0)
    if not any(head.startswith(magic) for magic in ALLOWED_FILES[suffix]):
        raise _refused(_("%(name)s is not really a %(type)s file.") % names)
    if suffix in ZIP_SUFFIXES:
        # A zip bomb is refused from the zip's directory, before anything inflates it.
        try:
            check_zip_container(name=name, file=file)
        except UnsafeFile as exc:
            raise _refused(str(exc)) from None
    if suffix in ZIP_MEMBER and not _holds(file, ZIP_MEMBER[suffix]):
        raise _refused(_("%(name)s is not really a %(type)s file.") % names)
    return name


def _holds(file, member: str) -> bool:
    """Whether the zip `file` holds `member` (a file, or a folder ending in /)."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError):
        names = []
    file.seek(0)
    return any(n == member or n.startswith(member) or n.endswith("/" + member) for n in names)
