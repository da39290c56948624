"""preview: see CONTRIBUTING.md, How the build works."""
