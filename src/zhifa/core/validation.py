"""Shared limits for input validation."""

#: The largest id the database can hold (a 64-bit signed integer). Larger numbers in a
#: query string are refused as invalid instead of overflowing the database driver.
DB_MAX_ID = 2**63 - 1
