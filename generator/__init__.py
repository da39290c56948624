"""Outcome knowledge base: turn outcome-harvesting fragments into a MkDocs site.

Stages, one module each: readers → normalise → gate → indexes → render → write,
driven by publish/generate.py and publish/sequence.py, and exposed on the command line by cli.py.
"""
