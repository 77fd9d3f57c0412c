"""Checklists (政务公开工作要点 → ``Checklist``): a key-point document, read as a report is read
(``pipeline.read``), becomes the tasks reports are checked against (``extract``: the attachment
table in ``attachment``, units in ``units``, terms in ``terms``); checklists are kept as YAML/JSON
(``files``). Which checklists a check uses is the pipeline's (``pipeline.checklist``)."""
