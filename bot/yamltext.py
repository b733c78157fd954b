"""Parsing the product's own YAML data (knowledge, examples, cues, option words).

libyaml's safe loader when PyYAML was built with it: the same documents, about ten times faster,
which is most of what reading the data files costs at start-up."""

from __future__ import annotations

import yaml

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse(text: str) -> object:
    """The document in `text`, as `yaml.safe_load` reads it (raises `yaml.YAMLError`)."""
    return yaml.load(text, Loader=_LOADER)
