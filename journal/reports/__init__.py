"""Report computations: pure functions over the central dataset's DataFrames.

* :mod:`.data` loads the dataset (:func:`.data.load` → :class:`.data.Dataset`);
* :mod:`.common` holds the shared definitions: weighted averages, forecasts, periods and
  date ranges, pass rate, quality rate, СОУ;
* one module per report — :mod:`.activity`, :mod:`.filling`, :mod:`.progress`,
  :mod:`.attendance`, :mod:`.curriculum`, :mod:`.preliminary`, :mod:`.audit` — each a set
  of functions returning DataFrames with English column names;
* :mod:`.charts` draws the figures, :mod:`.tables` prints the frames the Russian way, and
  :mod:`.context` opens a school for a notebook.

The notebooks in ``notebooks/`` only call these.
"""
