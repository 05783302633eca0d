"""Real Pidgin, real XMPP buzz: a buzz from Sam while Ajar holds Sam's
messages shows nothing and plays no sound, even with Sam's window open.

    /usr/bin/python3 tests/pidgin/test-pidgin-attn.py --plugin build/plugin/ajar.so --log-dir DIR

Starts a local prosody, Xvfb, a private D-Bus bus and Debian's Pidgin with the
built ajar.so and no rules, its sound method "custom": a command that appends
a line to a file each time Pidgin plays a sound, so the test hears what a
person would. Sam (scripts/xmpp_send.py --attention) buzzes: Pidgin opens
Sam's window with "Sam has buzzed you!" and plays its "Attention received"
sound (the file gets its line). Then a hold rule for Sam goes into
rules.json; with the window still open Sam buzzes again: the journal has an
`attention` event, the window has no second line, and no sound was played —
libpurple still emits "got-attention" for an open window, and Pidgin's
gtksound.c still asks for the sound; Ajar refuses it ("playing-sound-event").
Screenshots go to DIR: the window after the first buzz (buzz-shown.png) and
after the held one (buzz-held.png). Output is TAP; everything it started is
stopped at the end, even on failure.
"""

import json
import os
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "scripts"))

import ajar_pidgin as ap  # noqa: E402
from ajar_tap import Servers  # noqa: E402
from xmpp_send import send_messages  # noqa: E402

BUZZ_LINE = "has buzzed you!"
HOLD_RULES = {"version": 1, "rules": [{
    "name": "Sam",
    "match": [{"buddy": "sam@example.org"}],
    "incoming": {"action": "hold"}}]}


def write_profile(config, plugin, port, sound_log):
    """As ap.write_profile(), but Pidgin's sounds run a command that notes them."""
    command = f"/bin/sh -c 'echo played >> {sound_log}' %s"

    def prefs(link):
        return f"""<?xml version='1.0' encoding='UTF-8' ?>
<pref version='1' name='/'>
 <pref name='pidgin'>
  <pref name='plugins'>
   <pref name='loaded' type='pathlist'>
    <item value='{link}'/>
   </pref>
  </pref>
  <pref name='docklet'>
   <pref name='show' type='string' value='never'/>
  </pref>
  <pref name='sound'>
   <pref name='method' type='string' value='custom'/>
   <pref name='command' type='path' value="{command}"/>
   <pref name='conv_focus' type='bool' value='1'/>
  </pref>
  <pref name='blist'>
   <pref name='show_offline_buddies' type='bool' value='1'/>
   <pref name='x' type='int' value='0'/>
   <pref name='y' type='int' value='0'/>
   <pref name='width' type='int' value='400'/>
   <pref name='height' type='int' value='500'/>
  </pref>
 </pref>
</pref>
"""

    return ap.write_profile_files(config, plugin, port, "gtk-gaim", "Pidgin", prefs,
                                  rules={"version": 1, "rules": []})


def sounds(path):
    try:
        with open(path, encoding="utf-8") as log:
            return len(log.read().splitlines())
    except FileNotFoundError:
        return 0


def conversation_text(ui, conv):
    return "\n".join(ui.text(x) for x in ui.find_all(conv, "text"))


def events(config, kind):
    return [e for e in ap.read_journal(config) if e.get("event") == kind]


def scenario(tap, args, session, config, env, sound_log):
    shots = args.log_dir

    def buzz():
        send_messages(env["AJAR_XMPP_HOST"], int(env["AJAR_XMPP_PORT"]), "sam@example.org",
                      env["AJAR_XMPP_PASSWORD"], "you@example.org", [], resource="phone",
                      attention=True)

    tap.step = "Pidgin starts with the built ajar.so (no rules) and connects to prosody"
    session.start_display()
    session.start_bus()
    session.start_pidgin(config, home=os.path.join(args.log_dir, "home"))
    ui = ap.Ui(session)
    ui.wait_window("Buddy List")
    ap.wait_signed_on(session)
    tap.ok(tap.step)

    tap.step = "a buzz from Sam, no rule: the window says so and the sound plays"
    buzz()
    conv = ui.wait_window("Sam")
    ap.wait_for("the buzz line in Sam's window", lambda: BUZZ_LINE in conversation_text(ui, conv))
    ap.wait_for("the attention sound", lambda: sounds(sound_log) >= 1)
    played = sounds(sound_log)
    ap.screenshot(session, os.path.join(shots, "buzz-shown.png"))
    tap.ok(tap.step)

    tap.step = "a hold rule for Sam in rules.json is taken up (rules-changed)"
    before = len(events(config, "rules-changed"))
    path = os.path.join(config, "ajar", "rules.json")
    with open(os.open(path + ".new", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as out:
        json.dump(HOLD_RULES, out, indent=2)
    os.rename(path + ".new", path)
    ap.wait_for("Ajar to read the new rules",
                lambda: len(events(config, "rules-changed")) > before)
    tap.ok(tap.step)

    tap.step = "Sam buzzes again, window open: journaled attention, no line, no sound"
    # libpurple plays one sound event at most once in 2 seconds: past that,
    # a sound not played is one refused, not one throttled.
    time.sleep(2.5)
    buzz()
    attention = ap.wait_for("an attention event", lambda: events(config, "attention"))
    assert len(attention) == 1, attention
    assert attention[0]["rule"] == "Sam" and "text" not in attention[0], attention[0]
    assert attention[0]["buddy"].startswith("sam@example.org"), attention[0]
    # A round trip through Pidgin's main loop, then a moment for a sound
    # command that would have been spawned.
    ap.wait_for("Pidgin to answer", lambda: ui.window("Buddy List"))
    time.sleep(1.0)
    text = conversation_text(ui, conv)
    assert text.count(BUZZ_LINE) == 1, f"Sam's window: {text!r}"
    assert sounds(sound_log) == played, f"sounds played: {sounds(sound_log)}, before {played}"
    assert not events(config, "held"), "the buzz was kept as a message"
    ap.screenshot(session, os.path.join(shots, "buzz-held.png"))
    tap.ok(tap.step)


def main():
    def setup(args, session, config, env):
        sound_log = os.path.join(args.log_dir, "sounds.log")
        write_profile(config, args.plugin, env["AJAR_XMPP_PORT"], sound_log)
        return lambda tap: scenario(tap, args, session, config, env, sound_log)

    return ap.run_test(Servers("ajar-pidgin-attn-servers."),
                       "a local prosody with accounts you and sam", setup)


if __name__ == "__main__":
    sys.exit(main())
