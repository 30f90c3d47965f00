"""The services of a case by concept; their public face is ``zhifa.cases.services``."""
