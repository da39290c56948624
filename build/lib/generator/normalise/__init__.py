"""normalise: see CONTRIBUTING.md, How the build works."""
