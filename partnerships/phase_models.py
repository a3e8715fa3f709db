"""Kept for the migrations, which name these two callables by this path (an attachment's upload
path and its private storage); the models themselves live in ``partnerships.models.phases``."""

from .models.phases import attachment_path, private_storage

__all__ = ["attachment_path", "private_storage"]
