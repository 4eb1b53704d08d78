"""The central dataset: the only module with SQL (:mod:`journal.dataset.store`) and its migrations."""
