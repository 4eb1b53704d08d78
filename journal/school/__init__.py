"""The school: its settings (calendar, classes, curriculum, timetable, norms), marks and its folder.

Plain model and folder layout, no workbook or dataset code. Imports only :mod:`journal.core`."""
