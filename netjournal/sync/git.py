"""The user's ``git``, through subprocess: a thin wrapper and its one error type.

What git reads from the user is kept: their config (name, email, credentials,
signing), their remotes, their ssh agent.  What would make its output ours to parse
differently from machine to machine is set here, once: the C locale, no pager, no
colour, paths not quoted, no editor.  Variables that would point git at another
repository (``GIT_DIR``, ``GIT_INDEX_FILE``… as set inside a git hook) are dropped;
``GIT_INDEX_FILE`` is given only where this package means it (a merge's own index).

``interactive=False`` (the app): git runs in a session of its own, with no terminal
to ask for a password on, and ``GIT_TERMINAL_PROMPT=0``, so a remote that wants
credentials fails with a line instead of writing into the full-screen app.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from pathlib import Path
from typing import Callable, Iterable, Sequence

from netjournal.sync import SyncError

# Variables that redirect git to another repository, index or object store.
_REDIRECTS = (
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_NAMESPACE", "GIT_PREFIX", "GIT_COMMON_DIR", "GIT_QUARANTINE_PATH", "GIT_INDEX_VERSION",
)
_CONFIG = ("-c", "core.quotepath=off", "-c", "color.ui=false")
EMPTY_TREE = "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
# git's words when another git process holds the index's lock: a command that writes
# the index takes that lock before it does anything, so it gave up having done nothing
# and may simply run again once the lock is gone
_LOCKED = re.compile(rb"Unable to create '([^'\n]*index\.lock)': File exists")
LOCKED_WAIT = 3.0  # seconds a command waits for another git's lock to go before it fails
NO_GIT = ("git is not installed (or not on PATH): sync, history and undo run the git you use; "
          "install it from https://git-scm.com or your package manager")


class GitError(SyncError):
    """A git command failed.  ``line`` is git's own last word on it."""

    def __init__(self, args: Sequence[str], returncode: int, stderr: str, stdout: str = "") -> None:
        self.args_ = list(args)
        self.returncode = returncode
        self.stderr = stderr
        self.stdout = stdout
        self.line = last_line(stderr) or last_line(stdout) or f"exit status {returncode}"
        super().__init__(f"git {' '.join(self.args_[:2])} failed: {self.line}")


def last_line(text: str) -> str:
    """git's most telling line: the last 'fatal:'/'error:' one, else the last line."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in reversed(lines):
        for prefix in ("fatal: ", "error: "):
            if line.startswith(prefix):
                return line[len(prefix):]
    return lines[-1] if lines else ""


def find_git() -> str:
    """The path of the ``git`` the user would run; SyncError when there is none."""
    found = shutil.which("git")
    if found is None:
        raise SyncError(NO_GIT)
    return found


class Git:
    """``git -C root …`` with the environment described above."""

    def __init__(self, root: Path, *, interactive: bool = True) -> None:
        self.root = Path(root)
        self.interactive = interactive
        self.exe = find_git()
        env = {k: v for k, v in os.environ.items() if k not in _REDIRECTS}
        env.update(LC_ALL="C", LANGUAGE="", GIT_PAGER="cat", PAGER="cat", GIT_EDITOR=":",
                   GIT_MERGE_AUTOEDIT="no", GIT_LITERAL_PATHSPECS="1")
        if not interactive:
            env["GIT_TERMINAL_PROMPT"] = "0"
        self.env = env
        # told the id of every git process started (the repository's lock records them,
        # so that a step that finds it killed can wait for git children still running)
        self.on_spawn: Callable[[int], None] | None = None

    def run(self, *args: str, input: bytes | None = None, check: bool = True,
            index: Path | None = None, quiet_locks: bool = False, timeout: float | None = None,
            glob: bool = False) -> subprocess.CompletedProcess[bytes]:
        """Run one git command; its output as bytes.  ``index``: a temporary index of
        ours instead of the repository's; ``quiet_locks``: take no optional lock (a
        read-only look such as the app's status line must not block a commit);
        ``glob``: pathspecs are patterns (else every path is taken literally, so that a
        file named ``a[1].md`` or ``*.md`` is only itself)."""
        env = self.env
        if index is not None or quiet_locks or glob:
            env = dict(env)
            if index is not None:
                env["GIT_INDEX_FILE"] = str(index)
            if quiet_locks:
                env["GIT_OPTIONAL_LOCKS"] = "0"
            if glob:
                env.pop("GIT_LITERAL_PATHSPECS", None)
        argv = [self.exe, "-C", str(self.root), *_CONFIG, *args]
        deadline = time.monotonic() + LOCKED_WAIT
        while True:
            done = self._once(argv, args, env, input, timeout)
            locked = _LOCKED.search(done.stderr) if done.returncode != 0 else None
            if locked is None or not self._wait_for_lock(os.path.join(self.root, os.fsdecode(locked.group(1))),
                                                         deadline):
                break
        if check and done.returncode != 0:
            raise GitError(args, done.returncode, _text(done.stderr), _text(done.stdout))
        return done

    @staticmethod
    def _wait_for_lock(path: str, deadline: float) -> bool:
        """Whether the lock file another git process holds went before ``deadline``
        (a user's ``git status`` in a shell prompt, an editor's git, a child of a killed
        sync): then the command that found it runs again."""
        while time.monotonic() < deadline:
            if not os.path.lexists(path):
                return True
            time.sleep(0.05)
        return False

    def _once(self, argv: list[str], args: Sequence[str], env: dict[str, str], input: bytes | None,
              timeout: float | None) -> subprocess.CompletedProcess[bytes]:
        try:
            proc = subprocess.Popen(
                argv, stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=not self.interactive,
            )
        except FileNotFoundError:
            raise SyncError(NO_GIT) from None
        if self.on_spawn is not None:
            self.on_spawn(proc.pid)
        try:
            out, err = proc.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.communicate()
            raise SyncError(f"git {args[0]} took longer than {timeout:.0f} s and was stopped; "
                            "nothing was changed by it") from None
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        return subprocess.CompletedProcess(argv, proc.returncode, out, err)

    def out(self, *args: str, **kwargs: object) -> str:
        """stdout as text, without its last newline."""
        return _text(self.run(*args, **kwargs).stdout).rstrip("\n")  # type: ignore[arg-type]

    def ok(self, *args: str, **kwargs: object) -> bool:
        """True when the command exits 0 (a question such as ``merge-base --is-ancestor``)."""
        return self.run(*args, check=False, **kwargs).returncode == 0  # type: ignore[arg-type]

    # ------------------------------------------------------------------ objects

    def blobs(self, specs: Iterable[str]) -> dict[str, bytes | None]:
        """The contents of many objects (``<rev>:<path>``, ``:<path>``, a blob id) with
        one ``cat-file --batch``; None for one that does not exist."""
        wanted = list(dict.fromkeys(specs))
        if not wanted:
            return {}
        for spec in wanted:
            if "\n" in spec:
                raise SyncError(f"a path with a line break cannot be read from git: {spec!r}")
        data = self.run("cat-file", "--batch", input=("\n".join(wanted) + "\n").encode()).stdout
        found: dict[str, bytes | None] = {}
        at = 0
        for spec in wanted:
            end = data.index(b"\n", at)
            header = data[at:end].split()
            at = end + 1
            if len(header) == 3 and header[1] in (b"blob", b"tree", b"commit", b"tag"):
                size = int(header[2])
                found[spec] = data[at:at + size] if header[1] == b"blob" else None
                at += size + 1
            else:  # "<spec> missing" or "ambiguous"
                found[spec] = None
        return found

    def with_paths(self, *args: str, paths: Iterable[str], **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        """``git ARGS`` with ``paths`` given on standard input (``--pathspec-from-file``):
        as many as there are, whatever their names."""
        data = b"\0".join(p.encode("utf-8", "surrogateescape") for p in paths)
        return self.run(*args, "--pathspec-from-file=-", "--pathspec-file-nul", input=data, **kwargs)  # type: ignore[arg-type]

    def write_blob(self, data: bytes) -> str:
        """Store ``data`` as a blob; its id."""
        return self.out("hash-object", "-w", "--stdin", input=data)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")

