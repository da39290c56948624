"""read: the content folders' files → raw records and settings (see CONTRIBUTING.md, How the build works).

sources.read_sources reads every fragment source that content_folder.fragment_files allows,
with the reader formats.READERS gives for its suffix (text_files, csv_files, xlsx_files);
extras.read_extras reads the rest: framework_labels, field_names, redaction_lists and the
hand-written pages (named as published by hand_written_pages).
"""
