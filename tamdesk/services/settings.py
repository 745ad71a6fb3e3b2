"""The TAM's settings: name, email, time zone, working hours and day, reminder minutes, desk theme."""

from __future__ import annotations

from sqlalchemy import select

from tamdesk.domain.errors import BadInput
from tamdesk.domain.names import folded
from tamdesk.domain.timezones import zone
from tamdesk.domain.workday import DEFAULT_WORKDAY, Workday
from tamdesk.domain.values import (
    HOURS_IN_WEEK,
    MAX_ALARM_MINUTES,
    MAX_NAME,
    read_number,
    read_text,
    read_whole,
    shown,
)
from tamdesk.services.desk import Desk, Unit
from tamdesk.services.journal import record
from tamdesk.store.models import Setting, Tam

#: The setting that says the database holds the demo: the desk revision the demo was saved at.
DEMO_MARKER = "demo"
KEYS = ("name", "email", "tz", "working_hours", "workday", "alarm_minutes", "theme")
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
        "workday": str(workday_of(unit)),
        "alarm_minutes": alarm.value if alarm else str(DEFAULT_ALARM_MINUTES),
        "theme": theme.value if theme else None,
    }


def set_setting(desk: Desk, key: str, value: str) -> None:
    """Set one setting, validated: a zone must exist, hours and minutes be numbers."""
    if key not in KEYS:
        raise BadInput(f"unknown setting {key!r}: choose {', '.join(KEYS)}")
    value = value.strip()

    def work(unit: Unit) -> None:
        if key != "theme":  # the desk's look, picked in the palette, is not a change to undo
            record(unit, "setting.set", None, f"set {key} to {value!r}", {"key": key, "value": _raw(unit, key)})
        if key == "name":
            name = read_text(value, "the name", limit=MAX_NAME, required=True)
            clash = unit.session.scalar(select(Tam).where(Tam.name_key == folded(name), Tam.id != unit.tam.id))
            if clash is not None:  # TAMs are found by name (--as): two of one name could not be told apart
                raise BadInput(f"another TAM of the desk is named {shown(clash.name)}; choose another name")
            unit.tam.name = name
        elif key == "email":
            email = read_text(value, "the email address", limit=MAX_NAME, required=True)
            if "@" not in email:
                raise BadInput(f"{shown(email)} is not an email address")
            unit.tam.email = email
        elif key == "tz":
            unit.tam.tz = zone(value).key
        elif key == "working_hours":
            unit.tam.working_hours = read_number(value, key, low=0, high=HOURS_IN_WEEK, unit="hours a week")
        elif key == "workday":
            unit.session.merge(Setting(key="workday", value=str(Workday.parse(value))))
        elif key == "theme":
            # Any Textual theme name; the desk falls back to its default for one it does not know.
            theme = read_text(value, "the theme", limit=MAX_NAME)
            if not theme:
                raise BadInput("the theme needs a name, such as textual-light")
            unit.session.merge(Setting(key="theme", value=theme))
        else:
            minutes = read_whole(value, key, low=0, high=MAX_ALARM_MINUTES, unit="minutes")
            unit.session.merge(Setting(key="alarm_minutes", value=str(minutes)))

    desk.write(work)


#: The settings kept on the TAM's row; the others are rows of ``settings``.
_ON_TAM = ("name", "email", "tz", "working_hours")


def _raw(unit: Unit, key: str) -> object:
    """A setting's stored value as it stands, ``None`` where unset (what undoing puts back)."""
    if key in _ON_TAM:
        return getattr(unit.tam, key)
    row = unit.session.get(Setting, key)
    return row.value if row else None


def restore_setting(unit: Unit, key: str, value: object) -> None:
    """Put a setting back to its stored ``value`` (undoing ``set_setting``); ``None`` unsets it."""
    if key in _ON_TAM:
        setattr(unit.tam, key, value)
    elif value is None:
        row = unit.session.get(Setting, key)
        if row is not None:
            unit.session.delete(row)
    else:
        unit.session.merge(Setting(key=key, value=str(value)))
    unit.session.flush()


def workday_of(unit: Unit) -> Workday:
    """The TAM's working day (T8): as set, else Monday to Friday 09:00-18:00."""
    row = unit.session.get(Setting, "workday")
    return Workday.parse(row.value if row else DEFAULT_WORKDAY)
