"""iCalendar for the TAM's calendar apps (SPEC X1-X2), built with the ``icalendar`` package."""
