"""The interactive desk (Textual). Imported only when the desk opens."""
