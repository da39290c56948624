"""Outcome knowledge base: turn outcome-harvesting fragments into a MkDocs site.

The folders are the stages: read/ → privacy/ (gate, redaction) → normalise/ → pages/ →
publish/ (docs folder, engine, Pagefind and guard, swap), with preview/ beside them;
cli.py and plugin.py are the two ways in. CONTRIBUTING.md, "How the build works", has the map.
"""
