"""Writing files safely: exclusive create, no symlink following, in a directory relcore owns.

Files relcore writes (hard copies, stored attachments, exports) never overwrite anything: a name
that already exists — a planted symlink included — is refused, and directories relcore writes
into must be real directories (not symlinks) owned by the user running relcore and not writable
by others. Directories relcore creates get mode 0700, files 0600.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import Any

from relcore.errors import RelcoreError


class FileSafetyError(RelcoreError):
    """A file cannot be written safely (it exists, is a symlink, or its directory is unsafe)."""


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def owned_directory(folder: str | os.PathLike[str]) -> Path:
    """``folder`` as a directory relcore may write into, created (mode 0700) when missing.

    :raises FileSafetyError: it is a symlink, not a directory, owned by another user, or
        writable by group or others.
    """
    path = Path(folder)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
    if stat.S_ISLNK(info.st_mode):
        raise FileSafetyError(
            f"folder {path} is a symbolic link: relcore writes only into real folders"
        )
    if not stat.S_ISDIR(info.st_mode):
        raise FileSafetyError(f"{path} is not a folder")
    if hasattr(os, "getuid") and sys.platform != "win32":
        if info.st_uid != os.getuid():
            raise FileSafetyError(f"folder {path} belongs to another user")
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise FileSafetyError(
                f"folder {path} is writable by other users: make it private (chmod 700)"
            )
    return path


def write_new_file(folder: str | os.PathLike[str], name: str, content: bytes) -> Path:
    """Write ``content`` to a NEW file ``name`` in the owned directory ``folder``.

    The file is created exclusively (``O_EXCL``) without following symlinks (``O_NOFOLLOW``),
    relative to the opened directory, with mode 0600.

    :raises FileSafetyError: the name exists already (a symlink included), or contains a path.
    """
    if not name or name in (".", "..") or "/" in name or os.sep in name or "\x00" in name:
        raise FileSafetyError(f"{name!r} is not a plain file name")
    directory = owned_directory(folder)
    dir_fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW)
    try:
        try:
            fd = os.open(
                name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600, dir_fd=dir_fd
            )
        except FileExistsError:
            raise FileSafetyError(
                f"file {directory / name} already exists: relcore does not overwrite files"
            ) from None
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
    finally:
        os.close(dir_fd)
    return directory / name


def open_new_output(
    path: str | os.PathLike[str], *, binary: bool = False, newline: str | None = ""
) -> Any:
    """Open a NEW text file for an export (``--output``): exclusive create, no symlink following.

    :raises FileSafetyError: the file exists already (a symlink included), or its folder does not
        exist or cannot be written.
    """
    target = Path(path)
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
    except FileExistsError:
        raise FileSafetyError(
            f"file {target} already exists: choose another name or delete it first"
        ) from None
    except OSError as exc:
        reason = (exc.strerror or "cannot be written").lower()
        raise FileSafetyError(f"cannot write {target}: {reason}") from None
    if binary:
        return os.fdopen(fd, "wb")
    return os.fdopen(fd, "w", encoding="utf-8", newline=newline)
