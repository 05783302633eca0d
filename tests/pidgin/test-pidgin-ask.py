"""Real Pidgin, real XMPP: a message written to Sam in quiet hours is kept,
and when the window ends Ajar asks about it (the "2 a.m. question").

    /usr/bin/python3 tests/pidgin/test-pidgin-ask.py --plugin build/plugin/ajar.so --log-dir DIR

Starts a local prosody (scripts/servers), Xvfb, a private D-Bus bus and
Debian's Pidgin with a throwaway --config folder in which the built ajar.so
is enabled and rules.json gives Sam quiet hours that began an hour ago and
end 40 s after the start (Pidgin's time zone is chosen so that a whole
minute of local time falls there), some 25 s after the message. Then, as a person would: double-click Sam, type a message and press
Enter. The test checks that it is journaled `queued` with "quiet": true and
due at the window's end, that the conversation shows Ajar's line and not
the message, that Pidgin sent no typing notification to Sam (its debug log
has Ajar's line for each one kept), and that at the window's end a dialog
asks "You wrote this to Sam at HH:MM: "…". Send it now?" with Send and Keep
it unsent (the default) — screenshot quiet-question.png — and that Keep it
unsent journals `cancelled` and sends nothing. Output is TAP; everything it
started is stopped at the end, even on failure.
"""

import datetime
import math
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import ajar_pidgin as ap  # noqa: E402
from ajar_tap import Servers  # noqa: E402

TEXT = "are you awake?"


def quiet_window():
    """Sam's quiet hours for a run: (from, until) as "HH:MM", until's unix
    time, and the time zone Pidgin runs in. A window's end is a whole minute
    of local time, so rather than wait up to a minute for one the test picks
    the zone: UTC plus the seconds that make local time reach a whole minute
    40 s from now (time enough to start Pidgin and type). The window began
    an hour before its end."""
    end = math.ceil(time.time() + 40)
    offset = -end % 60  # seconds east of UTC, 0..59
    zone = f"AJR-00:00:{offset:02d}"  # POSIX counts the other way: "-" is east

    def hhmm(t):
        return datetime.datetime.fromtimestamp(t + offset, datetime.timezone.utc).strftime("%H:%M")

    return hhmm(end - 3600), hhmm(end), end, offset, zone


def conversation_text(ui, conv):
    return "\n".join(ui.text(x) for x in ui.find_all(conv, "text"))


def scenario(tap, args, session, config, until, offset):
    shots = args.log_dir
    tap.step = "Pidgin starts with the built ajar.so and Sam's quiet hours, and connects"
    session.start_display()
    session.start_bus()
    session.start_pidgin(config, home=os.path.join(args.log_dir, "home"))
    ui = ap.Ui(session)
    blist = ui.wait_window("Buddy List")
    ap.wait_signed_on(session)
    tap.ok(tap.step)

    tap.step = f"double-click Sam, type {TEXT!r} and press Enter: kept, queued, quiet"
    buddy = ap.wait_for("Sam in the buddy list",
                        lambda: ui.find(blist, "table cell", match=lambda n: n.startswith("Sam")))
    ui.point(buddy)
    ui.xdotool("click", "--repeat", "2", "--delay", "80", "1")
    conv = ui.wait_window("Sam")
    ui.place("^Sam$", 410, 60, 560, 390)
    ui.xdotool("type", "--delay", "40", TEXT)
    ui.xdotool("key", "Return")
    queued = ap.wait_for("a queued line in the journal", lambda: [
        e for e in ap.read_journal(config) if e.get("event") == "queued"])
    assert len(queued) == 1, f"queued: {queued}"
    event = queued[0]
    assert event["text"] == TEXT and event.get("quiet") is True and "ask" not in event, event
    due = datetime.datetime.fromisoformat(event["due"].replace("Z", "+00:00")).timestamp()
    assert int(due) == until, f"due {event['due']}, expected the window's end {until}"
    tap.ok(tap.step)

    tap.step = "the conversation says it was not sent; the message is not in it as sent"
    ap.wait_for("Ajar's line in the conversation",
                lambda: "so this was not sent" in conversation_text(ui, conv))
    assert TEXT not in conversation_text(ui, conv), conversation_text(ui, conv)
    kinds = [e.get("event") for e in ap.read_journal(config)]
    assert "sending" not in kinds and "sent" not in kinds, kinds
    tap.ok(tap.step)

    tap.step = "no typing notification went to Sam (Ajar kept each one Pidgin sent)"
    log = session.pidgin_log()
    assert "to a kept contact not sent" in log, "Pidgin sent no typing state through Ajar"
    tap.ok(tap.step)

    tap.step = ("at the window's end Ajar asks 'You wrote this to Sam at …: \"…\". "
                "Send it now?', Keep it unsent the default (quiet-question.png)")
    wait = max(0.0, until - time.time()) + ap.WAIT
    question = ap.wait_for("the quiet-hours question", lambda: ui.window("Ajar"), timeout=wait)
    assert time.time() >= until - 1, "asked before the window's end"
    written = datetime.datetime.fromisoformat(event["time"].replace("Z", "+00:00"))
    written += datetime.timedelta(seconds=offset)  # Pidgin's local time
    expected = f'You wrote this to Sam at {written.strftime("%H:%M")}: "{TEXT}". Send it now?'
    said = [ui.text(x) for x in ui.find_all(question, "label")]
    assert any(expected in s for s in said), f"the dialog says {said}, expected {expected!r}"
    buttons = {b.name: b for b in ui.find_all(question, "push button")}
    assert sorted(buttons) == ["Keep it unsent", "Send"], f"buttons: {sorted(buttons)}"
    default = [n for n, b in buttons.items()
               if b.getState().contains(ui.pyatspi.STATE_IS_DEFAULT)]
    assert default == ["Keep it unsent"], f"the default answer: {default}"
    ui.place("^Ajar$", 300, 480)
    ap.screenshot(session, os.path.join(shots, "quiet-question.png"))
    tap.ok(tap.step)

    tap.step = "'Keep it unsent': cancelled, nothing sent"
    before = len(ap.read_journal(config))
    ap.press(ui, question, "Keep it unsent")
    ap.wait_closed(ui, "Ajar")
    ap.wait_for("a cancelled line", lambda: [e for e in ap.read_journal(config)[before:]
                                             if e.get("event") == "cancelled"])
    new = [(e.get("event"), e.get("id")) for e in ap.read_journal(config)[before:]]
    assert new == [("cancelled", event["id"])], f"new journal lines: {new}"
    tap.ok(tap.step)


def main():
    def setup(args, session, config, env):
        start, end, until, offset, zone = quiet_window()
        session.env["TZ"] = zone
        rules = {"version": 1, "rules": [{
            "name": "Sam", "match": [{"buddy": "sam@example.org"}],
            "outgoing": {"action": "pass", "quiet_hours": {"from": start, "until": end}}}]}
        ap.write_profile(config, args.plugin, env["AJAR_XMPP_PORT"], rules=rules)
        return lambda tap: scenario(tap, args, session, config, until, offset)

    return ap.run_test(Servers("ajar-pidgin-ask-servers."),
                       "a local prosody with accounts you and sam", setup)


if __name__ == "__main__":
    sys.exit(main())
