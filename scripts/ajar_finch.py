"""ajar_finch.py — real Finch with the built ajar.so, in an 80x24 terminal, driven by keys.

Shared by the Finch test (tests/finch/test-finch.py). The Finch counterpart of
ajar_pidgin.py: where that one reads widgets through the accessibility tree
and clicks, this one reads the terminal's text and presses keys, as a person
at an 80x24 terminal would. Needs finch and tmux (scripts/lib.sh
AJAR_FINCH_PACKAGES) and the standard library only.

What it gives:
  write_profile  a throwaway `finch --config` folder: the account you@DOMAIN
              on the local server (signed in at start), Sam in the buddy list,
              Ajar enabled (plugins/ajar.so is a symlink to the built file),
              no sounds.
  Finch       starts `finch --config DIR --debug` in a detached tmux session
              of exactly 80x24 on a private tmux socket (nothing touches the
              user's own tmux or ~/.gntrc), and gives send_keys(), screen(),
              wait_for_screen(), save_screen() and stop(), which ends Finch
              and the tmux server and says what was left.
  steps       what a person does in Finch: open a conversation with Sam, type
              a line into it, close it, open a plugin action from the buddy
              list's menu (Plugins ▸ Ajar ▸ Review held messages…).
Every wait is bounded and polls; nothing sleeps blindly.

What Finch (libgnt) does that the code below relies on, found by trying:
  - Under tmux (TERM=screen) Finch puts the terminal in application cursor
    mode, so arrow keys must be sent as ESC O A..D, not ESC [ A..D.
  - Alt-x arrives as ESC x. Window keys of libgnt's window manager: Alt-c
    closes the focused window, Alt-n / Alt-p focus the next / previous one,
    Alt-w lists windows, Alt-q quits Finch.
  - The last row is the task bar: every window's title, the focused one drawn
    white on blue (SGR 37;44), one with news in green.
  - Ctrl-O opens the focused window's menu (the buddy list has Options,
    Accounts and Plugins; Plugins lists each plugin's actions). It opens on the
    menu used last; Left and Right move along the bar and wrap; Right on an
    item with a submenu opens the submenu; each item shows its key, "(r)".
  - --debug opens a Debug Window over the others; start() closes it (the
    debug lines still go to stderr, which is finch.log).

Request dialogs (purple_request_fields) in Finch 2.14, found with a throwaway
plugin that opens one of each kind:
  - Each field is a row: its label, then its widget, in a box whose halves are
    equally wide, so a long label widens the widget and the window. A window
    wider than 80 columns is cut at the right edge; one taller than 24 rows at
    the bottom: nothing scrolls, Tab still reaches the hidden buttons, and
    Alt-r (then arrows, Enter) resizes a window that has a list to shrink.
  - string: a one-line entry (multiline ones show only their first line, and
    stay editable); integer: an entry; boolean: a "[ ] label" check box (Tab
    to it, Space toggles); choice: a combo box whose options Finch numbers
    from 1 (default 0 selects nothing); single-select list: a combo box;
    multi-select list: a box of "[ ] row" lines (Up/Down move, Space
    toggles); label: its text, then a bold "Not implemented yet.". Combo
    boxes and list rows cut long text with "…".
  - Tab / BTab move between widgets; in a combo box Down opens its list,
    Enter picks; Enter on a button presses it.
  - Alt-c on a fields dialog calls its cancel callback with the window in
    place of the fields; on an action dialog it calls no callback at all.
"""

import ctypes
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

from ajar_pidgin import (  # noqa: F401
    Failure, Session, journal_lines, read_journal, wait_for, write_profile_files)

COLUMNS, ROWS = 80, 24
SETTLE = 1.0      # longest wait for the screen to react to a key (it may not)
QUIET = 0.15      # the screen must stay unchanged this long to count as settled
POLL = 0.05

# Named keys, as the bytes a terminal sends under tmux (TERM=screen, keypad
# transmit mode on: arrows in application mode).
KEYS = {
    "Enter": b"\r", "Tab": b"\t", "BTab": b"\x1b[Z", "Escape": b"\x1b",
    "BSpace": b"\x7f", "Space": b" ",
    "Up": b"\x1bOA", "Down": b"\x1bOB", "Right": b"\x1bOC", "Left": b"\x1bOD",
    "Home": b"\x1b[1~", "End": b"\x1b[4~", "PageUp": b"\x1b[5~", "PageDown": b"\x1b[6~",
    "F10": b"\x1b[21~",
}
for _letter in "abcdefghijklmnopqrstuvwxyz":
    KEYS[f"C-{_letter}"] = bytes([ord(_letter) - ord("a") + 1])
    KEYS[f"M-{_letter}"] = b"\x1b" + _letter.encode()


# ---- the throwaway Finch profile ----------------------------------------------

def write_profile(config, plugin, port, **options):
    """Finch's profile (ajar_pidgin.write_profile_files(), options as there):
    Ajar loaded; Sam shown although offline (we never subscribe to their
    presence); no sound at all (method "nosound", muted); no typing notices.
    Returns the account name (you@DOMAIN/Finch)."""
    def prefs(link):
        return f"""<?xml version='1.0' encoding='UTF-8' ?>
<pref version='1' name='/'>
 <pref name='finch'>
  <pref name='plugins'>
   <pref name='loaded' type='pathlist'>
    <item value='{link}'/>
   </pref>
  </pref>
  <pref name='blist'>
   <pref name='showoffline' type='bool' value='1'/>
  </pref>
  <pref name='conversations'>
   <pref name='notify_typing' type='bool' value='0'/>
  </pref>
  <pref name='sound'>
   <pref name='actprofile' type='string' value='default'/>
   <pref name='profiles'>
    <pref name='default'>
     <pref name='method' type='string' value='nosound'/>
     <pref name='mute' type='bool' value='1'/>
    </pref>
   </pref>
  </pref>
 </pref>
</pref>
"""

    return write_profile_files(config, plugin, port, "gnt-purple", "Finch", prefs, **options)


def tools_missing():
    """Programs this module runs that are not installed."""
    return [tool for tool in ("finch", "tmux", "pgrep") if shutil.which(tool) is None]


# ---- reading the terminal ------------------------------------------------------------

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def styled_cells(line):
    """One line of `capture-pane -e` output as [(char, background)], the
    background an SGR colour number (40-47) or None for the default."""
    cells, background, pos = [], None, 0
    for match in SGR.finditer(line + "\x1b[m"):
        cells += [(ch, background) for ch in line[pos:match.start()]]
        pos = match.end()
        for code in (match.group(1) or "0").split(";"):
            if code in ("", "0", "49"):
                background = None
            elif code.isdigit() and 40 <= int(code) <= 47:
                background = int(code)
    return cells


def runs_on(line, background):
    """The stretches of text of line drawn on that background colour."""
    runs, current = [], ""
    for ch, bg in styled_cells(line):
        if bg == background:
            current += ch
        elif current:
            runs.append(current)
            current = ""
    if current:
        runs.append(current)
    return [run.strip() for run in runs if run.strip()]


# ---- Finch in tmux ---------------------------------------------------------------------

class Finch:
    """Finch in a detached 80x24 tmux session on a private socket.

    workdir holds the socket, tmux.conf, finch.log (Finch's stderr: its debug
    lines) and home/ (HOME for Finch: libgnt reads ~/.gntrc). log_dir receives
    the saved screens."""

    def __init__(self, workdir, config, log_dir=None):
        self.workdir = workdir
        self.config = config
        self.log_dir = log_dir or workdir
        # A socket's path may have at most 107 bytes; a deep build folder
        # gets its socket in a short private folder instead.
        self.socket = os.path.join(workdir, "tmux.sock")
        self.socket_dir = None
        if len(os.fsencode(os.path.abspath(self.socket))) > 100:
            self.socket_dir = tempfile.mkdtemp(prefix="ajar-tmux.")
            self.socket = os.path.join(self.socket_dir, "tmux.sock")
        self.log = os.path.join(workdir, "finch.log")
        self.home = os.path.join(workdir, "home")
        self.status_file = os.path.join(workdir, "finch.status")
        self.server_pid = None
        self.pane_pid = None
        self.saved = []
        # The tmux server leaves the process that started it: as a subreaper
        # this process gets it (and a Finch it leaves) to reap, rather than an
        # init that may never reap (see ajar_pidgin.Session).
        PR_SET_CHILD_SUBREAPER = 36
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    # -- tmux
    def tmux(self, *args, check=True):
        env = dict(os.environ)
        env.pop("TMUX", None)  # never talk to a tmux this runs inside of
        done = subprocess.run(["tmux", "-S", self.socket, *args], env=env,
                              capture_output=True, text=True)
        if check and done.returncode != 0:
            raise Failure(f"tmux {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def start(self):
        """Starts tmux and Finch in it; waits until Finch draws its buddy list
        and closes the Debug Window that --debug opens."""
        os.makedirs(self.home, exist_ok=True)
        os.makedirs(self.log_dir, exist_ok=True)
        conf = os.path.join(self.workdir, "tmux.conf")
        with open(conf, "w") as out:
            # No status line: the pane is the whole 80x24. A pane whose Finch
            # ended stays, so its last screen and exit status can be read.
            out.write("set -g status off\n"
                      "set -g remain-on-exit on\n"
                      "set -g default-terminal screen\n"
                      "set -g history-limit 0\n")
        # A shell waits for Finch and writes down how it ended (tmux 3.3 does
        # not tell a signal): 0, or 128 + the signal that ended it.
        if os.path.exists(self.status_file):
            os.unlink(self.status_file)
        self.tmux("-f", conf, "new-session", "-d", "-x", str(COLUMNS), "-y", str(ROWS),
                  "-s", "ajar", "-e", f"HOME={self.home}",
                  "sh", "-c", 'finch --config "$0" --debug 2>"$1"; echo $? >"$2"',
                  self.config, self.log, self.status_file)
        self.server_pid = int(self.tmux("display-message", "-p", "-t", "ajar", "#{pid}"))
        # The shell leads the pane's session; Finch is in it too.
        self.pane_pid = int(self.tmux("display-message", "-p", "-t", "ajar", "#{pane_pid}"))
        size = self.tmux("display-message", "-p", "-t", "ajar",
                         "#{pane_width}x#{pane_height}").strip()
        if size != f"{COLUMNS}x{ROWS}":
            raise Failure(f"the terminal is {size}, not {COLUMNS}x{ROWS}")
        self.wait_for_screen("Buddy List")
        # --debug's window opens a moment after the buddy list.
        wait_for("the Debug Window", lambda: "Debug Window" in self.taskbar())
        self.close_window("Debug Window")
        return self

    def alive(self):
        """True while Finch runs in the pane."""
        return self.tmux("display-message", "-p", "-t", "ajar", "#{pane_dead}",
                         check=False).strip() == "0"

    # -- reading
    def screen(self):
        """The terminal's text: 24 lines (capture-pane -p)."""
        return self.tmux("capture-pane", "-p", "-t", "ajar")

    def styled_screen(self):
        """The terminal with its colours (capture-pane -p -e), one string a row."""
        return self.tmux("capture-pane", "-p", "-e", "-t", "ajar").rstrip("\n").split("\n")

    def taskbar(self):
        """The last row: the titles of Finch's windows."""
        return self.screen().rstrip("\n").split("\n")[-1]

    def windows(self):
        """The titles in the task bar, one per window Finch shows (a long
        title is cut to its share of the row)."""
        return [title.strip() for title in self.taskbar().split("│") if title.strip()]

    def focused(self):
        """The title of the focused window, as the task bar shows it (white on blue)."""
        runs = runs_on(self.styled_screen()[-1], 44)
        return runs[0] if runs else None

    def highlighted(self):
        """Texts drawn on blue off the task bar: the focused window's title,
        the chosen row of a list or menu, the focused button."""
        return [run for row in self.styled_screen()[:-1] for run in runs_on(row, 44)]

    def wait_for_screen(self, pattern, timeout=None, regex=False):
        """Waits until the screen shows pattern (text, or a regex when regex is
        true); returns the screen. On time-out, the Failure shows the screen."""
        timeout = timeout or 30.0
        test = (lambda s: re.search(pattern, s)) if regex else (lambda s: pattern in s)
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if test(text):
                return text
            if not self.alive():
                raise Failure(f"Finch ended (status {self.exit_status()}) while waiting "
                              f"for {pattern!r}:\n{text}")
            if time.monotonic() > deadline:
                raise Failure(f"timed out after {timeout:.0f}s waiting for {pattern!r} "
                              f"on the screen:\n{text}")
            time.sleep(POLL)

    def wait_screen_without(self, pattern, timeout=None):
        """Waits until the screen no longer shows the text pattern."""
        return wait_for(f"{pattern!r} to leave the screen",
                        lambda: (lambda s: s if pattern not in s else None)(self.screen()),
                        timeout or 30.0)

    def settle(self, before):
        """After a key: waits (at most SETTLE s) for the screen to differ from
        before, then until it stays the same for QUIET s. Colours count: a
        key that only moves the focus (Tab to a check box) changes nothing
        else. Some keys change nothing at all, hence no failure: this only
        lets Finch's main loop catch up, so the next key meets the window it
        was meant for. before and the result: styled_screen() as one string."""
        deadline = time.monotonic() + SETTLE
        now = "\n".join(self.styled_screen())
        while now == before and time.monotonic() < deadline:
            time.sleep(POLL)
            now = "\n".join(self.styled_screen())
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < QUIET and time.monotonic() < deadline + SETTLE:
            time.sleep(POLL)
            later = "\n".join(self.styled_screen())
            if later != now:
                now, quiet_since = later, time.monotonic()
        return now

    def save_screen(self, name):
        """Writes the screen's text to LOG_DIR/name.txt; returns (path, text)."""
        text = self.screen()
        path = os.path.join(self.log_dir, f"{name}.txt")
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        self.saved.append(path)
        return path, text

    def finch_log(self):
        try:
            with open(self.log, encoding="utf-8", errors="replace") as log:
                return log.read()
        except FileNotFoundError:
            return ""

    # -- keys
    def send_keys(self, *keys, settle=True):
        """Sends each key: a name of KEYS ("Down", "Enter", "C-o", "M-c", ...)
        or else literal text, one after the other, letting the screen settle
        after each (see settle). Returns the screen."""
        styled = "\n".join(self.styled_screen())
        for key in keys:
            if key in KEYS:
                self.tmux("send-keys", "-t", "ajar", "-H", *[f"{b:02x}" for b in KEYS[key]])
            else:
                self.tmux("send-keys", "-t", "ajar", "-l", key)
            if settle:
                styled = self.settle(styled)
        return self.screen()

    def type_line(self, line):
        """Types line and Enter into the focused entry."""
        self.send_keys(line)
        return self.send_keys("Enter")

    def choose(self, text, key="Down", tries=20):
        """Moves through a list or menu with key until the highlighted row starts
        with text (borders and a list's status mark aside); returns that row."""
        def hit():
            for row in self.highlighted():
                if row.strip("│ ").lstrip("⊗◯●").strip().startswith(text):
                    return row
            return None

        for _ in range(tries):
            row = hit()
            if row:
                return row
            self.send_keys(key)
        raise Failure(f"{text!r} could not be chosen with {key}:\n{self.screen()}")

    # -- windows
    def focus(self, title, tries=8):
        """Focuses the window whose task bar title starts with title (Alt-n)."""
        for _ in range(tries):
            current = self.focused()
            if current and current.startswith(title):
                return current
            self.send_keys("M-n")
        raise Failure(f"could not focus {title!r}; task bar: {self.taskbar()!r}")

    def close_window(self, title):
        """Focuses the window and closes it (Alt-c); waits until it is gone."""
        self.focus(title)
        self.send_keys("M-c")
        wait_for(f"{title!r} to close", lambda: title not in self.taskbar(), 10.0)

    # -- ending
    def stop(self, timeout=10.0):
        """Quits Finch (Alt-q, as a person would), ends the tmux server, and
        checks that nothing of either is left: no process in the session of
        tmux's server nor in the pane's (Finch's). Returns what went wrong:
        [] when Finch quit by itself with status 0 and nothing is left, else
        sentences saying what had to be killed or how Finch ended."""
        problems = []
        if self.server_pid is None:
            return problems
        if self.alive():
            self.tmux("send-keys", "-t", "ajar", "-H", *[f"{b:02x}" for b in KEYS["M-q"]],
                      check=False)
            try:
                wait_for("Finch to quit", lambda: not self.alive(), timeout)
            except Failure:
                problems.append("Finch did not quit on Alt-q")
        status = self.exit_status()
        if status is not None and status > 128:
            problems.append(f"Finch was ended by signal {status - 128}")
        elif status:
            problems.append(f"Finch exited with status {status}")
        self.tmux("kill-server", check=False)  # SIGHUP to what runs in the pane
        for name, sid in self.sessions():
            try:
                wait_for(f"{name}'s session {sid} to end",
                         lambda s=sid: not _running(s) and not session_members(s), timeout)
            except Failure:
                problems.append(f"{name} left running: {session_members(sid)}; killed")
                try:
                    os.killpg(sid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        Session.reap()
        if self.socket_dir:
            shutil.rmtree(self.socket_dir, ignore_errors=True)
        elif os.path.exists(self.socket):
            os.unlink(self.socket)
        return problems

    def exit_status(self):
        """How Finch ended (see start), or None while it runs."""
        try:
            with open(self.status_file) as status:
                return int(status.read().strip())
        except (OSError, ValueError):
            return None

    def sessions(self):
        """(name, session id) of what this started, for leftover checks: tmux's
        server leads one session, the pane's shell (and Finch in it) another."""
        return [(name, pid) for name, pid in (("tmux", self.server_pid),
                                               ("finch", self.pane_pid)) if pid]


def session_members(sid):
    """The processes in session sid, as pgrep -a -s prints them ("" if none)."""
    return subprocess.run(["pgrep", "-a", "-s", str(sid)], capture_output=True,
                          text=True).stdout.strip()


def _running(pid):
    """True while pid exists and is not a zombie (a zombie is reaped here when
    it is ours: orphans come to a subreaper, see ajar_pidgin.Session)."""
    try:
        with open(f"/proc/{pid}/stat") as stat_file:
            stat = stat_file.read()
    except OSError:
        return False
    if stat[stat.rindex(")") + 2] == "Z":
        Session.reap()
        return False
    return True


# ---- what a person does in Finch, step by step --------------------------------------------

def wait_signed_on(finch, alias="Sam"):
    """Waits until Ajar is loaded from the profile's plugins/ajar.so and the
    account signed on (libpurple turns on its keepalive then); Finch shows a
    buddy only while their account is connected."""
    wait_for("Finch to load Ajar", lambda: "ajar: Ajar " in finch.finch_log())
    wait_for("the account to sign on",
             lambda: "connection: Activating keepalive" in finch.finch_log())
    finch.wait_for_screen(alias)


def open_conversation(finch, alias="Sam"):
    """In the buddy list, moves to alias and presses Enter; waits for the
    conversation window (its title starts with the alias). Returns the screen."""
    finch.focus("Buddy List")
    finch.choose(alias)
    finch.send_keys("Enter")
    wait_for(f"the conversation with {alias}", lambda: (finch.focused() or "").startswith(alias))
    return finch.screen()


def close_conversation(finch, alias="Sam"):
    finch.close_window(f"{alias} (")


def plugin_action(finch, plugin, action):
    """Buddy list ▸ Ctrl-O ▸ Plugins ▸ plugin ▸ action, by the keys the menus
    show. Returns the screen once the menu is gone."""
    finch.focus("Buddy List")
    finch.send_keys("C-o")
    item = re.compile(rf"│{re.escape(plugin)} \((\w)\) >")
    # The menu bar opens on the menu used last; Left wraps around it.
    for _ in range(4):
        found = item.search(finch.screen())
        if found:
            break
        finch.send_keys("Left")
    else:
        raise Failure(f"no '{plugin}' under Plugins:\n{finch.screen()}")
    finch.send_keys(found.group(1))
    entry = finch.wait_for_screen(rf"{re.escape(action)} +\((\w)\)", regex=True, timeout=5)
    key = re.search(rf"{re.escape(action)} +\((\w)\)", entry).group(1)
    return finch.send_keys(key)


def open_plugin_preferences(finch, plugin="Ajar", tries=15):
    """Alt-a ▸ Plugins, the plugin's row, Configure Plugin; returns the screen
    of the plugin's preferences window. The Plugins window is taller than 24
    rows when many plugins are installed, its buttons below the screen's
    edge: then it is made shorter first, as a person would (Alt-r, Up...,
    Enter: libgnt's resize)."""
    finch.send_keys("M-a")
    finch.wait_for_screen("Actions")
    finch.choose("Plugins")
    finch.send_keys("Enter")
    finch.wait_for_screen("You can (un)load plugins")
    finch.choose(f"[X] {plugin}")
    if "Configure Plugin" not in finch.screen():
        finch.send_keys("M-r")
        for _ in range(tries):
            if "Configure Plugin" in finch.screen():
                break
            finch.send_keys("Up")
        finch.send_keys("Enter")
    finch.choose("Configure Plugin", key="Tab")
    finch.send_keys("Enter")
    wait_for("the plugin's preferences", lambda: "Preferences" in finch.windows())
    return finch.screen()
