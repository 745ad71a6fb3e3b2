"""The desk's storage: SQLAlchemy 2 typed models, the engine and migrations.

Only ``tamdesk.services`` uses this package; screens and commands never do.
"""
