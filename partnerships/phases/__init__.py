"""The work of each phase: the problem tree and matrix (interest), the agreement builder
(design), the work plan, meetings and conflicts (operation), assessments and health checks
(assessment), the closure and the lessons library; attachments. ``services`` writes, ``forms``
and ``views`` are the pages, ``checklists`` what each gate asks of this work."""
