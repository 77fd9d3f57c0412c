"""Tools for rule authors, above the pipeline: ``scaffold`` writes a new rule's skeleton and case
file (``compliance rules new``), ``cases`` runs a rule pack's cases and examples (``compliance
rules test``)."""
