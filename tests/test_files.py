"""Safe file operations: atomic writes, change stamps, the trash, slugs, paths."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from netjournal.store import files
from netjournal.store.files import (
    Stamp,
    UnsafePathError,
    atomic_write,
    inside,
    move_to_trash,
    read_with_stamp,
    restore_from_trash,
    slugify,
    unique_path,
)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --------------------------------------------------------------------------- atomic_write


def test_atomic_write_uses_a_temp_file_in_the_same_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "notes.md"
    target.write_bytes(b"old")
    seen: list[tuple[Path, Path, bytes]] = []
    real_replace = os.replace

    def spy(src: str, dst: str) -> None:
        seen.append((Path(src), Path(dst), Path(src).read_bytes()))
        real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", spy)
    atomic_write(target, b"new contents")
    assert len(seen) == 1
    src, dst, data = seen[0]
    assert src.parent == tmp_path and dst == target
    assert src.name.startswith(".notes.md.") and src.name.endswith(".tmp")
    assert data == b"new contents"
    assert target.read_bytes() == b"new contents"
    assert leftovers(tmp_path) == []


def test_atomic_write_keeps_the_old_files_mode(tmp_path: Path) -> None:
    target = tmp_path / "shared.md"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    atomic_write(target, b"new")
    assert mode_of(target) == 0o640
    assert target.read_bytes() == b"new"


def test_new_files_are_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0)  # even with a permissive umask
    try:
        atomic_write(tmp_path / "fresh.md", b"x")
    finally:
        os.umask(old_umask)
    assert mode_of(tmp_path / "fresh.md") == 0o600


def test_crash_before_rename_leaves_the_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "entry.md"
    target.write_bytes(b"precious old contents")
    os.chmod(target, 0o640)

    def boom(src: str, dst: str) -> None:
        raise OSError("simulated crash")

    monkeypatch.setattr(files.os, "replace", boom)
    with pytest.raises(OSError, match="simulated crash"):
        atomic_write(target, b"half-written new contents")
    assert target.read_bytes() == b"precious old contents"
    assert mode_of(target) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.md"]


def test_crash_while_writing_leaves_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "entry.md"
    target.write_bytes(b"old")

    def boom(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "fsync", boom)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.md"]


# --------------------------------------------------------------------------- atomic_write(expect=...)


def test_atomic_write_with_the_expected_version_writes(tmp_path: Path) -> None:
    target = tmp_path / "entry.md"
    target.write_bytes(b"what was read")
    stamp = stamped(target)
    atomic_write(target, b"what is saved", expect=stamp)
    assert target.read_bytes() == b"what is saved"
    assert leftovers(tmp_path) == []


def test_atomic_write_refuses_a_file_changed_since_it_was_read(tmp_path: Path) -> None:
    target = tmp_path / "entry.md"
    target.write_bytes(b"what was read")
    stamp = stamped(target)
    target.write_bytes(b"theirs, same size")
    with pytest.raises(files.ConflictError):
        atomic_write(target, b"mine", expect=stamp)
    assert target.read_bytes() == b"theirs, same size"
    assert leftovers(tmp_path) == [] and sorted(p.name for p in tmp_path.iterdir()) == ["entry.md"]


def _editor_save(path: Path, data: bytes) -> None:
    """Another program's save: a temp file renamed over the file."""
    temp = path.with_name(".editor~")
    temp.write_bytes(data)
    os.replace(temp, path)


def can_exchange(folder: Path) -> bool:
    a, b = folder / "exchange-a", folder / "exchange-b"
    a.write_bytes(b"a")
    b.write_bytes(b"b")
    try:
        return files._exchange(a, b) and a.read_bytes() == b"b"
    finally:
        a.unlink()
        b.unlink()


def test_a_save_landing_between_the_check_and_the_rename_is_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The editor's save lands after the content was checked, in the instant before
    the names are swapped: the swap shows it, it is swapped back, and the save is a
    conflict with nothing of theirs lost."""
    if not can_exchange(tmp_path):
        pytest.skip("this system has no atomic exchange of names")
    target = tmp_path / "entry.md"
    target.write_bytes(b"what was read")
    stamp = stamped(target)
    real = files._exchange
    calls: list[int] = []

    def late_editor(a: object, b: object) -> bool:
        if not calls:
            _editor_save(target, b"the editor's save")
        calls.append(1)
        return real(a, b)

    monkeypatch.setattr(files, "_exchange", late_editor)
    with pytest.raises(files.ConflictError):
        atomic_write(target, b"mine", expect=stamp)
    assert target.read_bytes() == b"the editor's save"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entry.md"]


def test_a_second_save_in_that_instant_keeps_both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two saves of theirs: one just before the swap, one while ours held the name.
    The newest keeps the name; the one before is kept beside it as a conflict copy;
    ours is not written."""
    if not can_exchange(tmp_path):
        pytest.skip("this system has no atomic exchange of names")
    target = tmp_path / "entry.md"
    target.write_bytes(b"what was read")
    stamp = stamped(target)
    real = files._exchange
    calls: list[int] = []

    def busy_editor(a: object, b: object) -> bool:
        calls.append(1)
        if len(calls) == 1:
            _editor_save(target, b"their first save")
        elif len(calls) == 2:
            _editor_save(target, b"their second save")
        return real(a, b)

    monkeypatch.setattr(files, "_exchange", busy_editor)
    with pytest.raises(files.ConflictError):
        atomic_write(target, b"mine", expect=stamp)
    assert target.read_bytes() == b"their second save"
    copies = [p for p in tmp_path.iterdir() if p.name != "entry.md"]
    assert len(copies) == 1 and copies[0].name.startswith("entry.conflict-") and copies[0].suffix == ".md"
    assert copies[0].read_bytes() == b"their first save"


def test_a_failure_after_the_exchange_never_deletes_their_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should swapping their save back fail (any error), the file that came out under
    our temp name is theirs: it is left there (the next sweep moves it to the trash),
    never removed with our temp file."""
    if not can_exchange(tmp_path):
        pytest.skip("this system has no atomic exchange of names")
    target = tmp_path / "entry.md"
    target.write_bytes(b"what was read")
    stamp = stamped(target)
    real = files._exchange
    calls: list[int] = []

    def failing_swap_back(a: object, b: object) -> bool:
        calls.append(1)
        if len(calls) == 1:
            _editor_save(target, b"the editor's save")
            return real(a, b)
        raise OSError(5, "I/O error")

    monkeypatch.setattr(files, "_exchange", failing_swap_back)
    with pytest.raises(OSError, match="I/O error"):
        atomic_write(target, b"mine", expect=stamp)
    contents = sorted(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
    assert b"the editor's save" in contents
    kept = [p for p in tmp_path.iterdir() if p.read_bytes() == b"the editor's save"]
    assert kept[0] == target or files.is_own_temp(kept[0].name)


def test_without_an_exchange_the_identity_is_checked_right_before_the_rename(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "entry.md"
    target.write_bytes(b"what was read")
    stamp = stamped(target)
    monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    atomic_write(target, b"saved", expect=stamp)
    assert target.read_bytes() == b"saved"
    stamp = stamped(target)
    real_stat = os.stat
    seen: list[str] = []

    def editor_before_the_last_stat(path: object, *args: object, **kwargs: object) -> os.stat_result:
        if Path(str(path)) == target and not seen:
            seen.append("x")
            _editor_save(target, b"theirs")
        return real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(files.os, "stat", editor_before_the_last_stat)
    with pytest.raises(files.ConflictError):
        atomic_write(target, b"mine", expect=stamp)
    assert target.read_bytes() == b"theirs"


def test_a_stamp_of_no_file_creates_without_replacing(tmp_path: Path) -> None:
    target = tmp_path / "new.md"
    atomic_write(target, b"first", expect=Stamp.missing())
    assert target.read_bytes() == b"first"
    with pytest.raises(files.ConflictError):
        atomic_write(target, b"second", expect=Stamp.missing())
    assert target.read_bytes() == b"first" and leftovers(tmp_path) == []


def test_temp_files_have_a_name_of_their_own(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    names: list[str] = []
    real_replace = os.replace
    monkeypatch.setattr(files.os, "replace", lambda a, b: (names.append(Path(a).name), real_replace(a, b)))
    atomic_write(tmp_path / "notes.md", b"x")
    assert len(names) == 1 and files.is_own_temp(names[0]) and names[0].startswith(".notes.md.nj-")
    for other in (".ideas.tmp", ".syncthing.new-person.md.tmp", ".notes.md.abc123.tmp", ".archive.tmp",
                  "notes.md.nj-abcdefgh.tmp", ".notes.md.nj-ab.tmp"):
        assert not files.is_own_temp(other), other


def test_reading_never_opens_anything_but_a_regular_file(tmp_path: Path) -> None:
    fifo = tmp_path / "x.md"
    os.mkfifo(fifo)
    with pytest.raises(files.NotARegularFile, match="FIFO"):
        read_with_stamp(fifo)  # refused at once: no blocking open waiting for a writer
    with pytest.raises(files.NotARegularFile, match="folder"):
        read_with_stamp(tmp_path)
    assert not Stamp(0, 0, "", 0).matches(fifo)


# --------------------------------------------------------------------------- stamps


def stamped(path: Path) -> Stamp:
    return read_with_stamp(path)[1]


def test_stamp_matches_an_untouched_file(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"hello")
    data, stamp = read_with_stamp(path)
    assert data == b"hello" and stamp.size == 5
    assert stamp.matches(path)


def test_stamp_sees_a_different_size(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"hello")
    stamp = stamped(path)
    path.write_bytes(b"hello world")
    assert not stamp.matches(path)


def test_stamp_sees_same_size_change_with_restored_mtime(tmp_path: Path) -> None:
    # Found by review: with an old mtime that was restored after the change (cp -p,
    # touch -r, some editors and sync tools) the change went unnoticed.
    path = tmp_path / "a.md"
    path.write_bytes(b"hello")
    long_ago = 1_600_000_000_000_000_000
    os.utime(path, ns=(long_ago, long_ago))
    stamp = stamped(path)
    path.write_bytes(b"HELLO")
    os.utime(path, ns=(long_ago, long_ago))
    assert path.stat().st_mtime_ns == stamp.mtime_ns and path.stat().st_size == stamp.size
    assert not stamp.matches(path)


def test_stamp_ignores_a_touch_without_change(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"hello")
    stamp = stamped(path)
    later = stamp.mtime_ns + 10_000_000_000
    os.utime(path, ns=(later, later))
    assert stamp.matches(path)


def test_stamp_of_a_deleted_file_does_not_match(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_bytes(b"hello")
    stamp = stamped(path)
    path.unlink()
    assert not stamp.matches(path)
    assert Stamp.missing().matches(path)
    path.write_bytes(b"")
    assert not Stamp.missing().matches(path)


# --------------------------------------------------------------------------- trash


def test_move_to_trash_and_restore(tmp_path: Path) -> None:
    root = tmp_path / "journal"
    (root / "contacts").mkdir(parents=True)
    original = root / "contacts" / "a.md"
    original.write_bytes(b"contact a")
    trash = root / ".netjournal" / "trash"
    trashed = move_to_trash(root, original, trash)
    assert not original.exists()
    assert trashed.read_bytes() == b"contact a"
    assert trash in trashed.parents
    assert trashed.relative_to(trash).parts[1:] == ("contacts", "a.md")
    back = restore_from_trash(root, trashed, trash)
    assert back == root / "contacts" / "a.md"
    assert back.read_bytes() == b"contact a" and not trashed.exists()


def test_restore_refuses_to_overwrite(tmp_path: Path) -> None:
    root = tmp_path / "journal"
    (root / "contacts").mkdir(parents=True)
    original = root / "contacts" / "a.md"
    original.write_bytes(b"old")
    trash = root / ".netjournal" / "trash"
    trashed = move_to_trash(root, original, trash)
    original.write_bytes(b"a new file with the same name")
    with pytest.raises(FileExistsError):
        restore_from_trash(root, trashed, trash)
    assert original.read_bytes() == b"a new file with the same name"
    assert trashed.read_bytes() == b"old"


def test_restore_refuses_a_way_back_through_a_symlinked_folder(tmp_path: Path) -> None:
    root = tmp_path / "journal"
    (root / "reflections" / "2026").mkdir(parents=True)
    original = root / "reflections" / "2026" / "x.md"
    original.write_bytes(b"x")
    trash = root / ".netjournal" / "trash"
    trashed = move_to_trash(root, original, trash)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "reflections" / "2026").rmdir()
    (root / "reflections" / "2026").symlink_to(outside)
    with pytest.raises(UnsafePathError):
        restore_from_trash(root, trashed, trash)
    assert list(outside.iterdir()) == [] and trashed.read_bytes() == b"x"
    (root / "reflections" / "2026").unlink()
    (root / "reflections").rmdir()
    (root / "reflections").symlink_to(outside)  # the missing year folder would be made outside
    with pytest.raises(UnsafePathError):
        restore_from_trash(root, trashed, trash)
    assert list(outside.iterdir()) == []


def test_a_symlink_goes_to_the_trash_as_itself(tmp_path: Path) -> None:
    root = tmp_path / "journal"
    (root / "contacts").mkdir(parents=True)
    (root / "people").mkdir()
    (root / "people" / "a.md").write_bytes(b"a")
    link = root / "contacts" / "a.md"
    link.symlink_to("../people/a.md")
    trashed = move_to_trash(root, link, root / ".netjournal" / "trash")
    assert trashed.is_symlink() and trashed.relative_to(root / ".netjournal" / "trash").parts[1:] == ("contacts", "a.md")
    assert (root / "people" / "a.md").read_bytes() == b"a"


# --------------------------------------------------------------------------- slugs and paths


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Tomás Herrera", "tomas-herrera"),
        ("Priya Raman", "priya-raman"),
        ("  Dr. Elena   Marsh, PhD ", "dr-elena-marsh-phd"),
        ("../../etc/passwd", "etc-passwd"),
        ("Zoë O'Brien-Smith", "zoe-o-brien-smith"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        # Latin letters NFKD leaves whole (they used to be dropped: "ukasz-zoc")
        ("Łukasz Żółć", "lukasz-zolc"),
        ("Søren Kierkegaard", "soren-kierkegaard"),
        ("Straße", "strasse"),
        ("Þórr Æsir Œuvre", "thorr-aesir-oeuvre"),
        ("Đorđe", "dorde"),
        # an ASCII part wins over a hash
        ("李小龍 (Bruce Lee)", "bruce-lee"),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(
    "text, slug",
    [
        # pinned (sha256 of the case-folded NFKC name): the same name gives the same
        # slug in every version
        ("李小龍", "contact-c1fa1a5f"),
        ("王芳", "contact-8ac9540b"),
        ("Анна Петрова", "contact-7b75cc7d"),
        ("Ωμέγα", "contact-f9d47761"),
        ("🎉", "contact-6146299c"),
        ("🎉🎉", "contact-9bbfb342"),
        ("!!!", "contact-e84c538e"),
        ("...", "contact-ab5df625"),
        ("/", "contact-8a5edab2"),
    ],
)
def test_names_without_ascii_get_a_stable_hash_slug(text: str, slug: str) -> None:
    assert slugify(text, "contact") == slug
    assert slugify(f"  {text}\t", "contact") == slug  # surrounding space does not count


def test_hash_slugs_ignore_case_width_and_unicode_form_but_tell_names_apart() -> None:
    assert slugify("АННА ПЕТРОВА", "contact") == slugify("анна  петрова", "contact") == "contact-7b75cc7d"
    composed, decomposed = "\u00e9\u674e", "e\u0301\u674e"  # é李 typed two ways: ASCII "e" is kept
    assert slugify(composed) == slugify(decomposed) == "e"
    assert slugify("\u0391\u0301", "x") == slugify("\u0386", "x")  # Ά as one or two code points
    names = ["李小龍", "李小龙", "李", "王芳", "王 芳", "Анна", "Анна Петрова", "Ἀθῆναι", "🎉", "🎊", "!!!", "?", "…", "😀😀"]
    slugs = [slugify(name, "contact") for name in names]
    assert len(set(slugs)) == len(names)
    for slug in slugs:
        assert slug.startswith("contact-") and len(slug) == len("contact-") + 8
        assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slug)
    # the prefix is the caller's fallback, kept within max_length
    assert slugify("李小龍", "entry", 50) == "entry-c1fa1a5f"
    assert slugify("李小龍", "x" * 80, 20) == "x" * 11 + "-c1fa1a5f"
    # slugs are fixed points: slugging a slug again changes nothing
    assert slugify(slugify("李小龍", "draft"), "draft") == "draft-c1fa1a5f"


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_blank_text_gives_the_fallback(text: str) -> None:
    assert slugify(text, "contact") == "contact"


def test_an_alternative_is_used_only_when_the_name_has_no_ascii() -> None:
    assert slugify("李小龍", "contact", alternative="li.xiaolong") == "li-xiaolong"
    assert slugify("Bruce Lee", "contact", alternative="li.xiaolong") == "bruce-lee"
    # an alternative with no ASCII of its own does not help: the name's hash
    assert slugify("李小龍", "contact", alternative="李") == "contact-c1fa1a5f"
    assert slugify("李小龍", "contact", alternative="") == "contact-c1fa1a5f"
    assert slugify("李小龍", "contact", alternative="x" * 100) == "x" * 60


def test_slugs_are_lowercase_ascii_hyphens_and_bounded() -> None:
    slug = slugify("A" * 200 + " " + "b" * 10)
    assert len(slug) <= 60 and slug == "a" * 60
    assert slugify("word " * 30).endswith("word") and len(slugify("word " * 30)) <= 60
    for text in ("Tomás Herrera", "../../etc/passwd", "x/y\\z", "a\x00b", "\u202eevil"):
        slug = slugify(text)
        assert all(c in "abcdefghijklmnopqrstuvwxyz0123456789-" for c in slug)
        assert not slug.startswith("-") and not slug.endswith("-")


def test_unique_path(tmp_path: Path) -> None:
    assert unique_path(tmp_path, "priya") == tmp_path / "priya.md"
    (tmp_path / "priya.md").write_text("x")
    assert unique_path(tmp_path, "priya") == tmp_path / "priya-2.md"
    (tmp_path / "priya-2.md").write_text("x")
    assert unique_path(tmp_path, "priya") == tmp_path / "priya-3.md"
    # a dangling symlink still takes the name
    (tmp_path / "omar.md").symlink_to(tmp_path / "nowhere.md")
    assert unique_path(tmp_path, "omar") == tmp_path / "omar-2.md"


def test_inside_accepts_paths_in_the_journal(tmp_path: Path) -> None:
    root = tmp_path / "journal"
    (root / "contacts").mkdir(parents=True)
    assert inside(root, Path("contacts/a.md")) == (root / "contacts" / "a.md").resolve()
    assert inside(root, Path("reflections/../contacts/a.md")) == (root / "contacts" / "a.md").resolve()


@pytest.mark.parametrize("rel", ["../x.md", "contacts/../../x.md", "/etc/passwd", "../journal-evil/x.md"])
def test_inside_refuses_paths_outside(tmp_path: Path, rel: str) -> None:
    root = tmp_path / "journal"
    root.mkdir()
    with pytest.raises(UnsafePathError):
        inside(root, Path(rel))


def test_inside_refuses_a_symlink_leading_out(tmp_path: Path) -> None:
    root = tmp_path / "journal"
    (root / "contacts").mkdir(parents=True)
    secret = tmp_path / "secret.md"
    secret.write_text("secret")
    (root / "contacts" / "link.md").symlink_to(secret)
    with pytest.raises(UnsafePathError):
        inside(root, Path("contacts/link.md"))


@pytest.mark.parametrize("name", ["con", "CON", "Prn", "aux", "nul", "com1", "com9", "lpt1", "LPT9"])
def test_slugs_avoid_names_windows_reserves(name: str) -> None:
    assert files.windows_reserved(name) and files.windows_reserved(f"{name}.md")
    assert files.windows_reserved(f"{name.upper()}.tar.gz") and files.windows_reserved(f"{name} .md")
    assert slugify(name, "contact") == f"{name.lower()}-contact"
    assert slugify(name) == f"{name.lower()}-entry"
    assert not files.windows_reserved(slugify(name, "contact"))
    assert slugify(f"{name} club") == f"{name.lower()}-club"  # only the whole name is reserved


def test_reserved_names_are_only_those() -> None:
    for name in ("console", "com10", "lpt0", "com", "nully", "auxiliary", "conference.md"):
        assert not files.windows_reserved(name), name
