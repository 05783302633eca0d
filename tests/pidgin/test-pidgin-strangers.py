"""Real Pidgin, real XMPP: a new sender (an account not in your buddy list)
is held as a stranger, and the review groups them by sender.

    /usr/bin/python3 tests/pidgin/test-pidgin-strangers.py --plugin build/plugin/ajar.so --log-dir DIR

Starts a local prosody with the accounts you, sam and kim (scripts/servers),
Xvfb, a private D-Bus bus and Debian's Pidgin with a throwaway --config
folder: the built ajar.so enabled, Sam in the buddy list, and rules.json
holding Sam's messages and those of new senders ({"stranger": true}). Kim is
not in your buddy list. Sam and Kim (scripts/xmpp_send.py, a real XMPP
client) write; the test checks that the three messages are journaled
`held`, Kim's with "stranger": true, and that nothing was shown. Then, with
the mouse: Tools ▸ Ajar ▸ Review held messages… lists "1 new sender: 2 held"
with Kim's line under it, before Sam (review-stranger.png); Read opens
Kim's page: their texts, "This is Sam", "Let them through…", "Discard
them…" (review-stranger-page.png); "Let them through" releases both, which
appear in a conversation with Kim, and rules.json's settings.allowed holds
Kim's address. Output is TAP; everything started is stopped at the end.
"""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import ajar_pidgin as ap  # noqa: E402
from ajar_tap import SERVERS, Servers  # noqa: E402
from xmpp_send import send_messages  # noqa: E402

# No characters XMPP's body escapes (& < > ' "): the journal keeps markup.
KIM = ["it is me, I made a new account", "please answer, just once"]
SAM = ["are you awake?"]
RULES = {"version": 1, "rules": [
    {"name": "Sam", "match": [{"buddy": "sam@example.org"}], "incoming": {"action": "hold"}},
    {"name": "New senders", "match": [{"stranger": True}], "incoming": {"action": "hold"}},
], "settings": {"notify": "count"}}
OPTIONS = ["Keep them for now", "This is Sam", "Let them through (and never screen them again)",
           "Discard them…"]


class StrangerServers(Servers):
    """Servers with a third account, kim, whom you have never added."""

    def start(self):
        subprocess.run([SERVERS, "start", self.dir, "--xmpp", "you", "sam", "kim"], check=True)
        with open(os.path.join(self.dir, "servers.env")) as env:
            self.env = dict(line.split("=", 1) for line in env.read().split())
        return self.env


def events(config, kind):
    return [e for e in ap.read_journal(config) if e.get("event") == kind]


def conversation_text(ui, conv):
    return "\n".join(ui.text(x) for x in ui.find_all(conv, "text"))


def scenario(tap, args, session, config, env):
    shots = args.log_dir
    tap.step = "Pidgin starts with the built ajar.so enabled and connects to prosody"
    session.start_display()
    session.start_bus()
    session.start_pidgin(config, home=os.path.join(args.log_dir, "home"))
    ui = ap.Ui(session)
    blist = ui.wait_window("Buddy List")
    ap.wait_signed_on(session)
    tap.ok(tap.step)

    tap.step = "Kim (not in the buddy list) and Sam write; all three journaled held, Kim's as a stranger"
    host, port, password = env["AJAR_XMPP_HOST"], int(env["AJAR_XMPP_PORT"]), env["AJAR_XMPP_PASSWORD"]
    send_messages(host, port, "kim@example.org", password, "you@example.org", KIM, resource="laptop")
    send_messages(host, port, "sam@example.org", password, "you@example.org", SAM, resource="phone")
    held = ap.wait_for("3 held lines in the journal",
                       lambda: (lambda h: h if len(h) >= 3 else None)(events(config, "held")))
    kims = [e for e in held if e["buddy"].startswith("kim@example.org")]
    assert [e["text"] for e in kims] == KIM, kims
    assert all(e.get("stranger") is True and e["rule"] == "New senders" for e in kims), kims
    sams = [e for e in held if e["buddy"].startswith("sam@example.org")]
    assert len(sams) == 1 and "stranger" not in sams[0] and sams[0]["rule"] == "Sam", sams
    ap.wait_for("Pidgin to answer", lambda: ui.window("Buddy List"))
    x_windows = ap.visible_windows(session)
    assert x_windows == ["Buddy List"], f"windows on screen: {x_windows}"
    tap.ok(tap.step)

    tap.step = ("the review's first step: '1 new sender: 2 held', Kim's line under it, then Sam "
                "(review-stranger.png)")
    review, people = ap.open_review(ui, blist)
    assert len(people) == 3, f"step one lists {people}"
    assert people[0] == "1 new sender: 2 held", f"step one lists {people}"
    assert people[1].strip().startswith("kim@example.org: 2 held, newest"), f"step one: {people}"
    assert people[2].startswith("Sam: 1 held"), f"step one lists {people}"
    ap.screenshot(session, os.path.join(shots, "review-stranger.png"))
    tap.ok(tap.step)

    tap.step = ("Read opens Kim's page: their texts and This is Sam / Let them through / Discard "
                "(review-stranger-page.png)")
    ui.click(ui.find(review, "push button", "Read"))
    title = "New sender: kim@example.org"
    review = ap.wait_for("Kim's page", lambda: (lambda w: w if w and ui.find(
        w, "label", match=lambda n: n.startswith(title)) else None)(ui.window("Ajar — review")))
    ui.place("^Ajar .* review$", 410, 0)
    content = ap.review_text(ui, review, title)
    assert all(t in content for t in KIM), f"the page's text: {content!r}"
    options = ap.review_options(ui, review)
    assert options == OPTIONS, f"options: {options}, expected {OPTIONS}"
    boxes = [b.name for b in ui.find_all(review, "check box")]
    assert not boxes, f"check boxes on a sender's page: {boxes}"
    ap.screenshot(session, os.path.join(shots, "review-stranger-page.png"))
    tap.ok(tap.step)

    tap.step = ("'Let them through': both released, shown in a conversation with Kim; "
                "settings.allowed holds kim@example.org")
    before = len(ap.journal_lines(config))
    ap.choose(ui, review, OPTIONS[2])
    ap.press(ui, review, "OK")
    ap.wait_closed(ui, "Ajar — review")
    ids = [e["id"] for e in kims]
    expected = [(kind, i) for i in ids for kind in ("showing", "released")]
    got = ap.wait_for("the releases in the journal", lambda: (lambda n: n if len(
        [k for k, _ in n if k == "released"]) >= 2 else None)(
        [(e.get("event"), e.get("id")) for e in ap.read_journal(config)[before:]
         if e.get("event") in ("showing", "released")]))
    assert got == expected, f"new journal lines: {got}, expected {expected}"
    conv = ui.wait_window("kim@example.org/laptop")  # the name it wrote from
    ap.wait_for("Kim's messages in the conversation",
                lambda: all(t in conversation_text(ui, conv) for t in KIM))
    rules = json.load(open(os.path.join(config, "ajar", "rules.json")))
    assert rules["settings"].get("allowed") == ["kim@example.org"], rules["settings"]
    ap.screenshot(session, os.path.join(shots, "stranger-released.png"))
    tap.ok(tap.step)


def main():
    def setup(args, session, config, env):
        ap.write_profile(config, args.plugin, env["AJAR_XMPP_PORT"], rules=RULES)
        return lambda tap: scenario(tap, args, session, config, env)

    return ap.run_test(StrangerServers("ajar-pidgin-strangers."),
                       "a local prosody with accounts you, sam and kim", setup)


if __name__ == "__main__":
    sys.exit(main())
