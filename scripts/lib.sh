# shellcheck shell=bash
# scripts/lib.sh — helpers shared by scripts/test and scripts/demo.
# Source it from bash:  . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Works on a fresh Debian 12 (docker debian:12, nothing installed) as root, or
# as a user with sudo.

# The repository root: the folder above scripts/.
AJAR_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export AJAR_ROOT

# Deterministic tool output (meson and the tests print UTF-8). C.UTF-8 is
# always present in Debian's libc.
export LC_ALL=C.UTF-8

# What building and testing Ajar needs, as Debian 12 package names.
# shellcheck disable=SC2034  # used by the scripts that source this file
AJAR_BUILD_PACKAGES=(
    gcc             # compiler; its libasan/libubsan come with it (sanitizer build)
    libc6-dev
    binutils        # nm, for the plugin's export check
    meson
    ninja-build
    pkg-config
    python3         # meson, and scripts/test's result counting
    libglib2.0-dev
    libjson-glib-dev
    libpurple-dev
    valgrind
    git
    gettext         # msgfmt (the .mo files), xgettext and msgmerge (scripts/check-translations)
    tzdata          # tests set TZ
)

# What the end-to-end tests and the demo run against (scripts/servers), and
# the real Pidgin they drive under a virtual X display.
# shellcheck disable=SC2034  # used by the scripts that source this file
AJAR_SERVER_PACKAGES=(
    prosody         # XMPP server, run on 127.0.0.1 as the prosody user
    ngircd          # IRC server, run on 127.0.0.1
    purple-xmpp-carbons # XEP-0280 plugin the e2e suite loads (your second device)
)

# Real Pidgin under a virtual X display, driven through the accessibility tree
# (tests/pidgin, scripts/demo; see scripts/ajar_pidgin.py).
# shellcheck disable=SC2034  # used by the scripts that source this file
AJAR_PIDGIN_PACKAGES=(
    pidgin          # the messenger itself (GTK 2)
    xvfb            # virtual X display
    xdotool         # the mouse, and the list of windows
    imagemagick     # `import`: screenshots
    fonts-dejavu-core # readable text in them
    dbus-daemon     # a private session bus for Pidgin and the accessibility bus
    at-spi2-core    # the accessibility bus and registry
    libgail-common  # GTK 2's accessibility (GTK_MODULES=gail)
    libatk-adaptor  # ...put on the accessibility bus (GTK_MODULES=atk-bridge)
    python3-pyatspi # reading widgets by name from Debian's python3
    procps          # pgrep: checks that nothing is left running
)

# Real Finch in an 80x24 terminal, driven by keys and read as text through a
# detached tmux session (tests/finch; see scripts/ajar_finch.py).
# shellcheck disable=SC2034  # used by the scripts that source this file
AJAR_FINCH_PACKAGES=(
    finch           # the messenger itself (libgnt, ncurses)
    tmux            # the 80x24 terminal it runs in, and its screen as text
    procps          # pgrep: checks that nothing is left running
)

# What building the Debian package (scripts/package) and installing it (the
# package suite) need besides debian/control's Build-Depends, which
# scripts/package installs itself.
# shellcheck disable=SC2034  # used by the scripts that source this file
AJAR_PACKAGE_PACKAGES=(
    dpkg-dev        # dpkg-buildpackage, dpkg-checkbuilddeps
    debhelper       # dh, with meson
    lintian
    man-db          # man -w ajar, in the package suite
)

# The languages Ajar ships (po/LINGUAS) as real locales: the translation tests
# run the plugin and the CLI in them, dates and all (gettext alone would leave
# weekday and month names to the C locale).
# shellcheck disable=SC2034  # used by the scripts that source this file
AJAR_LOCALE_PACKAGES=(
    locales         # localedef and the locale sources
)
AJAR_TEST_LOCALES=(es_ES de_DE)

# Generates the UTF-8 locales of AJAR_TEST_LOCALES that `locale -a` lacks.
ajar_ensure_locales() {
    local name have
    have=$(locale -a 2>/dev/null)
    for name in "${AJAR_TEST_LOCALES[@]}"; do
        if printf '%s\n' "$have" | grep -qx "$name.utf8"; then
            continue
        fi
        ajar_say "locales: generating $name.UTF-8"
        ajar_as_root localedef -i "$name" -c -f UTF-8 "$name.UTF-8"
    done
}

# What the libFuzzer build (scripts/fuzz, and scripts/test's fuzz stage) adds.
# shellcheck disable=SC2034  # used by the scripts that source this file
AJAR_FUZZ_PACKAGES=(
    clang               # the compiler; -fsanitize=fuzzer is clang's
    libclang-rt-14-dev  # libFuzzer and the sanitizer runtimes for clang 14
)

ajar_say() {
    printf '%s\n' "$*"
}

ajar_warn() {
    printf '%s: %s\n' "${0##*/}" "$*" >&2
}

ajar_die() {
    ajar_warn "$*"
    exit 1
}

# Runs a command as root: directly when we are root, else through sudo.
ajar_as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        ajar_die "need root to run '$*' (not root, and sudo is not installed)"
    fi
}

# True when the Debian package $1 is installed.
ajar_have_package() {
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

# Installs those of the given Debian packages that are missing. apt-get update
# runs only when something is missing; nothing runs when all are installed.
ajar_ensure_packages() {
    local pkg missing=()

    command -v dpkg-query >/dev/null 2>&1 ||
        ajar_die "dpkg-query not found: this script needs Debian (12) or a derivative"
    for pkg in "$@"; do
        ajar_have_package "$pkg" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        ajar_say "packages: all ${#} present"
        return 0
    fi
    ajar_say "packages: installing ${missing[*]}"
    ajar_as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    ajar_as_root env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Configures meson build dir $1 with the remaining arguments as options:
# a new dir is set up, an existing one reconfigured (wiped if that fails, e.g.
# after a meson upgrade).
ajar_meson_setup() {
    local dir=$1
    shift
    if [ -f "$dir/meson-private/coredata.dat" ]; then
        meson setup --reconfigure "$dir" "$AJAR_ROOT" "$@" ||
            meson setup --wipe "$dir" "$AJAR_ROOT" "$@"
    else
        meson setup "$dir" "$AJAR_ROOT" "$@"
    fi
}

# Seconds since the epoch (for stage timings).
ajar_now() {
    date +%s
}

# "75" -> "1m15s"
ajar_duration() {
    local s=$1
    if [ "$s" -ge 60 ]; then
        printf '%dm%02ds' $((s / 60)) $((s % 60))
    else
        printf '%ds' "$s"
    fi
}
