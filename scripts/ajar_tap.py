"""ajar_tap.py — what the real-client suites (tests/pidgin/test-pidgin.py,
tests/finch/test-finch.py) share: TAP output, and a local prosody started
and stopped with scripts/servers around a run.

Run with Debian's /usr/bin/python3, as the suites are."""

import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SERVERS = os.path.join(ROOT, "scripts", "servers")


class Tap:
    """TAP lines, numbered; step is the check under way (its description)."""

    def __init__(self):
        self.count = 0
        self.failed = 0
        self.step = None

    def ok(self, description):
        self.count += 1
        print(f"ok {self.count} - {description}", flush=True)

    def not_ok(self, description, why, directive=""):
        """A failed check (or, with a directive such as " # TODO ...", one
        that does not count as failed), and why, as comment lines."""
        self.count += 1
        if not directive:
            self.failed += 1
        print(f"not ok {self.count} - {description}{directive}", flush=True)
        for line in str(why).splitlines():
            print(f"# {line}", flush=True)

    def note(self, text):
        for line in str(text).splitlines():
            print(f"# {line}", flush=True)


def read_pid(path):
    try:
        return open(path).read().strip()
    except OSError:
        return None


class Servers:
    """A prosody with the accounts you and sam, in a temporary folder
    (scripts/servers start); stop() stops it through session (an
    ajar_pidgin.Session, the reaper of what it started)."""

    def __init__(self, prefix):
        self.dir = tempfile.mkdtemp(prefix=prefix)
        self.env = None

    def start(self):
        """Starts it; returns its variables (AJAR_XMPP_PORT, ...)."""
        subprocess.run([SERVERS, "start", self.dir, "--xmpp", "you", "sam"], check=True)
        with open(os.path.join(self.dir, "servers.env")) as env:
            self.env = dict(line.split("=", 1) for line in env.read().split())
        return self.env

    def stop(self, session, others=()):
        """Stops it, waits for it and others ((name, pid) of what else the run
        started) to end; returns what is left running of them."""
        server_pid = read_pid(os.path.join(self.dir, "xmpp", "server.pid"))
        # prosody's starter has exited, so prosody is ours to reap when it ends.
        session.run_reaping([SERVERS, "stop", self.dir])
        others = list(others) + ([("prosody", server_pid)] if server_pid else [])
        session.settle(others)
        left = session.leftovers(others)
        shutil.rmtree(self.dir, ignore_errors=True)
        return left
