"""Disclosure tests reuse the case fixtures (organ A's power item, officers, a general
case and its walker)."""

from __future__ import annotations

from zhifa.cases.tests import conftest as cases_conftest

power_item = cases_conftest.power_item
people = cases_conftest.people
general_case = cases_conftest.general_case
walk = cases_conftest.walk
