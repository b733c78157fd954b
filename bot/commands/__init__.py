"""Implementations of the `ta-advisor` subcommands (terminal front ends over the domain)."""
