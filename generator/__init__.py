"""Outcome knowledge base: turn outcome-harvesting fragments into a MkDocs site.

Stages, one module each: readers → normalise → gate → indexes → render → write,
driven by pipeline.py and exposed on the command line by cli.py.
"""
