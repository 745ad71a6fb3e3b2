"""A dialog's text field: what is typed repaints the field, not the screen.

Textual's ``Input`` sets its virtual size (its text's width) on every change
of its text, and a widget's virtual size is a reactive that lays the whole
screen out again, as it may bring scroll bars. A field has none, and its
width comes from the form, not from what is typed in it; the text scrolls
inside it by that virtual size all the same. So each key typed in a dialog
lays out nothing (the dialog's hint and preview do, when their height
changes: ``static_text``).
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input


class TextField(Input):
    """An ``Input`` whose typing repaints it alone."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)
