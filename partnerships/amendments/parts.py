"""What apps above ``partnerships`` copy into a working copy and merge back (the risks app: the
risks its members own). A leaf registry: ``register(part)`` from ``AppConfig.ready()``.

``part.key``: the part's name in ``Amendment.rows``; ``part.copy(original, copy, members)``
copies the rows (``members``: pk of the original member -> pk of its copy) and returns
``{copy pk: original pk}``; ``part.merge(copy, original, rows, members)`` makes the original's
rows what the copy's are (``members``: pk of the copy's member -> the original's) and returns
``{copy pk: original pk}`` for the rows it created.
"""

_parts: list = []


def register(part) -> None:
    if part not in _parts:
        _parts.append(part)


def registered() -> list:
    return list(_parts)
