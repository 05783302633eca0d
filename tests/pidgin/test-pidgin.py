"""Real Pidgin, real XMPP: Ajar holds Sam's messages and the review lists them.

    /usr/bin/python3 tests/pidgin/test-pidgin.py --plugin build/plugin/ajar.so --log-dir DIR

Starts a local prosody (scripts/servers), Xvfb on a free display, a private
D-Bus bus and Debian's Pidgin with a throwaway --config folder in which the
built ajar.so is enabled. Then, as a person would, with the mouse: right-click
Sam ▸ Ajar ▸ Hold their messages. Sam (scripts/xmpp_send.py, a real XMPP
client) writes three messages. The test checks that they are journaled `held`,
that no window opened and nothing reached Pidgin's chat log, opens Tools ▸ Ajar
▸ Review held messages…, checks what both review steps list, releases the
messages and checks they arrive in a conversation window. Screenshots of the
menu and the review go to DIR. Output is TAP; everything it started is stopped
at the end, even on failure, and the test fails if a process is left.
"""

import argparse
import html
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import ajar_pidgin as ap  # noqa: E402
from xmpp_send import send_messages  # noqa: E402

TEXTS = ["are you awake?", "I miss you & the cat", "can we talk tonight?"]
MENU = ["Hold their messages", "Archive unread", "Delay their messages…",
        "Cooling-off on my messages…", "Review held messages…", "Turn off"]
SERVERS = os.path.join(ROOT, "scripts", "servers")


class Tap:
    def __init__(self):
        self.count = 0
        self.failed = 0
        self.step = None  # the check under way

    def ok(self, description):
        self.count += 1
        print(f"ok {self.count} - {description}", flush=True)

    def not_ok(self, description, why):
        self.count += 1
        self.failed += 1
        print(f"not ok {self.count} - {description}", flush=True)
        for line in str(why).splitlines():
            print(f"# {line}", flush=True)


def events(config, kind):
    return [e for e in ap.read_journal(config) if e.get("event") == kind]


def scenario(tap, args, session, config, env):
    """The steps; each raises ap.Failure (or AssertionError) with what went wrong."""
    tap.step = "Pidgin starts with the built ajar.so enabled and connects to prosody"
    session.start_display()
    session.start_bus()
    session.start_pidgin(config, home=os.path.join(args.log_dir, "home"))
    ui = ap.Ui(session)
    blist = ui.wait_window("Buddy List")
    link = os.path.join(config, "plugins", "ajar.so")
    ap.wait_signed_on(session)
    assert f"Loading saved plugin {link}" in session.pidgin_log(), "Ajar not loaded from the profile"
    tap.ok(tap.step)

    tap.step = "right-click Sam ▸ Ajar shows Ajar's items (screenshot buddy-menu.png)"
    shown = ap.open_ajar_menu(ui, blist)
    assert shown == MENU, f"Ajar's submenu shows {shown}, expected {MENU}"
    ap.screenshot(session, os.path.join(args.log_dir, "buddy-menu.png"))
    tap.ok(tap.step)

    tap.step = "Ajar ▸ Hold their messages writes a hold rule for Sam into rules.json"
    ui.click(ui.popup_item("Hold their messages"))
    rules_path = os.path.join(config, "ajar", "rules.json")
    rule = ap.wait_for("a rule in rules.json", lambda: json.load(open(rules_path))["rules"])
    assert len(rule) == 1 and rule[0]["name"] == "Sam", f"rules: {rule}"
    assert rule[0]["incoming"] == {"action": "hold"}, f"rule: {rule[0]}"
    buddies = [m["buddy"] for m in rule[0]["match"]]
    assert buddies == ["sam@example.org"], f"match: {rule[0]['match']}"
    tap.ok(tap.step)

    tap.step = "Sam writes 3 messages over XMPP; they are journaled held, word for word"
    send_messages(env["AJAR_XMPP_HOST"], int(env["AJAR_XMPP_PORT"]), "sam@example.org",
                  env["AJAR_XMPP_PASSWORD"], "you@example.org", TEXTS, resource="phone")
    held = ap.wait_for("3 held lines in the journal",
                       lambda: (lambda h: h if len(h) >= 3 else None)(events(config, "held")))
    # The journal keeps the text as libpurple gave it: XMPP bodies as markup.
    expected = [html.escape(text, quote=False) for text in TEXTS]
    assert [e["text"] for e in held] == expected, f"held texts: {[e['text'] for e in held]}"
    for e in held:
        assert e["dir"] == "in" and e["rule"] == "Sam" and e["protocol"] == "prpl-jabber", e
        assert e["buddy"].startswith("sam@example.org"), e
    tap.ok(tap.step)

    tap.step = "nothing was shown: no conversation window, no line in Pidgin's chat log"
    # The journal line is written before the message is withheld; give Pidgin
    # the chance to (wrongly) open a window: a round trip through its main loop.
    ap.wait_for("Pidgin to answer", lambda: ui.window("Buddy List"))
    x_windows = ap.visible_windows(session)
    assert x_windows == ["Buddy List"], f"windows on screen: {x_windows}"
    assert ui.windows() == [("frame", "Buddy List")], f"Pidgin's windows: {ui.windows()}"
    logs = os.path.join(config, "logs")
    logged = [os.path.join(d, f) for d, _, fs in os.walk(logs) for f in fs]
    assert not logged, f"chat log files: {logged}"
    tap.ok(tap.step)

    tap.step = "Tools ▸ Ajar ▸ Review held messages… opens the review: 'Sam: 3 held' (review-counts.png)"
    review, people = ap.open_review(ui, blist)
    assert len(people) == 1 and people[0].startswith("Sam: 3 held"), f"review lists {people}"
    ap.screenshot(session, os.path.join(args.log_dir, "review-counts.png"))
    tap.ok(tap.step)

    tap.step = "'Read' shows the review's next step, listing the 3 messages as text (review.png)"
    review, content, chosen = ap.read_review(ui, review)
    for text in TEXTS:
        assert text in content, f"{text!r} not in the review's text: {content!r}"
    assert len(chosen) == 3 and all(t in c for t, c in zip(TEXTS, chosen)), f"list: {chosen}"
    ap.screenshot(session, os.path.join(args.log_dir, "review.png"))
    tap.ok(tap.step)

    tap.step = "'Release all' puts them into a conversation with Sam, and the journal says released"
    ui.click(ui.find(review, "radio button", "Release all into the conversation"))
    ui.click(ui.find(review, "push button", "OK"))
    conv = ui.wait_window("Sam")
    ui.place("^Sam$", 410, 0, 560, 400)
    ap.wait_for("the released messages in the conversation",
                lambda: all(t in "\n".join(ui.text(x) for x in ui.find_all(conv, "text"))
                            for t in TEXTS))
    released = ap.wait_for("3 released lines",
                           lambda: (lambda r: r if len(r) >= 3 else None)(
                               events(config, "released")))
    assert sorted(e["id"] for e in released) == sorted(e["id"] for e in held), released
    ap.screenshot(session, os.path.join(args.log_dir, "released.png"))
    tap.ok(tap.step)


def read_pid(path):
    try:
        return open(path).read().strip()
    except OSError:
        return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--plugin", default=os.environ.get("AJAR_PLUGIN"), required=False)
    parser.add_argument("--log-dir", required=True)
    args = parser.parse_args()
    started = time.monotonic()
    tap = Tap()

    missing = ap.tools_missing()
    if missing or not args.plugin:
        tap.not_ok("the programs the test runs are installed",
                   f"missing: {missing or 'the plugin (--plugin)'}; "
                   "scripts/test installs them (AJAR_PIDGIN_PACKAGES in scripts/lib.sh)")
        print(f"1..{tap.count}")
        return 1

    shutil.rmtree(args.log_dir, ignore_errors=True)
    os.makedirs(os.path.join(args.log_dir, "home"))
    config = os.path.join(args.log_dir, "config")
    servers = tempfile.mkdtemp(prefix="ajar-pidgin-servers.")
    session = ap.Session(args.log_dir)
    tap.step = "a local prosody with accounts you and sam"
    try:
        subprocess.run([SERVERS, "start", servers, "--xmpp", "you", "sam"], check=True)
        env = dict(line.split("=", 1) for line in
                   open(os.path.join(servers, "servers.env")).read().split())
        ap.write_profile(config, args.plugin, env["AJAR_XMPP_PORT"])
        tap.ok(tap.step)
        scenario(tap, args, session, config, env)
    except Exception as why:  # any failure is reported, then everything is stopped
        name = type(why).__name__
        tap.not_ok(tap.step, f"{name}: {why}")
        tail = session.pidgin_log().splitlines()[-15:]
        print("# last lines of pidgin.log:", *[f"#   {line}" for line in tail], sep="\n")
    finally:
        killed = session.stop()
        server_pid = read_pid(os.path.join(servers, "xmpp", "server.pid"))
        # prosody's starter has exited, so prosody is ours to reap when it ends.
        session.run_reaping([SERVERS, "stop", servers])
        server = [("prosody", server_pid)] if server_pid else []
        session.settle(server)
        left = session.leftovers(server)
        shutil.rmtree(servers, ignore_errors=True)
    if killed or left:
        tap.not_ok("everything stopped, nothing left running",
                   f"killed: {killed}; left: {left}")
    else:
        tap.ok("Pidgin, Xvfb, D-Bus and prosody stopped; no process left")
    print(f"# screenshots and logs: {args.log_dir}")
    print(f"# took {time.monotonic() - started:.1f}s")
    print(f"1..{tap.count}")
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
