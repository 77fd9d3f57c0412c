"""The review workspace (``compliance serve``): a web application in which an office uploads the
drafts it receives, follows each through its correction notice to its corrected version, and
compiles the figures of their tables — with a database of issuers, submissions and versions."""
