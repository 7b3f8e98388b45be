"""``saidwho eval``: measure the engine (placeholder, replaced by the evaluation work)."""

COMMANDS: list = []
