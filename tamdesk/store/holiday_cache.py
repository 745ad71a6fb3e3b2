"""Public holidays kept on disk, so opening the desk never waits for the ``holidays`` package.

Asking the ``holidays`` package for any one country imports the modules of
every country it knows (about 0.15 s on a 2-core machine), which is a sixth of
the desk's first frame. The answer only changes when the package does, so each
(country, year) is worked out once and kept as JSON in the user's cache folder,
in a folder named for the installed package: a new ``holidays`` release (new
holidays decreed, corrections) starts a new folder. Files are written
atomically; a missing, broken or unwritable cache only costs the time it saves.
Within one process each (country, year) is read from its file once: the week
screen asks for every customer's country on every week it shows.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from tamdesk.domain.business_hours import holiday_year
from tamdesk.files import write_atomically


#: What this process has already read, by (code, year); the callers copy from it.
_known: dict[tuple[str, int], dict[date, str]] = {}


def cached_holiday_year(code: str, year: int) -> dict[date, str]:
    """The public holidays of ``code`` in ``year`` (as ``holiday_year``), from the cache when it has them."""
    key = (code.upper(), year)
    if key not in _known:
        _known[key] = _from_disk(code, year)
    return _known[key]


def forget() -> None:
    """Drop what this process remembers; the files stay (for tests that watch them)."""
    _known.clear()


def _from_disk(code: str, year: int) -> dict[date, str]:
    import platformdirs

    folder = platformdirs.user_cache_path("tamdesk", appauthor=False) / "holidays" / _package_stamp()
    path = folder / f"{code.upper()}-{year}.json"
    try:
        return {date.fromisoformat(day): name for day, name in json.loads(path.read_text("utf-8")).items()}
    except (OSError, ValueError, AttributeError):
        pass
    found = holiday_year(code, year)
    content = {day.isoformat(): name for day, name in sorted(found.items())}
    try:
        write_atomically(path, json.dumps(content, ensure_ascii=False).encode())
    except OSError:
        pass  # an unwritable cache only costs the time it would save
    return found


@cache
def _package_stamp() -> str:
    """The installed ``holidays`` package, named by where it is and when it was written."""
    spec = find_spec("holidays")
    origin = Path(spec.origin) if spec and spec.origin else None
    stamp = "unknown"
    if origin is not None:
        version_file = origin.with_name("version.py")
        stat = (version_file if version_file.exists() else origin).stat()
        stamp = f"{hashlib.sha1(str(origin).encode()).hexdigest()[:10]}-{stat.st_mtime_ns}"
    return stamp
