#!/bin/sh
# check-exports.sh PLUGIN.so — TAP test: the plugin's dynamic symbol table
# defines purple_init_plugin and nothing else of ours (STYLE.md: the plugin is
# built with hidden visibility). Allowed besides it are only the symbols the
# toolchain itself may put there:
#   _init _fini                 ELF init/fini entry points (older toolchains)
#   _edata _end __bss_start     section boundary markers (older binutils)
# A sanitizer build adds nothing to this list: a hidden-visibility module
# exports no sanitizer symbols of its own.
set -eu

so=${1:?usage: check-exports.sh PLUGIN.so}
nm=${NM:-nm}

echo "1..2"

if ! symbols=$("$nm" -D --defined-only "$so" 2>&1); then
    echo "not ok 1 - nm -D --defined-only $so"
    printf '%s\n' "$symbols" | sed 's/^/# /'
    echo "not ok 2 - # SKIP no symbol list"
    exit 1
fi
names=$(printf '%s\n' "$symbols" | awk 'NF >= 2 { print $NF }' | sort -u)

if printf '%s\n' "$names" | grep -qx 'purple_init_plugin'; then
    echo "ok 1 - $so exports purple_init_plugin"
else
    echo "not ok 1 - $so does not export purple_init_plugin (libpurple cannot load it)"
    status=1
fi

extra=$(printf '%s\n' "$names" |
    grep -vx -e 'purple_init_plugin' -e '_init' -e '_fini' \
        -e '_edata' -e '_end' -e '__bss_start' || true)
if [ -z "$extra" ]; then
    echo "ok 2 - nothing else is exported"
else
    echo "not ok 2 - unexpected exported symbols (missing static or hidden visibility?)"
    printf '%s\n' "$extra" | sed 's/^/# /'
    status=1
fi
exit "${status:-0}"
