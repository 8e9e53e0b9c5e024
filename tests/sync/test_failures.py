"""What can go wrong around a sync: each is one clear line on stderr, exit 1, the
journal's files unchanged -- and the next sync works."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

from netjournal.sync import engine
from tests.sync.machines import Machine, bare, git, tracked_files, with_markers

AISHA = "contacts/aisha-bello.md"


def files_of(machine: Machine) -> dict[str, bytes]:
    return {p.relative_to(machine.root).as_posix(): p.read_bytes()
            for p in machine.root.rglob("*") if p.is_file()
            and not {".git", ".netjournal"} & set(p.relative_to(machine.root).parts)}


def one_line_error(machine: Machine, *args: str) -> str:
    code, out, err = machine.run(*args)
    assert code == 1, (code, out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("netjournal: "), err
    assert "Traceback" not in err
    return lines[0]


def test_unreachable_remote(laptop: Machine, tmp_path: Path) -> None:
    laptop.git("remote", "set-url", "origin", str(tmp_path / "no-such-folder.git"))
    laptop.ok("step", "aisha-bello", "trust")
    before = files_of(laptop)
    line = one_line_error(laptop, "sync")
    assert "could not reach origin" in line and "committed here" in line
    assert files_of(laptop) == before
    assert "Contact: Aisha Bello (trust)" in laptop.git("log", "-1", "--format=%s")
    # the remote is back: the next sync sends what waited
    laptop.git("remote", "set-url", "origin", str(tmp_path / "hub.git"))
    out = laptop.sync()
    assert "Went out (1):\n  Contact: Aisha Bello (trust)" in out


def test_missing_remote_folder_given_as_file_url(laptop: Machine, tmp_path: Path) -> None:
    laptop.git("remote", "set-url", "origin", f"file://{tmp_path}/gone/journal.git")
    line = one_line_error(laptop, "sync")
    assert "could not reach origin" in line


def test_push_refused_because_the_other_machine_pushed_first(laptop: Machine, desk: Machine) -> None:
    """Between the laptop's fetch and its push, the desk pushes (a pre-push hook makes
    it happen at that moment): the push is refused, fetched, merged and sent again."""
    desk.ok("step", "priya-raman", "known")
    desk.git("add", "-A")
    desk.git("commit", "-q", "-m", "desk's change")
    hook = laptop.root / ".git" / "hooks" / "pre-push"
    flag = laptop.root / ".git" / "raced"
    hook.write_text(f"#!/bin/sh\nif [ ! -e '{flag}' ]; then touch '{flag}'; "
                    f"git -C '{desk.root}' push -q origin main; fi\nexit 0\n")
    hook.chmod(hook.stat().st_mode | stat.S_IXUSR)
    laptop.ok("step", "aisha-bello", "trust")
    out = laptop.sync()
    assert flag.exists()
    assert "Came in (1):\n  Contact: Priya Raman (known)" in out and "Synced with origin" in out
    assert laptop.head() == laptop.git("rev-parse", "origin/main")
    hook.unlink()
    desk.sync()
    assert tracked_files(laptop.root) == tracked_files(desk.root)


def test_a_lock_left_in_a_folder_remote_by_a_killed_push(laptop: Machine, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """A push killed while the hub updated its branch leaves the branch's lock there:
    every push after it would be refused.  The next sync removes it and pushes."""
    monkeypatch.setattr(engine, "REMOTE_LOCK_WAIT", 0.2)
    lock = tmp_path / "hub.git" / "refs" / "heads" / "main.lock"
    lock.write_text("")
    laptop.ok("step", "aisha-bello", "trust")
    out = laptop.sync()
    assert "Recovered: removed a lock left in origin by an interrupted push" in out
    assert "Went out (1)" in out and not lock.exists()
    assert laptop.head() == git(tmp_path / "hub.git", "rev-parse", "main")


def test_git_not_installed(laptop: Machine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    before = files_of(laptop)
    monkeypatch.setenv("PATH", str(empty))
    for args in (("sync",), ("git", "init"), ("history", "aisha-bello"), ("undo",),
                 ("restore-version", "aisha-bello", "1")):
        line = one_line_error(laptop, *args)
        assert "git is not installed" in line, args
    assert files_of(laptop) == before
    monkeypatch.undo()


def test_detached_head(laptop: Machine) -> None:
    laptop.ok("step", "aisha-bello", "trust")
    laptop.git("switch", "-q", "--detach", "HEAD")
    before = files_of(laptop)
    status = laptop.git("status", "--porcelain")
    line = one_line_error(laptop, "sync")
    assert "HEAD is detached" in line and "switch" in line
    assert files_of(laptop) == before and laptop.git("status", "--porcelain") == status
    laptop.git("switch", "-q", "main")
    assert "Contact: Aisha Bello (trust)" in laptop.sync()


def test_journal_inside_another_projects_repository(tmp_path: Path, cli) -> None:  # noqa: ANN001
    project = tmp_path / "project"
    project.mkdir()
    git(project, "init", "-q")
    machine = Machine(project / "notes" / "journal", "here", cli)
    machine.ok("init", str(machine.root))
    for args in (("git", "init"), ("sync",)):
        line = one_line_error(machine, *args)
        assert f"inside another git repository ({project.resolve()})" in line, args
        assert ".gitignore" in line
    assert not (machine.root / ".git").exists() and not (machine.root / ".gitignore").exists()
    assert not git(project, "status", "--porcelain", "--ignored").count("journal/.git")


def test_not_a_repository_yet(tmp_path: Path, cli) -> None:  # noqa: ANN001
    machine = Machine(tmp_path / "journal", "here", cli)
    machine.ok("init", str(machine.root))
    line = one_line_error(machine, "sync")
    assert "is not a git repository yet" in line and "netjournal git init" in line


def test_git_without_an_identity(tmp_path: Path, cli, git_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.delenv(f"GIT_{role}_NAME")
        monkeypatch.delenv(f"GIT_{role}_EMAIL")
    git_env.write_text("[user]\n\tuseConfigOnly = true\n")
    machine = Machine(tmp_path / "journal", "here", cli)
    machine.ok("init", str(machine.root))
    line = one_line_error(machine, "git", "init")
    assert "git does not know who you are" in line and "user.email" in line
    assert not (machine.root / ".git").exists()


def test_a_remote_already_set_to_something_else(laptop: Machine, tmp_path: Path) -> None:
    line = one_line_error(laptop, "git", "init", "--remote", str(tmp_path / "elsewhere.git"))
    assert "already syncs with origin" in line and "set-url" in line


def test_index_lock_left_by_a_killed_sync_is_cleared(laptop: Machine) -> None:
    """A sync killed while git held the index: the mark it left says the lock is ours."""
    (laptop.root / ".git" / "netjournal" / "running").write_text("12345\n")
    (laptop.root / ".git" / "index.lock").write_text("")
    laptop.ok("step", "aisha-bello", "trust")
    out = laptop.sync()
    assert "Recovered: removed 1 git lock file(s) left by an interrupted sync" in out
    assert "Contact: Aisha Bello (trust)" in out
    assert not (laptop.root / ".git" / "index.lock").exists()


def test_the_temp_file_of_a_killed_save_is_never_committed(laptop: Machine, desk: Machine) -> None:
    """A save killed between writing its temp file and renaming it over the entry (a
    sync bringing files in, the app, any command) leaves ``.<name>.nj-<random>.tmp``
    beside it.  sync never commits or pushes it, and when the journal sweeps it to the
    trash a minute later, git has nothing to say about it."""
    from netjournal.store.files import _temp_copy

    exclude = laptop.root / ".git" / "info" / "exclude"
    exclude.write_text("# the user's own\n*.swp\n")
    temp = Path(_temp_copy(laptop.root / AISHA, b"---\nname: Aisha Be", 0o600))  # what a SIGKILL leaves
    laptop.ok("step", "aisha-bello", "trust")
    out = laptop.sync()
    assert "Committed here: Contact: Aisha Bello (trust)" in out and "Went out (1)" in out
    assert temp.exists() and ".nj-" not in laptop.git("ls-files")
    assert not laptop.git("status", "--porcelain")
    assert exclude.read_text().startswith("# the user's own\n*.swp\n")
    desk.sync()
    assert not list((desk.root / "contacts").glob(".*.tmp"))
    aged = temp.stat().st_mtime - 120  # a minute and more: the journal's sweep takes it
    os.utime(temp, (aged, aged))
    laptop.journal().close()
    assert not temp.exists() and any((laptop.root / ".netjournal" / "trash").rglob(temp.name))
    assert not laptop.git("status", "--porcelain")
    assert "Up to date with origin" in laptop.sync()


def test_a_git_that_takes_the_index_for_a_moment_mid_sync_is_waited_for(
        laptop: Machine, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another git takes the index's lock after the sync's first look and holds it for a
    moment (a shell prompt's ``git status``, an editor's git, the child of a killed
    sync it never heard of): git refuses the sync's ``add``; the sync waits for that
    lock to go and runs the command again, and the change goes out.  One that stays
    longer than LOCKED_WAIT is reported, its lock left alone."""
    import threading

    from netjournal.sync import git as git_module

    lock = laptop.root / ".git" / "index.lock"
    real_once = git_module.Git._once
    taken: list[str] = []

    def busy_then_free(self: git_module.Git, argv: list[str], args: object, *rest: object) -> object:
        if "add" in argv and not taken:
            taken.append("add")
            lock.write_text("")  # the other git holds the index ...
            threading.Timer(0.4, lock.unlink).start()  # ... for 0.4 s
        return real_once(self, argv, args, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(git_module.Git, "_once", busy_then_free)
    laptop.ok("step", "aisha-bello", "trust")
    out = laptop.sync()
    assert taken == ["add"] and "Contact: Aisha Bello (trust)" in out and "Went out (1)" in out
    assert not lock.exists() and not laptop.git("status", "--porcelain")

    taken.clear()
    monkeypatch.setattr(git_module, "LOCKED_WAIT", 0.3)
    monkeypatch.setattr(threading, "Timer", lambda *_: type("Never", (), {"start": lambda self: None})())
    laptop.ok("step", "aisha-bello", "deepen")
    line = one_line_error(laptop, "sync")
    assert "index.lock" in line and "File exists" in line
    assert lock.exists()  # someone else's: never removed
    lock.unlink()
    assert "Contact: Aisha Bello (deepen)" in laptop.sync()


def test_index_lock_of_someone_elses_git_is_left_alone(laptop: Machine, monkeypatch: pytest.MonkeyPatch) -> None:
    from netjournal.sync import repo

    monkeypatch.setattr(repo, "BUSY_WAIT", 0.2)
    (laptop.root / ".git" / "index.lock").write_text("")
    line = one_line_error(laptop, "sync")
    assert "git is busy in this journal (.git/index.lock exists)" in line
    assert (laptop.root / ".git" / "index.lock").exists()
    (laptop.root / ".git" / "index.lock").unlink()
    laptop.sync()


def test_a_merge_left_half_done_is_finished_without_markers(laptop: Machine, desk: Machine) -> None:
    """The user ran ``git pull`` by hand and it stopped on a conflict (markers in the
    file): the next sync resolves it as a sync would, and commits the merge."""
    laptop.ok("step", "aisha-bello", "trust", "--note", "Laptop's note")
    laptop.sync()
    desk.ok("step", "aisha-bello", "trust", "--note", "Desk's note")
    desk.git("commit", "-q", "-am", "by hand")
    desk.git("fetch", "-q")
    merged = subprocess.run(["git", "-C", str(desk.root), "merge", "origin/main"], capture_output=True, text=True)
    assert merged.returncode != 0 and with_markers(desk.root) == [AISHA]
    out = desk.sync()
    assert "Recovered: finished a merge that was left half done" in out and "Conflict" in out
    assert not with_markers(desk.root) and not (desk.root / ".git" / "MERGE_HEAD").exists()
    assert "Desk's note" in desk.read(AISHA)
    copies = list((desk.root / "contacts").glob("aisha-bello.conflict-*.md"))
    assert len(copies) == 1 and "Laptop's note" in copies[0].read_text()
    laptop.sync()
    assert tracked_files(laptop.root) == tracked_files(desk.root)


def test_a_checkout_killed_halfway_is_finished(laptop: Machine, desk: Machine,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """The sync died after writing some of the incoming files: the next one writes the
    rest from its record, moves the branch, and leaves no file half brought in."""
    for slug in ("aisha-bello", "priya-raman", "kofi-mensah"):
        laptop.ok("step", slug, "known")
    laptop.sync()
    from netjournal.store import files

    calls = {"n": 0}
    original = files.atomic_write

    def dies_on_second(path: Path, data: bytes, **kwargs: object) -> object:
        calls["n"] += path.parent.name == "contacts"
        if calls["n"] == 2 and path.parent.name == "contacts":
            raise KeyboardInterrupt  # as good as a kill: nothing after it runs
        return original(path, data, **kwargs)

    monkeypatch.setattr(files, "atomic_write", dies_on_second)
    code, out, err = desk.run("sync")
    assert code == 130
    monkeypatch.setattr(files, "atomic_write", original)
    assert (desk.root / ".git" / "netjournal" / "checkout.json").exists()
    out = desk.sync()
    assert "finished bringing in the changes of an interrupted sync" in out
    assert not (desk.root / ".git" / "netjournal" / "checkout.json").exists()
    assert tracked_files(laptop.root) == tracked_files(desk.root)
    assert desk.head() == laptop.head() and not desk.git("status", "--porcelain")


def test_a_file_saved_during_the_sync_stops_it_before_anything_changes(
        laptop: Machine, desk: Machine, monkeypatch: pytest.MonkeyPatch) -> None:
    laptop.ok("step", "aisha-bello", "known")
    laptop.sync()
    real_commit = engine.commit_all

    def and_then_the_app_saves(*args: object, **kwargs: object) -> object:
        done = real_commit(*args, **kwargs)  # type: ignore[arg-type]
        desk.replace(AISHA, "Works alongside", "Saved meanwhile: works alongside")
        return done

    desk.replace("contacts/priya-raman.md", "archived: false", "archived: false\n# a local change")
    monkeypatch.setattr(engine, "commit_all", and_then_the_app_saves)
    line = one_line_error(desk, "sync")
    assert f"{AISHA} changed while syncing" in line
    assert "Saved meanwhile" in desk.read(AISHA)
    monkeypatch.setattr(engine, "commit_all", real_commit)
    out = desk.sync()
    assert "Merged" in out or "Conflict" in out
    assert "Saved meanwhile" in desk.read(AISHA) or any(
        "Saved meanwhile" in p.read_text() for p in (desk.root / "contacts").glob("aisha-bello*.md"))


def test_a_bare_repository_made_with_another_default_branch(tmp_path: Path, cli) -> None:  # noqa: ANN001
    """`git init --bare` with git's old default (master), then a journal pushed to main:
    the second machine still gets it."""
    hub = bare(tmp_path / "old.git", branch="master")
    first = Machine(tmp_path / "first", "first", cli)
    first.ok("init", str(first.root), "--sample")
    first.ok("git", "init", "--remote", str(hub))
    second = Machine(tmp_path / "second", "second", cli)
    out = second.ok("git", "init", "--remote", str(hub))
    assert "it was empty" not in out
    assert tracked_files(second.root) == tracked_files(first.root)
    assert os.path.exists(second.root / AISHA)
