"""Reference data the forms, models and exports read: the OECD DAC purpose codes (from the
vendored IATI code lists in ``partnerships/iati_data/``), the SDGs and currencies (``codes``)."""
