"""Settings packages: ``development`` (default), ``production`` and ``test``.

Every value that differs between installations comes from the environment; see
``base.py`` and the README's production section.
"""
