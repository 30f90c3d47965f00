"""Zhifa (执法): an open-source platform for administrative law enforcement."""

__version__ = "0.1.0"
