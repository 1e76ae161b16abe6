"""Check an offline bundle before installing it: the sums, then the Python that will run it.

Run by install.sh and install.ps1 with the Python the defender has: `python3 check_bundle.py DIR`.
Written for any Python from 2.7 on, so that an old Python is told plainly what it lacks instead
of failing on syntax. Exit 0: the bundle is whole and fits this Python; 1: it is not, with why.
"""

from __future__ import print_function

import hashlib
import os
import platform
import sys

WHEEL_DIRS = ("wheels", "virtualenv")


def fail(message):
    print("install: " + message, file=sys.stderr)
    sys.exit(1)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def check_sums(root):
    sums = os.path.join(root, "SHA256SUMS")
    if not os.path.isfile(sums):
        fail("SHA256SUMS is missing: this folder is not a complete bundle")
    listed = set()
    with open(sums, "rb") as handle:
        for raw in handle.read().decode("utf-8").splitlines():
            if not raw.strip():
                continue
            expected, _, name = raw.partition("  ")
            name = name[2:] if name.startswith("./") else name
            listed.add(name)
            path = os.path.join(root, *name.split("/"))
            if not os.path.isfile(path):
                fail("missing file " + name + ": copy the whole folder again")
            if sha256(path) != expected.strip().lower():
                fail("file " + name + " does not match SHA256SUMS: it is damaged or was changed")
    # A wheel slipped into the folder would be installed in place of ours: refuse it.
    for folder in WHEEL_DIRS:
        for entry in sorted(os.listdir(os.path.join(root, folder))):
            if folder + "/" + entry not in listed:
                fail("unexpected file " + folder + "/" + entry + " (not in SHA256SUMS): remove it")


def read_platform(root):
    values = {}
    with open(os.path.join(root, "PLATFORM"), "rb") as handle:
        for raw in handle.read().decode("utf-8").splitlines():
            key, sep, value = raw.partition("=")
            if sep:
                values[key.strip()] = value.strip()
    return values


MACHINES = {"amd64": "x86_64", "x64": "x86_64", "aarch64": "arm64", "i386": "x86", "i686": "x86"}


def machine():
    """The processor, named the same on every OS (Windows says AMD64, Linux aarch64, ...)."""
    name = platform.machine().lower()
    return MACHINES.get(name, name)


def this_python():
    libc, libc_version = platform.libc_ver()
    if sys.platform.startswith("linux") and not libc:
        libc = "musl"
    return {
        "python": "{0}.{1}".format(*sys.version_info[:2]),
        "implementation": platform.python_implementation().lower(),
        "os": "linux" if sys.platform.startswith("linux") else sys.platform,
        "machine": machine(),
        "libc": libc or "none",
        "libc_version": libc_version,
    }


def version_tuple(text):
    parts = []
    for piece in text.split("."):
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return tuple(parts)


def check_platform(root):
    want = read_platform(root)
    have = this_python()
    built_for = "{0} {1} on {2} {3} ({4})".format(
        want.get("implementation"),
        want.get("python"),
        want.get("os"),
        want.get("machine"),
        want.get("libc"),
    )
    this = "{0} {1} on {2} {3} ({4})".format(
        have["implementation"], have["python"], have["os"], have["machine"], have["libc"]
    )
    # sysconfig's platform is not compared: on macOS it names the OS release Python was built on.
    compiled = ", ".join(name.split("-")[0] for name in want.get("compiled", "none").split())
    for key in ("implementation", "python", "os", "machine", "libc"):
        if want.get(key) != have[key]:
            fail(
                "this bundle was built for "
                + built_for
                + ", but this Python is "
                + this
                + " ("
                + sys.executable
                + "). Its compiled parts ("
                + compiled
                + ") only work there. Run the installer with a matching Python"
                + " (PYTHON=/path/to/python"
                + want.get("python", "")
                + " sh install.sh TARGET), or ask for a bundle built for this computer."
            )
    needed = want.get("min_glibc", "")
    if needed and version_tuple(have["libc_version"]) < version_tuple(needed):
        fail(
            "this bundle's compiled parts need glibc "
            + needed
            + " or newer; this computer has glibc "
            + have["libc_version"]
            + ". Ask for a bundle built on an older system."
        )


def main():
    if len(sys.argv) != 2:
        fail("usage: check_bundle.py BUNDLE_DIR")
    root = os.path.abspath(sys.argv[1])
    check_sums(root)
    check_platform(root)
    print("install: bundle complete; it fits " + sys.executable)


if __name__ == "__main__":
    main()
