"""scripts/demo's Pidgin part, both ways, as a person would run it.

    /usr/bin/python3 tests/pidgin/test-demo.py --plugin AJAR_SO --ajar AJAR_CLI --log-dir DIR

Runs scripts/pidgin-demo.py under `scripts/servers run --xmpp you sam`, as
scripts/demo does after installing and building (steps this test leaves out):
  - without a display: it must say that Sam's 3 messages were held and nothing
    was shown, print the journal, and name 3 screenshots that exist;
  - with one (an Xvfb started here as "the person's screen"): it must open
    Pidgin, say the messages were held, wait; the test then quits Pidgin with
    Ctrl+Q, as a person would, and the demo must end by itself.
Both times nothing of the demo may be left running. Output is TAP.
"""

import argparse
import os
import re
import select
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import ajar_pidgin as ap  # noqa: E402

DEMO = [os.path.join(ROOT, "scripts", "servers"), "run", "--xmpp", "you", "sam", "--",
        "/usr/bin/python3", os.path.join(ROOT, "scripts", "pidgin-demo.py")]
HELD = "3 messages from sam were held; nothing was shown."


class Tap:
    def __init__(self):
        self.count = self.failed = 0

    def check(self, good, description, why=""):
        self.count += 1
        if not good:
            self.failed += 1
        print(f"{'ok' if good else 'not ok'} {self.count} - {description}", flush=True)
        if not good and why:
            for line in str(why).splitlines():
                print(f"# {line}", flush=True)


def demo_processes(out):
    found = subprocess.run(["pgrep", "-a", "-f", "--", f"--config={out}/profile"],
                           capture_output=True, text=True).stdout.strip()
    return found


def headless(tap, args, out):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    run = subprocess.run(DEMO + ["--plugin", args.plugin, "--ajar", args.ajar, "--out", out],
                         env=env, capture_output=True, text=True, timeout=180)
    said = run.stdout
    with open(os.path.join(out, "demo.out"), "w") as log:
        log.write(said + run.stderr)
    tap.check(run.returncode == 0, "without a display the demo runs to its end (exit 0)",
              said[-2000:] + run.stderr[-2000:])
    tap.check(HELD in said, f"it says: {HELD}", said[-2000:])
    held_lines = [line for line in said.splitlines() if '"event":"held"' in line]
    tap.check(len(held_lines) == 3, "it prints the journal's 3 held lines", held_lines)
    shots = re.findall(r"^  (\S+\.png)  — ", said, re.M)
    paths = [s if os.path.isabs(s) else os.path.join(os.getcwd(), s) for s in shots]
    tap.check(len(shots) == 3 and all(p.startswith(out) and os.path.getsize(p) > 0
                                      for p in paths),
              "it names 3 screenshots, saved in its output folder", shots)
    tap.check(not demo_processes(out), "nothing of it is left running", demo_processes(out))


def with_display(tap, args, out, screen):
    env = dict(os.environ, DISPLAY=screen.display)
    demo = subprocess.Popen(DEMO + ["--plugin", args.plugin, "--ajar", args.ajar, "--out", out,
                                    "--display"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True)
    said = ""
    try:
        # Raw reads: a buffered reader would keep lines select() cannot see.
        deadline = time.monotonic() + ap.WAIT * 2
        while "Close Pidgin" not in said and time.monotonic() < deadline:
            if select.select([demo.stdout], [], [], 1)[0]:
                chunk = os.read(demo.stdout.fileno(), 65536)
                if not chunk:
                    break
                said += chunk.decode(errors="replace")
        tap.check(HELD in said and "Close Pidgin" in said,
                  f"with a display it opens Pidgin and says: {HELD}", said[-2000:])
        blist = ap.wait_for("the demo's buddy list on the screen", lambda: subprocess.run(
            ["xdotool", "search", "--onlyvisible", "--name", "^Buddy List$"], env=env,
            capture_output=True, text=True).stdout.split())
        # Ctrl+Q in the buddy list: Buddies ▸ Quit.
        subprocess.run(["xdotool", "windowfocus", "--sync", blist[0], "key", "ctrl+q"],
                       env=env, check=True, capture_output=True)
        rest, _ = demo.communicate(timeout=ap.WAIT)
        said += rest.decode(errors="replace")
        tap.check(demo.returncode == 0 and "the demo's D-Bus have stopped" in said,
                  "quitting Pidgin ends the demo (exit 0), which stops what it started",
                  said[-2000:])
    except Exception as why:
        tap.check(False, "the demo with a display ran to its end", f"{why}\n{said[-2000:]}")
        try:
            os.killpg(demo.pid, 15)
            demo.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(demo.pid, 9)
    with open(os.path.join(out, "demo.out"), "w") as log:
        log.write(said)
    tap.check(not demo_processes(out), "nothing of it is left running", demo_processes(out))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugin", required=True)
    parser.add_argument("--ajar", required=True)
    parser.add_argument("--log-dir", required=True)
    args = parser.parse_args()
    started = time.monotonic()
    tap = Tap()
    missing = ap.tools_missing()
    if missing:
        tap.check(False, "the programs the test runs are installed", f"missing: {missing}")
        print(f"1..{tap.count}")
        return 1
    os.makedirs(args.log_dir, exist_ok=True)
    out = os.path.join(args.log_dir, "headless")
    os.makedirs(out, exist_ok=True)
    headless(tap, args, out)

    out = os.path.join(args.log_dir, "display")
    os.makedirs(out, exist_ok=True)
    screen = ap.Session(out)  # only its Xvfb: the person's screen
    try:
        screen.start_display()
        with_display(tap, args, out, screen)
    finally:
        screen.stop()
    tap.check(not screen.leftovers(), "the test's Xvfb stopped", screen.leftovers())
    print(f"# output of both runs: {args.log_dir}/*/demo.out")
    print(f"# took {time.monotonic() - started:.1f}s")
    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
