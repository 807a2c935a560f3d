"""Whether a SQLite file lives where its locks can be trusted.

SQLite's locking (and WAL's shared memory) is unreliable on network filesystems: two copies of the
app on one file there can corrupt it. Local filesystems are fine; two copies on one local file
wait for each other (busy timeout) and stay consistent.
"""

from __future__ import annotations

from pathlib import Path

NETWORK_FILESYSTEMS = {
    "nfs", "nfs4", "cifs", "smbfs", "smb3", "sshfs", "fuse.sshfs", "9p", "vboxsf", "afs", "ncpfs",
    "fuse.rclone", "davfs", "fuse.davfs2", "glusterfs", "fuse.glusterfs", "ceph", "fuse.ceph",
}  # fmt: skip


def filesystem_type(path: Path, mounts: str | None = None) -> str | None:
    """The type of the filesystem holding ``path`` (Linux /proc/mounts; None elsewhere)."""
    if mounts is None:
        try:
            mounts = Path("/proc/mounts").read_text()
        except OSError:
            return None
    target = str(path.resolve())
    best, best_type = "", None
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount_point = fields[1].replace("\\040", " ")
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, best_type = mount_point, fields[2]
    return best_type


def lock_warning(path: Path, mounts: str | None = None) -> str | None:
    kind = filesystem_type(path.parent if not path.exists() else path, mounts)
    if kind in NETWORK_FILESYSTEMS:
        return (
            f"{path} is on a network filesystem ({kind}), where SQLite cannot lock safely: two copies of "
            "Annotator on this file could damage it. Keep the file on a local disk, or use a PostgreSQL "
            "server for a team."
        )
    return None
