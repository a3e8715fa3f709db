"""Template tags of the partnerships app: a partnership's sign-off summary, transition labels."""
