"""The lifecycle of a partnership through its five phases: the transition table read from the
model's ``@transition`` declarations (``transitions``), what each gate asks (the ``checklists``
registry and the lifecycle's own ``gate_items``), the transition services (``services``), the
assessment ``schedule`` and the pages that move a partnership (``views``, ``forms``).

Nothing is imported here, so the models can read the leaf modules (``checklists``,
``schedule``) without importing the services that build on the models."""
