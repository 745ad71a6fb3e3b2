"""The desk: database, catalogue, clock and the TAM's zone, and its transactions.

``Desk.open`` is the one way in for the CLI, the TUI and the tests. ``write``
runs a unit of work in one ``BEGIN IMMEDIATE`` transaction and commits once;
a refusal or any error rolls it back whole. A write that finds the database
locked by another process past the busy timeout is tried again, then refused
with ``Busy``. What reacts to a change (the auto feed, X1) registers itself in
``after_commit`` from where the desk is opened, so this module imports none of it.
On PostgreSQL a write that lost to a concurrent one (a serialization failure
or a deadlock) is run again whole after a short random pause, and past
``CONFLICT_ATTEMPTS`` is refused with ``Busy`` too; the second run reads what
the winner committed, so a rule refuses it as it would have in turn.

Once a change has committed it is saved, whatever happens next: a hook that
fails is a warning (``warned``), never an error of the change. Every commit
also raises the desk's ``revision``, the data version a derived file (the auto
feed) stamps, so that a stale one can be told and written again.
"""

from __future__ import annotations

import copy
import difflib
import getpass
import logging
import random
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, Connection, Engine, Row, select, text, true
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from tamdesk.domain.errors import BadInput, Busy, Forbidden
from tamdesk.domain.names import named
from tamdesk.domain.plans import Catalogue, catalogue_from_dict
from tamdesk.domain.timezones import local_date, zone
from tamdesk.domain.values import MAX_NAME, looks_like_id, read_id, read_text, shown
from tamdesk.resources import catalogue_path, toml_of
from tamdesk.store.engine import (
    CHANNEL,
    WRITE,
    database_url,
    ensure_schema,
    is_conflict,
    is_locked,
    listen_target,
    open_engine,
    shown_url,
    sqlite_file,
    while_locked,
)
from tamdesk.store import tables
from tamdesk.store.watch import ChangeWatch

if TYPE_CHECKING:
    from tamdesk.store.models import Customer, Tam

# The ORM classes are imported in the methods that use them: mapping them costs some 40 ms, and reading
# the week (``tamdesk week``, a page turn) goes through Core alone (``tamdesk.store.tables``).

T = TypeVar("T")
M = TypeVar("M")
CURRENT_TAM = "current_tam"
#: The setting counting committed changes: the data version derived files stamp.
REVISION = "revision"
WRITE_ATTEMPTS = 3
#: How often a PostgreSQL unit of work that lost to a concurrent one is run at most, and its pause's bounds (s).
CONFLICT_ATTEMPTS = 8
CONFLICT_PAUSE = (0.005, 0.05)
#: Run with the desk after a change it made has committed (never after a refusal).
AfterCommit = Callable[["Desk"], None]
log = logging.getLogger("tamdesk")


class SavedChanges:
    """How many changes this process has committed: output that fails afterwards does not undo them."""

    count = 0


def load_catalogue() -> Catalogue:
    """The plan catalogue in force (the user's own ``plans.toml`` or the shipped one).

    Parsed once per content of the file: a process that opens many desks (a script
    running commands, the tests) parses it once, and an edited file is read as edited.
    """
    path = catalogue_path()
    return _catalogue_of(path, path.read_bytes())


@lru_cache(maxsize=4)
def _catalogue_of(path: Path, content: bytes) -> Catalogue:
    return catalogue_from_dict(toml_of(content, path))


def system_zone_name() -> str:
    """The IANA name of the machine's time zone, ``UTC`` when it cannot be told."""
    try:
        import tzlocal

        return tzlocal.get_localzone_name() or "UTC"
    except Exception:  # an unreadable /etc/localtime must not stop the desk
        return "UTC"


class Desk:
    """One open desk: where the data is, what time it is, whose view it shows."""

    def __init__(
        self,
        engine: Engine,
        catalogue: Catalogue,
        *,
        now: datetime | None = None,
        tz: str | None = None,
        url: str = "",
    ) -> None:
        self.engine = engine
        self.catalogue = catalogue
        self.url = url
        self._fixed_now = now.astimezone(UTC) if now else None
        self._tz_override = zone(tz) if tz else None
        self._batch: Session | None = None
        #: What runs, in order, after each committed change (a use-case's, or a batch's once).
        self.after_commit: list[AfterCommit] = []
        #: Who is told when something after a commit fails (the CLI prints it, the desk shows a toast).
        self.warned: list[Callable[[str], None]] = []
        #: Why the desk is read-only (its file failed the integrity check), or None.
        self.damaged: str | None = None

    @classmethod
    def open(
        cls,
        db: str | None = None,
        *,
        now: datetime | None = None,
        tz: str | None = None,
        check: bool = True,
        as_tam: str | None = None,
    ) -> Desk:
        """Open (and create or migrate) the database named by ``db``, as the TAM ``as_tam`` names.

        With ``check``, a file that fails SQLite's integrity check (see
        ``services.maintenance``) opens read-only: ``damaged`` says why.
        Without ``as_tam``, you are the TAM you chose on this desk
        (``services.identity``), else its ``current_tam``.
        """
        url = database_url(db)
        engine = open_engine(url)
        damaged = _damage(url) if check else None
        try:
            # The first connection switches to WAL and a migration takes the write lock: another
            # program's lock there is waited out, then Busy (exit 4), never a traceback.
            if damaged is None:
                while_locked(lambda: ensure_schema(engine), what="the database")
            desk = cls(engine, load_catalogue(), now=now, tz=tz, url=url)
            desk.damaged = damaged
            if damaged is None:
                while_locked(desk._ensure_tam, what="the database")
            desk._be(as_tam)
        except DatabaseError as error:  # "malformed" pages the check did not reach, a read-only file, a full disk
            engine.dispose()
            converted = _storage_error(error, url)
            if converted is error:
                raise
            raise converted from None
        except RuntimeError:
            engine.dispose()
            if damaged is None:
                raise
            raise BadInput(damaged) from None
        except BaseException:
            engine.dispose()
            raise
        return desk

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def watch(self) -> ChangeWatch:
        """A watch that tells when anyone, in any process, committed a change to this desk."""
        return ChangeWatch(listen_target(self.url))

    def now(self) -> datetime:
        """The desk's clock: the fixed ``--now`` if given, else the real time, in UTC."""
        return self._fixed_now or datetime.now(UTC)

    def today(self) -> date:
        """The TAM's local date now (T3)."""
        return self.read(lambda unit: unit.today)

    def at(self, now: datetime) -> Desk:
        """The same desk (and batch) with its clock set to ``now``, for replaying history."""
        other = copy.copy(self)
        other._fixed_now = now.astimezone(UTC)
        return other

    def acting_as(self, tam_id: int) -> Desk:
        """The same desk (and batch) as the TAM ``tam_id``, in their own zone: the demo replays its team's work so."""
        other = copy.copy(self)
        other.tam_id = tam_id
        if tam_id != self.tam_id:
            other._tz_override = None  # --tz is yours; another TAM's days are in their zone
        return other

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Run many use-cases as one transaction: all of them land, or none.

        Each use-case inside runs in a savepoint, so a refused one is undone
        alone and the caller may go on (the demo confirms and tries again).
        """
        with Session(self.engine, expire_on_commit=False) as session:
            while_locked(lambda: session.connection(execution_options={WRITE: True}), what="the database")
            self._batch = session
            try:
                yield
                _bump_revision(session)
                session.commit()
            except DatabaseError as error:
                if is_conflict(error):  # PostgreSQL: another writer changed what the batch read; it is not run again
                    raise Busy("the database is busy: another writer changed the same rows; nothing was changed, try again") from None
                # SQLite undoes the whole transaction on a full disk, so undoing the savepoint fails
                # next: the first storage error in the chain is the one to report.
                raise _first_storage_error(error, self.url) from None
            finally:
                self._batch = None
        self._after_commit()

    @cached_property
    def tam_id(self) -> int:
        """The id of the TAM whose desk this is (the ``current_tam`` setting)."""
        value = _current_tam(self.engine)
        if value is None:
            raise RuntimeError("the desk has no current TAM; open it with Desk.open")
        return int(value)

    def _be(self, as_tam: str | None) -> None:
        """Settle whose desk this is, once, outside any unit of work: ``as_tam``, your choice, or ``current_tam``."""
        from tamdesk.services.identity import chosen, find_tam

        if as_tam is not None:
            with Session(self.engine) as session:
                self.tam_id = find_tam(session, as_tam).id
                return
        picked = chosen(self.url)
        if picked is not None:
            with self.engine.connect() as connection:  # a read of one id, without the ORM (every command opens so)
                if connection.scalar(select(tables.tams.c.id).where(tables.tams.c.id == picked)) is None:
                    raise BadInput(
                        f"the TAM you chose on this desk (id {picked}) is no longer on it: "
                        "'tamdesk config set tam NAME' again; see 'tamdesk tam list'"
                    )
            self.tam_id = picked
            return
        self.tam_id  # read once now, outside any unit of work, and kept

    def _ensure_tam(self) -> None:
        if _current_tam(self.engine) is not None:
            return

        def create(unit: Unit) -> None:
            from tamdesk.store.models import Setting, Tam

            if unit.session.get(Setting, CURRENT_TAM) is not None:
                return  # another process created it while we waited
            tam = Tam(name=_login_name())
            unit.session.add(tam)
            unit.session.flush()
            unit.session.add(Setting(key=CURRENT_TAM, value=str(tam.id)))

        self._run(create, write=True)

    def write(self, work: Callable[[Unit], T]) -> T:
        """Run ``work`` in one write transaction and commit once."""
        return self._run(work, write=True)

    def read(self, work: Callable[[Unit], T]) -> T:
        """Run ``work`` in a read transaction (one consistent snapshot)."""
        return self._run(work, write=False)

    def add_after_commit(self, hook: AfterCommit) -> None:
        """Run ``hook`` after every committed change from now on (once, however often it is added)."""
        if hook not in self.after_commit:
            self.after_commit.append(hook)

    def check_integrity(self) -> str | None:
        """Check the file now if a check is due (the desk does so in the background); damage makes it read-only."""
        found = _damage(self.url)
        if found is not None:
            self.damaged = found
        return found

    def revision(self) -> int:
        """The desk's data version: how many changes have committed to it."""
        return self.read(revision_in)

    def warn(self, message: str) -> None:
        """Tell whoever listens (``warned``), or the log when nobody does."""
        for listener in list(self.warned) or [lambda text: log.warning("%s", text)]:
            listener(message)

    def _after_commit(self) -> None:
        """After a change lands: tell whoever registered; the change is saved whatever they do."""
        SavedChanges.count += 1
        for hook in list(self.after_commit):
            try:
                hook(self)
            except Exception as error:  # a saved change must never be reported as failed
                self.warn(f"the change is saved, but {error}")

    def _run(self, work: Callable[[Unit], T], *, write: bool) -> T:
        if write and self.damaged is not None:
            raise BadInput(self.damaged)
        if self._batch is not None:
            with self._batch.begin_nested():
                return work(Unit(self, self._batch, writing=True))
        locked = conflicts = 0
        while True:
            try:
                with Session(self.engine, expire_on_commit=False) as session:
                    session.connection(execution_options={WRITE: write})
                    result = work(Unit(self, session, writing=write))
                    if write:
                        _bump_revision(session)
                        session.commit()
            except DatabaseError as error:
                if is_conflict(error):
                    conflicts += 1
                    if conflicts == CONFLICT_ATTEMPTS:
                        raise Busy(
                            "the database is busy: other writers kept changing the same rows; nothing was changed, try again"
                        ) from None
                    time.sleep(random.uniform(*CONFLICT_PAUSE) * conflicts)
                    continue
                if not is_locked(error):
                    converted = _storage_error(error, self.url)
                    if converted is error:
                        raise
                    raise converted from None
                locked += 1
                if locked == WRITE_ATTEMPTS:
                    raise Busy(
                        "the database is busy: another tamdesk kept it locked; nothing was changed, try again"
                    ) from None
                continue
            if write:
                self._after_commit()
            return result


def _damage(url: str) -> str | None:
    """Why the desk's file must open read-only (it fails the integrity check), or None."""
    from tamdesk.services.maintenance import integrity_problems  # reads the file only when a check is due

    path = sqlite_file(url)
    if path is None or not Path(path).exists():
        return None
    problems = integrity_problems(Path(path))
    if not problems:
        return None
    return f"the database {path} failed its integrity check ({problems[0]}); it is open read-only: run 'tamdesk doctor'"


def _storage_error(error: Exception, url: str) -> Exception:
    """What SQLite says of the file itself (damaged, read-only, a full disk) as bad input naming it.

    Each of these rolls the change back whole; so does a server that cannot be
reached (PostgreSQL). Any other error is returned as it is.
    """
    text = str(error)
    if sqlite_file(url) is None and _unreachable(error):
        reason = " ".join(line.strip() for line in str(getattr(error, "orig", error)).splitlines() if line.strip())
        return BadInput(f"cannot open the database {shown_url(url)}: {reason}")
    where = sqlite_file(url) or url
    if "malformed" in text or "not a database" in text:
        return BadInput(f"the database {where} is damaged; run 'tamdesk doctor'")
    if "readonly" in text or "read-only" in text:
        return BadInput(f"the database {where} is read-only for you (its file or folder); nothing was changed")
    if "disk is full" in text or "disk I/O error" in text:
        return BadInput(f"the disk holding {where} is full or failing; nothing was changed")
    if "unable to open database file" in text:
        return BadInput(f"cannot open the database {where}: check its folder exists and is yours")
    return error


def _unreachable(error: Exception) -> bool:
    """Whether a server refused the desk's connection: down, unknown, a wrong password or database (SQLSTATE 08, 28, 3D)."""
    original = getattr(error, "orig", error)
    state = getattr(original, "sqlstate", None) or ""
    return str(original).startswith("connection failed") or state[:2] in ("08", "28", "3D")


def _first_storage_error(error: BaseException, url: str) -> BaseException:
    """The earliest error in ``error``'s chain that the file itself caused, as bad input; else ``error``."""
    found: BaseException = error
    link: BaseException | None = error
    while link is not None:
        if isinstance(link, DatabaseError) and _storage_error(link, url) is not link:
            found = _storage_error(link, url)
        link = link.__context__
    return found


def _current_tam(engine: Engine) -> str | None:
    """The ``current_tam`` setting, read without the ORM (every command opens the desk with it)."""
    with engine.connect() as connection:
        return _setting(connection, CURRENT_TAM)


def setting_in(unit: Unit, key: str) -> str | None:
    """A desk-wide setting's text as this unit of work sees it, or None."""
    return _setting(unit.session, key)


def _setting(reader: Connection | Session, key: str) -> str | None:
    return reader.scalar(select(tables.settings.c.value).where(tables.settings.c.key == key))


def revision_in(unit: Unit) -> int:
    """The desk's data version as this unit of work sees it."""
    value = setting_in(unit, REVISION)
    return int(value) if value is not None else 0


def _bump_revision(session: Session) -> None:
    from tamdesk.store.models import Setting

    row = session.get(Setting, REVISION)
    if row is None:
        session.add(Setting(key=REVISION, value="1"))
    else:
        row.value = str(int(row.value) + 1)
    if session.get_bind().dialect.name == "postgresql":
        # Delivered to every listening watch when (and only if) this transaction commits.
        session.execute(text(f"NOTIFY {CHANNEL}"))


def _login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "TAM"


@dataclass
class Unit:
    """One transaction's view of the desk: its session, clock and TAM."""

    desk: Desk
    session: Session
    #: A write transaction: a manager's lookups of another TAM's rows are refused, not read.
    writing: bool = False

    @cached_property
    def now(self) -> datetime:
        """The instant this unit of work happens at."""
        return self.desk.now()

    @cached_property
    def today(self) -> date:
        """The TAM's local date at this unit's instant (T3)."""
        return local_date(self.now, self.tam_tz)

    @cached_property
    def tam(self) -> Tam:
        """The current TAM's row."""
        from tamdesk.store.models import Tam

        tam = self.session.get(Tam, self.desk.tam_id)
        if tam is None:
            raise RuntimeError("the current TAM is missing from the database")
        return tam

    @cached_property
    def profile(self) -> Row[tuple[int, str, str | None, str | None, float | None, bool]]:
        """The current TAM's row as read, not an object to change: id, name, email, tz, working_hours, manager."""
        t = tables.tams
        row = self.session.execute(
            select(t.c.id, t.c.name, t.c.email, t.c.tz, t.c.working_hours, t.c.manager).where(t.c.id == self.desk.tam_id)
        ).one_or_none()
        if row is None:
            raise RuntimeError("the current TAM is missing from the database")
        return row

    @cached_property
    def tam_tz(self) -> ZoneInfo:
        """The TAM's zone: ``--tz``, else the TAM's setting, else the system's (T1, T3)."""
        if self.desk._tz_override is not None:
            return self.desk._tz_override
        return zone(self.profile.tz or system_zone_name())

    @property
    def catalogue(self) -> Catalogue:
        """The plan catalogue in force."""
        return self.desk.catalogue

    @cached_property
    def sees_all(self) -> bool:
        """A manager reading: lookups find any TAM's rows and lists show them all (roles, issue 19)."""
        return not self.writing and self.profile.manager

    def mine(self, column: Any) -> ColumnElement[bool]:
        """The condition keeping ``column`` (a ``tam_id``) to the rows this unit may list."""
        return true() if self.sees_all else column == self.desk.tam_id

    def owned(self, model: type[M], key: int | str, noun: str, listing: str) -> M:
        """The current TAM's ``model`` row with id ``key``; else bad input naming ``listing``.

        Another TAM's row is unknown, in the very words of a missing one, so ids
        tell nothing of what exists; a manager reads it, and is refused a change (``theirs``).
        """
        number = read_id(key, noun)
        row = self.session.get(model, number)
        if row is not None and row.tam_id != self.desk.tam_id:  # type: ignore[attr-defined]
            row = self.theirs(row, f"{noun} {number}")
        if row is None:
            raise BadInput(f"unknown {noun} {key}; see 'tamdesk {listing}'")
        return row

    def theirs(self, row: M, said: str) -> M | None:
        """Another TAM's ``row``: a manager reads it, a manager's change is refused (exit 3); anyone else: None."""
        if not self.profile.manager:
            return None
        if not self.writing:
            return row
        from tamdesk.store.models import Case, Customer, Tam

        owner = self.session.get_one(Tam, row.tam_id)  # type: ignore[attr-defined]
        if isinstance(row, Customer):
            how = f"it with 'tamdesk customer assign {row.id} --to TAM'"
        elif isinstance(row, Case):
            how = f"it with 'tamdesk case assign {row.id} --to TAM'"
        elif getattr(row, "customer_id", None) is not None:
            how = f"its customer with 'tamdesk customer assign {row.customer_id} --to TAM'"  # type: ignore[attr-defined]
        else:
            how = "its cases with 'tamdesk case assign ID --to TAM'"
        raise Forbidden(f"{said} is {owner.name}'s: only its TAM can change it; a manager can reassign {how}")

    def customer(self, ref: str | int) -> Customer:
        """A customer of the current TAM: its exact name (any case) or id, else a unique start of its name.

        Case and accents never count (``tyrell`` is "Tyrell Corp", ``cafe``
        "Café Corp"); a start several names share is bad input listing them.
        A manager's own customers come first; then any TAM's (``theirs``).
        """
        from tamdesk.store.models import Customer

        text = read_text(str(ref), "the customer", limit=MAX_NAME, required=True)
        found = self.customer_among(text, self.desk.tam_id)
        if found is None and self.profile.manager:
            found = self.customer_among(text, None)
            if found is not None:
                found = self.theirs(found, f"customer {found.name}")
        if found is not None:
            return found
        rows = self.session.execute(select(Customer.id, Customer.name).where(Customer.tam_id == self.desk.tam_id)).all()
        close = difflib.get_close_matches(text, [name for _, name in rows], n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]!r}?" if close else "; see 'tamdesk customer list'"
        raise BadInput(f"unknown customer {shown(text)}{hint}")

    def customer_among(self, text: str, tam_id: int | None) -> Customer | None:
        """The customer ``text`` names among ``tam_id``'s (every TAM's with None): exact name, id, unique start; else None."""
        from tamdesk.store.models import Customer

        scope = true() if tam_id is None else Customer.tam_id == tam_id
        exact = self.session.scalars(select(Customer).where(scope, Customer.name_key == text.casefold())).all()
        if len(exact) == 1:
            return exact[0]
        if len(exact) > 1:  # the same name at two TAMs: only a manager looks at every TAM's
            raise BadInput(f"{shown(text)} names customers of {len(exact)} TAMs: give its id "
                           f"({', '.join(str(c.id) for c in exact)})")
        if looks_like_id(text):
            found = self.session.scalar(select(Customer).where(scope, Customer.id == read_id(text, "customer")))
            if found is not None:
                return found
        rows = self.session.execute(select(Customer.id, Customer.name).where(scope)).all()
        key = named(text, rows, "customer")
        return self.session.get_one(Customer, key) if key is not None else None
