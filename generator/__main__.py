"""`python -m generator`: the command line (cli.main), then an exit without the interpreter's
teardown where nothing is left to do."""

import logging
import multiprocessing
import os
import sys
import threading

from generator.cli import main

code = main()
# At 5,000 fragments a build's process holds a few hundred MB of objects (generation's pages
# and report, the engine's pages and templates) when it is done, and the interpreter's
# teardown frees them one by one: ~1 s of CPU after the site is in place, on the build's
# critical path (bench/README.md, "Full build speed, tenth round"). By then every folder the
# command made is removed and every helper process has ended; only the output streams are
# left to flush. Where a helper or a thread still runs, or a stream cannot be flushed, the
# ordinary exit (which waits for them, or reports the failed flush) is taken as before.
if multiprocessing.active_children() or threading.active_count() > 1:
    sys.exit(code)
logging.shutdown()
try:
    sys.stdout.flush()
    sys.stderr.flush()
except (OSError, ValueError):
    sys.exit(code)
os._exit(code)
