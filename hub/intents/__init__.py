"""Intent templates (YAML in this folder) and the handlers that answer them."""
