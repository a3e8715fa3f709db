"""The bottom layer of the API: what every app's endpoints share (one error shape, pagination,
search, schema defaults), with no business rules. ``rest``: serializers, errors, schema;
``lists``: pagination and search (imported by DRF while it loads, so kept apart)."""
