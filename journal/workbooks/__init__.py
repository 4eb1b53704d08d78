"""Every Excel workbook people fill: the format contract, building, screening, isolation and reading.

Subject and class workbooks and the settings workbook are built from the school model and read
back into plain values with their cell addresses. Imports :mod:`journal.core` and :mod:`journal.school`."""
