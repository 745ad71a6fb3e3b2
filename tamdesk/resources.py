"""Where the shipped data files are, in a checkout and in an installed wheel.

The wheel carries ``data/`` as ``tamdesk/data``; a checkout (or an editable
install) has it beside the package. A user's own ``plans.toml`` in the config
folder replaces the shipped catalogue.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from tamdesk.domain.errors import BadInput

_PACKAGE = Path(__file__).parent


def data_file(name: str) -> Path:
    """The path of a shipped data file such as ``plans.toml``."""
    for folder in (_PACKAGE / "data", _PACKAGE.parent / "data"):
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"tamdesk data file {name} is missing from the installation")


def user_config_dir() -> Path:
    """The folder of the user's own configuration (a ``plans.toml`` there wins)."""
    import platformdirs

    return platformdirs.user_config_path("tamdesk", appauthor=False)


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file as a dict; a broken file is bad input naming the file."""
    return toml_of(path.read_bytes(), path)


def toml_of(content: bytes, path: Path) -> dict[str, Any]:
    """``content``, read from the TOML file ``path``, as a dict; broken, it is bad input naming the file."""
    try:
        return tomllib.loads(content.decode())
    except UnicodeDecodeError:
        raise BadInput(f"cannot read {path}: it is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise BadInput(f"cannot read {path}: {error}") from None


def catalogue_path() -> Path:
    """The plan catalogue in force: the user's own, else the shipped one."""
    own = user_config_dir() / "plans.toml"
    return own if own.is_file() else data_file("plans.toml")
