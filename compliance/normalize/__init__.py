"""Stage 2: original text → ``NormalizedText`` (mainland Simplified, offsets back to the original)."""

from compliance.normalize.script import normalize

__all__ = ["normalize"]
