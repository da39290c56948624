"""The leak guard: the last check before a new site replaces the old one.

The gate holds confidential ("held-back") fragments back before anything is derived
from them, so nothing of theirs should reach the site. The guard checks that this held:
it reads every file the build produced (Markdown, HTML, open data, feed, sitemap,
Pagefind's compressed index) and every file and folder name, and reports any of:

- a run of SHINGLE (6) consecutive words of a held-back fragment's values that no
  public fragment's values (nor the editors' own text) contain;
- a short value (country, objective, type of change, Results Framework code…: a value
  of a field whose kind has short values, generator.fields.KINDS) or the ID of a
  held-back fragment that no public fragment has anywhere in its values and
  that the editors did not write themselves (allowed_text);
- a redacted phrase.

Everything is compared as folded words (generator.privacy.redact.words: case, accents, invisible
characters and punctuation do not matter). A file's text is decoded first: gzip (when
its bytes start with 1f 8b), JSON string escapes, HTML entities (repeatedly: the feed
escapes HTML that holds entities) and markup (tags are dropped, so that `<em>` inside a
sentence does not hide it; the values of attributes that hold text, such as `content`,
`title`, `alt` and `data-*`, are kept).

A Leak says where and what kind of thing leaked, never the text itself: the build
prints it, and the build's log may be public.

Speed: a 5,000-fragment site is ~90 MB and its docs folder ~30 MB, mostly the same theme
markup on every page. check_tree checks each distinct line once: a line already seen in an
earlier file was checked then, so only new lines are checked, each with enough of its
neighbours (at least SHINGLE - 1 words on each side) that a run crossing a line break is
still seen. What this misses: a run made only of lines that each appeared before in other
files, in a new order. A leak repeated in many files is named in the first one that holds it.

The build gives the site and the docs folder to one walk, check_tree(site, docs). The docs
folder is checked although the site is built from it: it is generated Markdown that can hold
what the HTML does not (front matter, comments, a page MkDocs leaves out of the site), and
it is what the repository publishes. In one walk the files MkDocs copied unchanged (open
data, feed) are read but not checked again, nor is any line the Markdown shares with the HTML.

Words are read in a few passes of C code (WordReader: bytes.translate and split, each
distinct character outside ASCII folded once), giving exactly the words generator.privacy.redact.words
gives. check_tree shares the files between two processes on a machine with two cores (fork;
one process where there is no fork): the second process first reads the lines of the files
before its share, so both skip exactly the lines one process would, and the leaks are the same.

The guard's modules, in the order a check goes:
- terms.py: what must not appear, built from the fragments (runs, IDs, short values,
  redacted phrases), and Leak, what a find is reported as;
- decode.py: a file's bytes → its folded words;
- walk.py: the files and folders of a tree, and which are read;
- seen_lines.py: each distinct line of a walk checked once;
- check.py: Guard, which checks a file, a name or a whole tree;
- parallel.py: a tree's check shared between two processes;
- process.py: GuardProcess, the guard of a build in a process of its own beside the engine.
"""
