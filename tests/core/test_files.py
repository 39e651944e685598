"""Files relcore writes: exclusive create, no symlink following, an owned folder (#13 item 6)."""

from __future__ import annotations

import os

import pytest

from relcore.files import FileSafetyError, open_new_output, write_new_file


def test_a_new_file_is_written_private_in_a_private_folder(tmp_path):
    written = write_new_file(tmp_path / "out", "a.txt", b"hello")
    assert written.read_bytes() == b"hello"
    assert oct(os.stat(written).st_mode & 0o777) == "0o600"
    assert oct(os.stat(tmp_path / "out").st_mode & 0o777) == "0o700"


def test_a_planted_symlink_is_not_followed_and_its_target_is_untouched(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir(mode=0o700)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (folder / "a.txt").symlink_to(victim)
    with pytest.raises(FileSafetyError, match="already exists: relcore does not overwrite"):
        write_new_file(folder, "a.txt", b"evil")
    with pytest.raises(FileSafetyError, match="already exists"):
        open_new_output(folder / "a.txt")
    assert victim.read_text() == "precious"


def test_an_existing_file_is_refused(tmp_path):
    (tmp_path / "b.csv").write_text("keep")
    with pytest.raises(FileSafetyError, match="already exists"):
        open_new_output(tmp_path / "b.csv")
    assert (tmp_path / "b.csv").read_text() == "keep"


def test_unsafe_folders_and_names_are_refused(tmp_path):
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    (tmp_path / "link").symlink_to(real, target_is_directory=True)
    with pytest.raises(FileSafetyError, match="is a symbolic link"):
        write_new_file(tmp_path / "link", "a.txt", b"x")
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(FileSafetyError, match="writable by other users"):
        write_new_file(shared, "a.txt", b"x")
    with pytest.raises(FileSafetyError, match="not a plain file name"):
        write_new_file(real, "../escape.txt", b"x")


def test_an_unwritable_output_is_a_sentence(tmp_path):
    with pytest.raises(FileSafetyError, match=r"cannot write .*: no such file or directory"):
        open_new_output(tmp_path / "missing" / "x.csv")
