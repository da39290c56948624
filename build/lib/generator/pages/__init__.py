"""pages: see CONTRIBUTING.md, How the build works."""
