"""journal: an electronic class journal for small schools on Excel workbooks and Jupyter."""

__version__ = "0.1.0"
