"""The passage from one school year to the next (``journal new-year``)."""
