"""Key points (政务公开工作要点): extract a key-point document into a checklist, load and resolve
checklists, and match their tasks in a report's passages."""
