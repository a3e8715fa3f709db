"""Pages of a partnership and its parts, thin: each fetches the partnership through the
permission layer and writes through ``services``. ``partnership`` (list, detail, create,
edit), ``members`` (candidates, members joining and leaving), ``parts`` (objectives,
indicators, contributions, activities, measurements, meetings, assessments) and ``keyset``
(the list's pagination). Each concept package (``lifecycle``, ``gates``, ``phases``,
``agreement``, ``exports``) has its own views."""
