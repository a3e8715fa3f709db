"""Amendments: the only way to change a signed agreement.

``kinds`` (the one table: who signs each kind, what it may change), ``working_copy`` (the copy
a facilitator edits with the design pages, and its merge), ``services`` (open, submit,
withdraw), ``signing`` (what the sign-off's end does), ``parts`` (what other apps copy and
merge: risks), ``views`` and ``forms``.
"""
