"""The sample school: invented names and contents, and the build that merges and renders it."""
