"""The command line: argument parsing and exit codes over the library (:mod:`journal.cli.main`)."""
