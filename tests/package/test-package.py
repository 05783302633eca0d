"""The Debian package, installed as a user installs it, then removed.

    /usr/bin/python3 tests/package/test-package.py --deb-dir build-package \\
        --probe build/tests/package/test-package-installed --linguas po/LINGUAS

Takes the pidgin-ajar_*.deb that scripts/package left in --deb-dir (or
$AJAR_PACKAGE_DIR) and, as root (through `sudo -n` when not root):
  - installs it with `dpkg -i`; `dpkg -L` must list ajar.so in libpurple's
    plugin folder, /usr/bin/ajar, its manual page, the copyright file, and an
    ajar.mo for every language in po/LINGUAS;
  - runs --probe (test-installed.c): a headless libpurple finds the installed
    ajar.so in the system plugin folder by its id core-ajar, of this tree's
    version, and loads and unloads it;
  - runs the installed `ajar --help` and `ajar --version`, and `man -w ajar`
    must find its page under /usr/share/man (and `man` must render it);
  - removes it with `dpkg -r`: every file `dpkg -L` listed must be gone, and
    every folder it listed too unless another package owns it.
The package is removed at the end also when a check failed. It refuses to
run (and fails) when pidgin-ajar is already installed or an ajar.so is in the
system plugin folder, which it would otherwise remove. Output is TAP.
"""

import argparse
import glob
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

from ajar_tap import Tap  # noqa: E402

PACKAGE = "pidgin-ajar"


class Failed(Exception):
    """A check failed; the rest of the scenario cannot go on."""


def run(argv, root=False, check=False):
    """Runs argv (as root when asked: directly if we are, else `sudo -n`) and
    returns the CompletedProcess, output as text, stderr merged."""
    if root and os.geteuid() != 0:
        argv = ["sudo", "-n", "--"] + argv
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if check and done.returncode != 0:
        raise Failed(f"{' '.join(argv)}: exit status {done.returncode}\n{done.stdout}")
    return done


def installed_status():
    done = run(["dpkg-query", "-W", "-f=${db:Status-Status}", PACKAGE])
    return done.stdout.strip() if done.returncode == 0 else "not-installed"


def find_deb(deb_dir):
    debs = sorted(glob.glob(os.path.join(deb_dir, f"{PACKAGE}_*.deb")))
    if len(debs) != 1:
        raise Failed(f"want one {PACKAGE}_*.deb in {deb_dir}, found {len(debs)}: "
                     "run scripts/package first")
    return debs[0]


def owners(path):
    """The packages that list path (dpkg -S), or []."""
    done = run(["dpkg-query", "-S", path])
    if done.returncode != 0:
        return []
    found = []
    for line in done.stdout.splitlines():
        # "pkg1, pkg2: /path" (also "diversion by ...", which has no colon-space form).
        names, sep, listed = line.partition(": ")
        if sep and listed == path:
            found += [name.strip() for name in names.split(",")]
    return found


def check(tap, description, condition, why):
    if condition:
        tap.ok(description)
    else:
        tap.not_ok(description, why)


def scenario(tap, args, plugindir):
    deb = find_deb(args.deb_dir)
    info = run(["dpkg-deb", "-f", deb, "Version"], check=True).stdout.strip()
    tap.note(f"{os.path.relpath(deb, ROOT)} (version {info}, "
             f"built {time.strftime('%Y-%m-%d %H:%M', time.localtime(os.path.getmtime(deb)))})")

    tap.step = f"{PACKAGE} is not installed, and no ajar.so is in {plugindir}"
    status = installed_status()
    plugin_path = os.path.join(plugindir, "ajar.so")
    if status not in ("not-installed", "config-files") or os.path.exists(plugin_path):
        raise Failed(f"{PACKAGE}: {status}; {plugin_path} exists: {os.path.exists(plugin_path)}. "
                     "This test would remove them: remove them first (dpkg -r / rm).")
    tap.ok(tap.step)

    tap.step = f"dpkg -i {os.path.basename(deb)}"
    args.installing = True
    run(["dpkg", "-i", deb], root=True, check=True)
    installed = installed_status()
    if installed != "installed":
        raise Failed(f"after dpkg -i, dpkg-query says: {installed}")
    tap.ok(tap.step)

    # dpkg -L starts with "/." (the root), which is no folder of ours.
    listed = [path for path in run(["dpkg", "-L", PACKAGE], check=True).stdout.splitlines()
              if path.startswith("/") and path != "/."]
    files = [path for path in listed if os.path.isfile(path) or os.path.islink(path)]
    folders = [path for path in listed if os.path.isdir(path) and not os.path.islink(path)]
    wanted = [plugin_path, "/usr/bin/ajar", "/usr/share/man/man1/ajar.1.gz",
              f"/usr/share/doc/{PACKAGE}/copyright"]
    with open(args.linguas, encoding="utf-8") as linguas:
        languages = [word for line in linguas for word in line.split("#", 1)[0].split()]
    wanted += [f"/usr/share/locale/{lang}/LC_MESSAGES/ajar.mo" for lang in languages]
    missing = [path for path in wanted if path not in files]
    check(tap, f"dpkg -L lists ajar.so in {plugindir}, /usr/bin/ajar, ajar.1.gz, the copyright "
          f"and {len(languages)} translation(s) (po/LINGUAS: {' '.join(languages) or 'none'})",
          not missing, "missing: " + ", ".join(missing) + "\ndpkg -L:\n" + "\n".join(listed))
    tap.note(f"{len(files)} files: " + " ".join(files))

    # The headless client, with libpurple finding the plugin on its own.
    probe = run([args.probe, "--tap"])
    results = [line for line in probe.stdout.splitlines()
               if line.startswith("ok ") or line.startswith("not ok ")]
    for line in results:
        passed = line.startswith("ok ")
        # GLib's TAP: "ok 1 /package/installed/found-by-id"
        name = line.split(" ", 3)[-1] if not passed else line.split(" ", 2)[-1]
        check(tap, f"the headless client, installed plugin: {name}", passed,
              probe.stdout)
    if probe.returncode != 0 or not results:
        tap.not_ok("the headless client finds the installed core-ajar and loads it",
                   f"exit status {probe.returncode}\n{probe.stdout}")
    else:
        for line in probe.stdout.splitlines():
            if line.startswith("# found "):
                tap.note(line[2:])

    done = run(["/usr/bin/ajar", "--help"])
    check(tap, "the installed `ajar --help` exits 0 and names its commands",
          done.returncode == 0 and all(word in done.stdout for word in ("list", "show", "stats")),
          f"exit status {done.returncode}\n{done.stdout}")
    done = run(["/usr/bin/ajar", "--version"])
    check(tap, f"the installed `ajar --version` says {info}",
          done.returncode == 0 and info in done.stdout,
          f"exit status {done.returncode}\n{done.stdout}")

    done = run(["man", "-w", "ajar"])
    check(tap, "`man -w ajar` finds /usr/share/man/man1/ajar.1.gz",
          done.returncode == 0 and done.stdout.strip() == "/usr/share/man/man1/ajar.1.gz",
          f"exit status {done.returncode}: {done.stdout.strip()}\n"
          "(is man-db installed? does /etc/dpkg/dpkg.cfg.d exclude /usr/share/man?)")
    done = subprocess.run(["man", "-P", "cat", "ajar"], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True,
                          env=dict(os.environ, MANWIDTH="80", MAN_KEEP_FORMATTING=""))
    check(tap, "`man ajar` shows the page: NAME, ajar - read the messages Ajar keeps for you",
          done.returncode == 0 and "read the messages Ajar keeps for you" in done.stdout,
          f"exit status {done.returncode}\n{done.stdout[:400]}{done.stderr}")

    tap.step = f"dpkg -r {PACKAGE}"
    run(["dpkg", "-r", PACKAGE], root=True, check=True)
    status = installed_status()
    if status not in ("not-installed", "config-files"):
        raise Failed(f"after dpkg -r, dpkg-query says: {status}")
    tap.ok(tap.step)

    left = [path for path in files if os.path.lexists(path)]
    check(tap, f"every one of the {len(files)} files it installed is gone", not left,
          "still there: " + ", ".join(left))
    # Folders such as /usr/bin stay: other packages own them.
    stayed = [path for path in folders if os.path.isdir(path)]
    left = [path for path in stayed if not owners(path)]
    check(tap, f"every folder only it owned is gone ({len(folders) - len(stayed)} gone; "
          f"{len(stayed)} stay, owned by other packages too)",
          not left, "still there, owned by no package: " + ", ".join(left))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--deb-dir",
                        default=os.environ.get("AJAR_PACKAGE_DIR",
                                               os.path.join(ROOT, "build-package")))
    parser.add_argument("--probe", required=True, help="the test-installed.c binary")
    parser.add_argument("--plugindir", required=True,
                        help="libpurple's system plugin folder (pkg-config plugindir)")
    parser.add_argument("--linguas", default=os.path.join(ROOT, "po", "LINGUAS"))
    args = parser.parse_args()
    args.deb_dir = os.path.abspath(args.deb_dir)

    args.installing = False  # set once this test runs dpkg -i

    tap = Tap()
    started = time.monotonic()
    tap.step = "the package is there"
    try:
        scenario(tap, args, args.plugindir)
    except Exception as why:  # any failure is reported, then the package is removed
        tap.not_ok(tap.step, f"{type(why).__name__}: {why}")
    finally:
        # Never leave what this test installed: it would shadow the built
        # ajar.so in the suites that run real Pidgin and Finch.
        if args.installing and installed_status() not in ("not-installed", "config-files"):
            done = run(["dpkg", "-r", PACKAGE], root=True)
            tap.note(f"removed {PACKAGE} after the failure: exit status {done.returncode}")
    print(f"# took {time.monotonic() - started:.1f}s")
    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
