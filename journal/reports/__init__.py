"""Report computations: pure functions over the central dataset's DataFrames.

Each report (activity, filling, progress, attendance, curriculum, preliminary, audit)
is a module of functions returning DataFrames; :mod:`.charts` draws the figures and
:mod:`.data` loads the dataset. The notebooks in ``notebooks/`` only call these.
"""
