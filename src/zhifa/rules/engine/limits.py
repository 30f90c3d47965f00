"""How large a case file may be: the one place the engine's validation, the audit page,
the API (``DATA_UPLOAD_MAX_MEMORY_SIZE``) and the imports read (docs/rules.md, "Limits").

A real case has tens of steps and a few kilobytes; the caps are generous for any real
case and bound the work one request can ask of the server (an audit at the cap takes
well under a second)."""

#: the most steps a case file may have
MAX_STEPS = 2_000

#: the most bytes a case file may have (its JSON text, as uploaded)
MAX_BYTES = 5 * 1024 * 1024
