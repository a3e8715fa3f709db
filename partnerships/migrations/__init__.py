"""The schema of the partnerships app, one migration per change of its models."""
