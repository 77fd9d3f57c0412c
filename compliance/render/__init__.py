"""Stage 7: reports → what people read (terminal text) and what programs read (JSON)."""

SEVERITY_LABELS = {"critical": "严重", "major": "重要", "minor": "一般", "info": "提示"}
