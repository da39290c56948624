"""`python -m generator publish`: push the built site, and nothing else, to a branch of a
repository (a site repository's gh-pages, say).

The push starts from an empty temporary repository of its own, never from the project's:
the only commits it can send are those ghp-import makes of the site folder, on top of the
branch as the remote has it (fetched first, so a publication adds one commit to its
history). Before pushing, the commit's files are compared with the site folder's; the
temporary repository is removed whatever happens.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import ghp_import

from generator.errors import BuildError

NOJEKYLL = ".nojekyll"  # GitHub Pages must serve the site as it is, not through Jekyll
TARGET = "site-repository"  # the remote's name inside the temporary repository
MESSAGE = "Publish the site (built by the outcome knowledge base)"
# Who the commit is by when git does not know (a CI runner).
DEFAULT_COMMITTER = {"user.name": "Outcome knowledge base", "user.email": "outcome-knowledge-base@localhost"}


@dataclass(frozen=True)
class Pushed:
    remote: str  # without any user name or password it held
    branch: str
    files: int


def shown_remote(remote: str) -> str:
    """The remote as a message may show it: a password or token in an address is dropped."""
    parts = urlsplit(remote)
    if parts.scheme and "@" in parts.netloc:
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))
    return remote


def _git(git_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", f"--git-dir={git_dir}", *args], capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL
    )


def _failure(result: subprocess.CompletedProcess[str], remote: str, shown: str) -> str:
    """Git's own reason, last lines first, with the remote shown without credentials."""
    lines = [line.strip() for line in result.stderr.splitlines() if line.strip()]
    return "; ".join(lines[-3:]).replace(remote, shown) or f"git stopped with status {result.returncode}"


@contextlib.contextmanager
def _git_dir(git_dir: Path) -> Iterator[None]:
    """ghp-import runs git in the current repository: point it at the temporary one."""
    before = os.environ.get("GIT_DIR")
    os.environ["GIT_DIR"] = str(git_dir)
    try:
        yield
    finally:
        if before is None:
            del os.environ["GIT_DIR"]
        else:
            os.environ["GIT_DIR"] = before


def site_files(site_dir: Path) -> set[str]:
    """The files a publication of site_dir holds, as paths in the branch."""
    return {path.relative_to(site_dir).as_posix() for path in site_dir.rglob("*") if path.is_file()} | {NOJEKYLL}


def push_site(site_dir: Path, remote: str, branch: str = "gh-pages") -> Pushed:
    """Commit site_dir alone onto `branch` of `remote` and push it. Raises BuildError
    (naming the remote without credentials) when git cannot; the remote is then unchanged."""
    shown = shown_remote(remote)
    if not site_dir.is_dir():
        raise BuildError(f"there is no site to publish in {site_dir}/")
    with tempfile.TemporaryDirectory(prefix="okb-publish-") as work:
        git_dir = Path(work) / "publish.git"
        try:
            setup = _git(git_dir, "init", "--bare", "--quiet", str(git_dir))
        except OSError:
            raise BuildError("git is needed to publish: install it from https://git-scm.com/ and try again") from None
        if setup.returncode != 0:
            raise BuildError(f"could not prepare the publication: {_failure(setup, remote, shown)}")
        _git(git_dir, "remote", "add", TARGET, remote)
        for key, value in DEFAULT_COMMITTER.items():
            if not _git(git_dir, "config", key).stdout.strip():
                _git(git_dir, "config", key, value)
        # The branch as the remote has it, so this publication adds to its history. A branch
        # not there yet is made by the push; a remote that cannot be reached fails the push.
        _git(git_dir, "fetch", "--quiet", "--depth=1", TARGET, f"+refs/heads/{branch}:refs/remotes/{TARGET}/{branch}")
        try:
            with _git_dir(git_dir):
                ghp_import.ghp_import(str(site_dir), remote=TARGET, branch=branch, mesg=MESSAGE, nojekyll=True)
        except ghp_import.GhpError as error:
            raise BuildError(f"could not prepare the publication: {error.message}") from None
        listed = _git(git_dir, "ls-tree", "-r", "-z", "--name-only", f"refs/heads/{branch}")
        expected = site_files(site_dir)
        if listed.returncode != 0 or set(listed.stdout.split("\0")) - {""} != expected:
            raise BuildError(f"the publication did not hold exactly the site in {site_dir}/: nothing was pushed")
        pushed = _git(git_dir, "push", "--quiet", TARGET, f"refs/heads/{branch}:refs/heads/{branch}")
        if pushed.returncode != 0:
            raise BuildError(
                f"could not push the site to {shown}, branch {branch}: {_failure(pushed, remote, shown)}. "
                "Check the address and that this computer (or the workflow's deploy key) may write to it"
            )
    return Pushed(shown, branch, len(expected))
