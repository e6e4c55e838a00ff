"""Hostile files made in memory, as an attacker would make them: one builder per case."""
