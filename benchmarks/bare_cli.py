"""The floor for ``tamdesk week --json``: a bare process that imports what that command loads, and nothing more.

``tamdesk week --json`` loads two third-party packages: SQLAlchemy (with its
``typing_extensions``) for the ORM and platformdirs for the user's folders.
Holidays come from the cache the warm-up run filled, so ``holidays`` is not
loaded, and neither is ``arrow``. ``tests/test_benchmarks.py`` keeps this list
equal to the command's: a floor that imports more makes the ratio look better
than it is.
"""

import platformdirs  # noqa: F401  (imported for its cost: the floor is exactly this)
import sqlalchemy.orm  # noqa: F401
