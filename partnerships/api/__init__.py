"""The REST API of partnerships and their parts; routes are registered in ``config/api.py``."""
