"""The Content-Disposition header of every download, built by Werkzeug's header quoting
(security review, finding 11): ``filename`` is an ASCII-safe form of the name (letters,
digits, dot, hyphen, underscore), ``filename*`` the whole name, UTF-8 and percent-encoded
(RFC 6266, RFC 8187). A name with quotes or semicolons (a panel member named
``Zed";filename*=UTF-8''evil.html;x="``) cannot add a parameter of its own."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from werkzeug.http import dump_options_header

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def ascii_filename(filename: str) -> str:
    """Letters without their accents, everything else outside [A-Za-z0-9._-] as one hyphen."""
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", folded).strip("-.") or "download"


def attachment(filename: str) -> str:
    """The header's value for a file the browser should save as ``filename``."""
    return dump_options_header("attachment", {"filename": ascii_filename(filename),
                                              "filename*": "UTF-8''" + quote(filename, safe="")})
