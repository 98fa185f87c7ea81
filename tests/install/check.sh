#!/usr/bin/env bash
# `make install` and `make uninstall`, as a webmaster runs them.
#
#   check.sh staged   (make test) install below a scratch DESTDIR: the files
#                     the README lists are there with their modes, nothing
#                     else is; uninstall leaves the staging tree empty; an
#                     edited credit.conf survives a second install and is
#                     kept as credit.conf.save by uninstall
#   check.sh system   on a machine with only the build packages and apache2
#                     (scripts/deps.sh build + apache2; run it on a fresh
#                     root with ../shared/tools/fresh-machine.sh): make install
#                     into the real Apache installs no package, the module
#                     loads with the shipped configuration (apache2ctl -t
#                     after a2enmod credit), and make uninstall leaves
#                     /etc/apache2, /usr/share and the module directory as
#                     they were
#
# Exit 0 when every check holds; each failure is printed.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
fails=0
ok() { echo "install: ok: $*"; }
bad() {
    echo "install: FAILED: $*"
    fails=$((fails + 1))
}

# What make install puts in place, relative to the root (README.md lists it).
expected_files() {
    echo /usr/lib/apache2/modules/mod_credit.so
    echo /etc/apache2/mods-available/credit.load
    echo /etc/apache2/mods-available/credit.conf
    (cd "$top" && find templates static -type f | sed 's|^|/usr/share/mod_credit/|')
}

staged() {
    local d
    d=$(mktemp -d)
    trap 'rm -rf "$d"' RETURN
    mkdir -p "$d/etc/apache2"
    if ! make --no-print-directory install DESTDIR="$d" >"$d.log" 2>&1; then
        bad "make install DESTDIR failed: $(tail -n 5 "$d.log")"
        return
    fi
    local want got
    want=$(expected_files | sort)
    got=$(cd "$d" && find . -type f | sed 's|^\.||' | sort)
    if [ "$want" = "$got" ]; then
        ok "make install puts exactly the $(echo "$got" | wc -l) listed files in place"
    else
        bad "installed files differ from the list:"$'\n'"$(diff <(echo "$want") <(echo "$got"))"
    fi
    cmp -s var/build/module/.libs/mod_credit.so "$d/usr/lib/apache2/modules/mod_credit.so" &&
        ok "the module is the one built" || bad "the installed module is not the built one"
    local perm
    perm=$(find "$d" -type f ! -perm 644 | head -n 3)
    [ -z "$perm" ] && ok "every installed file is mode 644" || bad "files not 644: $perm"
    perm=$(find "$d/usr/share/mod_credit" -type d ! -perm 755 | head -n 3)
    [ -z "$perm" ] && ok "the data directories are 755" || bad "directories not 755: $perm"

    # A webmaster's credit.conf survives an upgrade and an uninstall.
    echo "# site password set here" >>"$d/etc/apache2/mods-available/credit.conf"
    make --no-print-directory install DESTDIR="$d" >"$d.log" 2>&1
    if grep -q 'site password set here' "$d/etc/apache2/mods-available/credit.conf" &&
        cmp -s conf/credit.conf "$d/etc/apache2/mods-available/credit.conf.dist"; then
        ok "a second install keeps the edited credit.conf and puts credit.conf.dist beside it"
    else
        bad "a second install overwrote the edited credit.conf"
    fi
    make --no-print-directory uninstall DESTDIR="$d" >"$d.log" 2>&1 || bad "make uninstall failed"
    got=$(cd "$d" && find . -type f | sed 's|^\.||' | sort)
    if [ "$got" = /etc/apache2/mods-available/credit.conf.save ] &&
        grep -q 'site password set here' "$d$got"; then
        ok "make uninstall removes everything and keeps the edited credit.conf as credit.conf.save"
    else
        bad "after uninstall: $got"
    fi
    rm -f "$d/etc/apache2/mods-available/credit.conf.save"
    make --no-print-directory install DESTDIR="$d" >"$d.log" 2>&1
    make --no-print-directory uninstall DESTDIR="$d" >"$d.log" 2>&1
    got=$(cd "$d" && find . -type f)
    [ -z "$got" ] && ok "install then uninstall leaves no file" || bad "left behind: $got"
    [ ! -e "$d/usr/share/mod_credit" ] && ok "uninstall removes /usr/share/mod_credit" ||
        bad "/usr/share/mod_credit is still there"
    rm -f "$d.log"
}

snapshot() { # the state of what install may touch: paths, modes, checksums
    find /etc/apache2 /usr/share /usr/lib/apache2/modules -xdev \( -type f -o -type l -o -type d \) \
        -printf '%p %m %y %l\n' 2>/dev/null | sort
    find /etc/apache2 /usr/lib/apache2/modules -xdev -type f -print0 | sort -z | xargs -0 md5sum
}

system() {
    [ "$(id -u)" = 0 ] || { bad "system mode needs root"; return; }
    [ -d /etc/apache2 ] || { bad "apache2 is not installed"; return; }
    local tests before after pkgs_before pkgs_after
    # The test and bench tools; python3 itself is left out (build packages
    # bring it on Debian: it is an interpreter, not test tooling).
    tests=$(scripts/deps.sh --list test bench | sort -u | grep -vx python3)
    pkgs_before=$(dpkg-query -W -f='${Package} ${Status}\n' | grep 'install ok installed' | sort)
    before=$(mktemp)
    after=$(mktemp)
    snapshot >"$before"
    if make --no-print-directory install; then
        ok "make install"
    else
        bad "make install failed"
        return
    fi
    pkgs_after=$(dpkg-query -W -f='${Package} ${Status}\n' | grep 'install ok installed' | sort)
    [ "$pkgs_before" = "$pkgs_after" ] && ok "make install installed no package" ||
        bad "make install changed packages: $(diff <(echo "$pkgs_before") <(echo "$pkgs_after"))"
    local p present=()
    for p in $tests; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" && present+=("$p")
    done
    [ ${#present[@]} -eq 0 ] && ok "no test or bench package is installed" ||
        bad "test packages present: ${present[*]}"
    local f missing=0
    while read -r f; do
        [ -f "$f" ] || { bad "not installed: $f"; missing=1; }
    done < <(expected_files)
    [ $missing = 0 ] && ok "every listed file is installed"
    a2enmod -q credit
    if apache2ctl -t >/tmp/credit-configtest.log 2>&1; then
        ok "Debian's Apache loads the module with the shipped credit.conf (apache2ctl -t)"
    else
        bad "apache2ctl -t: $(cat /tmp/credit-configtest.log)"
    fi
    if make --no-print-directory uninstall; then ok "make uninstall"; else bad "make uninstall failed"; fi
    snapshot >"$after"
    if diff "$before" "$after" >/tmp/credit-install.diff; then
        ok "/etc/apache2, /usr/share and the module directory are as before make install"
    else
        bad "uninstall left a difference:"$'\n'"$(head -n 20 /tmp/credit-install.diff)"
    fi
    rm -f "$before" "$after"
}

case ${1:-} in
staged) staged ;;
system) system ;;
*)
    echo "usage: $0 staged|system" >&2
    exit 2
    ;;
esac
[ $fails = 0 ] && echo "install: all checks passed" || echo "install: $fails checks failed"
[ $fails = 0 ]
