"""The TAM's settings: name, email, time zone, working hours, reminder minutes, desk theme."""

from __future__ import annotations

from tamdesk.domain.errors import BadInput
from tamdesk.domain.timezones import zone
from tamdesk.services.desk import Desk, Unit
from tamdesk.store.models import Setting

KEYS = ("name", "email", "tz", "working_hours", "alarm_minutes", "theme")
DEFAULT_ALARM_MINUTES = 15


def get_settings(desk: Desk) -> dict[str, str | None]:
    """Every setting of the current TAM, ``None`` where unset."""
    return desk.read(settings_in)


def settings_in(unit: Unit) -> dict[str, str | None]:
    """``get_settings`` inside a unit of work already open."""
    alarm = unit.session.get(Setting, "alarm_minutes")
    theme = unit.session.get(Setting, "theme")
    return {
        "name": unit.tam.name,
        "email": unit.tam.email,
        "tz": unit.tam.tz,
        "working_hours": None if unit.tam.working_hours is None else f"{unit.tam.working_hours:g}",
        "alarm_minutes": alarm.value if alarm else str(DEFAULT_ALARM_MINUTES),
        "theme": theme.value if theme else None,
    }


def set_setting(desk: Desk, key: str, value: str) -> None:
    """Set one setting, validated: a zone must exist, hours and minutes be numbers."""
    if key not in KEYS:
        raise BadInput(f"unknown setting {key!r}: choose {', '.join(KEYS)}")
    value = value.strip()

    def work(unit: Unit) -> None:
        if key == "name":
            if not value:
                raise BadInput("the name cannot be empty")
            unit.tam.name = value
        elif key == "email":
            if "@" not in value:
                raise BadInput(f"{value!r} is not an email address")
            unit.tam.email = value
        elif key == "tz":
            unit.tam.tz = zone(value).key
        elif key == "working_hours":
            unit.tam.working_hours = _positive(value, key)
        elif key == "theme":
            # Any Textual theme name; the desk falls back to its default for one it does not know.
            if not value:
                raise BadInput("the theme needs a name, such as textual-light")
            unit.session.merge(Setting(key="theme", value=value))
        else:
            minutes = int(_positive(value, key))
            unit.session.merge(Setting(key="alarm_minutes", value=str(minutes)))

    desk.write(work)


def _positive(value: str, key: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise BadInput(f"{key} must be a number, not {value!r}") from None
    if number < 0:
        raise BadInput(f"{key} must be 0 or more")
    return number
