"""Real Pidgin in a real XMPP room: Ajar withholds Sam's lines there and the
review lists them by room.

    /usr/bin/python3 tests/pidgin/test-pidgin-chats.py --plugin build/plugin/ajar.so \
        --peer build/tests/e2e/e2e-peer --log-dir DIR

Starts a local prosody (scripts/servers, with its MUC at
conference.example.org, not anonymous), then Sam: tests/e2e's e2e-peer, a
plain libpurple client without Ajar, who makes the room
friends@conference.example.org by joining it. Then Xvfb, a private D-Bus bus
and Debian's Pidgin with a throwaway profile in which the built ajar.so is
enabled, a rule "Sam" holds Sam's lines in rooms ("chats": hold), and the
room is in the buddy list with "auto-join" set, so Pidgin joins it as it
signs on. Sam writes two lines in the room. The test checks that they are
journaled `held` with the room and the nick, that Pidgin's room window shows
neither, and opens Tools ▸ Ajar ▸ Review held messages…: step one lists
"friends@conference.example.org: 2 lines from Sam" (screenshot
review-chat-counts.png), Read shows both lines (screenshot review-chat.png),
and "Release all into the conversation" writes them into the room window
(screenshot room-released.png). Output is TAP; everything it started is
stopped at the end, even on failure.
"""

import os
import select
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import ajar_pidgin as ap  # noqa: E402
from ajar_tap import Servers  # noqa: E402

ROOM = "friends@conference.example.org"
LINES = ["I'm sorry about everything", "can we meet, just the two of us?"]
RULES = {"version": 1,
         "rules": [{"name": "Sam", "match": [{"buddy": "sam@example.org"}],
                    "chats": {"action": "hold"}}],
         "settings": {"notify": "count"}}


class Peer:
    """Sam: e2e-peer signed on as sam@example.org/phone, driven over its
    standard input (see tests/e2e/e2e-peer.c)."""

    def __init__(self, path, env, session):
        peer_env = dict(os.environ)
        peer_env.update(env)
        self.proc = subprocess.Popen([path, "xmpp", "sam", "phone"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=open(os.path.join(session.workdir, "peer.log"), "ab"),
                                     env=peer_env, start_new_session=True)
        # stop() ends it with the rest if the test fails halfway.
        session.procs.append(("e2e-peer", self.proc))
        self.expect("ready")

    def expect(self, wanted, timeout=ap.WAIT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.proc.stdout], [], [], 0.2)
            if not ready:
                continue
            line = self.proc.stdout.readline().decode(errors="replace").rstrip("\n")
            if not line:
                raise ap.Failure(f"the peer exited before '{wanted}' (see peer.log)")
            if line == wanted:
                return
            if line.startswith("error"):
                raise ap.Failure(f"the peer: {line}")
        raise ap.Failure(f"the peer did not say '{wanted}' within {timeout} s")

    def command(self, line, answer):
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()
        self.expect(answer)

    def quit(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=ap.WAIT)


def add_room_to_blist(config, account):
    """The room in the buddy list, auto-joined when the account signs on
    (Pidgin's own "Automatically join when account connects")."""
    path = os.path.join(config, "blist.xml")
    with open(path, encoding="utf-8") as blist:
        text = blist.read()
    room, server = ROOM.split("@")
    chat = f"""  <group name='Chats'>
   <chat proto='prpl-jabber' account='{account}'>
    <component name='room'>{room}</component>
    <component name='server'>{server}</component>
    <component name='handle'>you</component>
    <setting name='gtk-autojoin' type='bool'>1</setting>
   </chat>
  </group>
 </blist>"""
    with open(path, "w", encoding="utf-8") as blist:
        blist.write(text.replace(" </blist>", chat, 1))


def room_window(ui):
    """Pidgin's conversation window of the room (titled with its name)."""
    return ui.window(ROOM) or ui.window(ROOM.split("@")[0])


def scenario(tap, args, session, config, env):
    shots = args.log_dir
    tap.step = "Sam (a plain libpurple client) makes the room by joining it"
    peer = Peer(args.peer, env, session)
    peer.command(f"join\t{ROOM}", f"ok join {ROOM}")
    tap.ok(tap.step)

    tap.step = "Pidgin starts with the built ajar.so, signs on and joins the room by itself"
    session.start_display()
    session.start_bus()
    session.start_pidgin(config, home=os.path.join(args.log_dir, "home"))
    ui = ap.Ui(session)
    blist = ui.wait_window("Buddy List")
    ap.wait_signed_on(session)
    room = ap.wait_for("the room's window", lambda: room_window(ui))
    ui.place(f"^{ROOM.split('@')[0]}", 0, 300, 600, 450)
    tap.ok(tap.step)

    tap.step = "Sam writes two lines in the room; both are journaled held, with room and nick"
    before = len(ap.read_journal(config))
    for text in LINES:
        peer.command(f"say\t{ROOM}\t{text}", f"ok say {ROOM}")
    held = ap.wait_for("two held lines in the journal",
                       lambda: [e for e in ap.read_journal(config)[before:]
                                if e.get("event") == "held"] if len(
                           [e for e in ap.read_journal(config)[before:]
                            if e.get("event") == "held"]) == 2 else None)
    assert [e.get("text") for e in held] == LINES, f"held: {held}"
    for event in held:
        assert event.get("chat") == ROOM and event.get("nick") == "sam", event
        assert event.get("buddy", "").startswith("sam@example.org"), event
        assert event.get("rule") == "Sam", event
    tap.ok(tap.step)

    tap.step = "the room's window shows neither line"
    time.sleep(1)  # anything Pidgin would draw for them has been drawn by now
    shown = "\n".join(ui.text(x) for x in ui.find_all(room, "text"))
    for text in LINES:
        assert text not in shown, f"{text!r} is in the room window: {shown!r}"
    ap.screenshot(session, os.path.join(shots, "room-withheld.png"))
    tap.ok(tap.step)

    tap.step = (f"the review's first step lists '{ROOM}: 2 lines from Sam' "
                "(screenshot review-chat-counts.png)")
    review, people = ap.open_review(ui, blist)
    wanted = f"{ROOM}: 2 lines from Sam"
    assert any(p.startswith(wanted) for p in people), f"step one lists {people}"
    cell = ui.find(review, "table cell", match=lambda n: n.startswith(wanted))
    ui.click(cell)
    ap.screenshot(session, os.path.join(shots, "review-chat-counts.png"))
    tap.ok(tap.step)

    tap.step = "'Read' shows Sam's lines in the room, a check box each (screenshot review-chat.png)"
    title = f"Kept lines: Sam in {ROOM}"
    ui.click(ui.find(review, "push button", "Read"))
    review = ap.wait_for(
        "the review of Sam's lines in the room",
        lambda: (lambda w: w if w and ui.find(w, "label", match=lambda n: n.startswith(title))
                 else None)(ui.window("Ajar — review")))
    ui.place("^Ajar .* review$", 410, 0)
    boxes = ap.wait_for("the review's check boxes", lambda: ap.review_boxes(ui, review))
    content = ap.review_text(ui, review, title)
    for text in LINES:
        assert text in content, f"{text!r} not in {content!r}"
    assert len(boxes) == 2, f"check boxes: {[name for name, _ in boxes]}"
    ap.screenshot(session, os.path.join(shots, "review-chat.png"))
    tap.ok(tap.step)

    tap.step = ("'Release all into the conversation' writes both into the room window "
                "(screenshot room-released.png)")
    before = len(ap.read_journal(config))
    ap.choose(ui, review, "Release all into the conversation")
    ap.press(ui, review, "OK")
    ap.wait_closed(ui, "Ajar — review")
    released = [e for e in ap.read_journal(config)[before:] if e.get("event") == "released"]
    assert len(released) == 2, f"journal after release: {ap.read_journal(config)[before:]}"
    ap.wait_for("both lines in the room window",
                lambda: all(t in "\n".join(ui.text(x) for x in ui.find_all(room, "text"))
                            for t in LINES))
    ap.screenshot(session, os.path.join(shots, "room-released.png"))
    tap.ok(tap.step)

    tap.step = "Sam signs off"
    peer.quit()
    tap.ok(tap.step)


def main():
    def setup(args, session, config, env):
        account = ap.write_profile(config, args.plugin, env["AJAR_XMPP_PORT"], rules=RULES)
        add_room_to_blist(config, account)
        return lambda tap: scenario(tap, args, session, config, env)

    return ap.run_test(Servers("ajar-pidgin-chats-servers."),
                       "a local prosody with accounts you and sam, and its MUC", setup,
                       extra_args=("--peer",),
                       stopped="Pidgin, Sam's client, Xvfb, D-Bus and prosody stopped; "
                               "no process left")


if __name__ == "__main__":
    sys.exit(main())
