"""Helpers shared by the tests: workbook and dataset fixtures, PDF inspection, the hostile-file corpus."""
