"""The family diary: a static folder of encrypted per-student bundles and its entry page."""
