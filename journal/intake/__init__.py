"""What comes in: validation of read workbooks, the merge into the dataset, teachers' feedback,
and the update of workbooks already handed out (the templates command)."""
