"""The base layer: exceptions, findings, text and number formatting, file and workbook-style helpers.

Imports nothing else of the program; every other layer may import it."""
