"""Pure rules of the desk: plain data in, decisions out.

Nothing here performs I/O, touches SQLAlchemy or Textual, or reads the clock:
"now" is always a parameter. Every rule cites its id in ``SPEC.md``.
"""
