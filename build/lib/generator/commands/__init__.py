"""commands: what the command line prints and does around the publish sequence (see CONTRIBUTING.md)."""
