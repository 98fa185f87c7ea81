#!/usr/bin/env bash
# make install-db: mod_credit's database on a MariaDB the webmaster already
# runs (README.md, "Provisioning the database"). Creates the database and
# the module's three users with their least-privilege grants, installs the
# Mroonga search engine when the server has not loaded it, applies the
# numbered migrations not yet recorded in schema_migrations, and writes the
# users' passwords into files that credit.conf names (password_file=).
# Running it again applies only what is new and keeps the passwords.
#
# Environment (make variables of `make install-db`):
#   DB_HOST                 server (localhost: the Unix socket; default localhost)
#   DB_PORT                 TCP port (3306)
#   DB_SOCKET               socket when DB_HOST is localhost (the client's default)
#   DB_ADMIN_USER           an account that may create databases, users and
#                           plugins (root)
#   DB_ADMIN_PASSWORD_FILE  a file whose first line is its password; without
#                           it the account logs in without one (root through
#                           the socket on Debian), or the password is asked
#                           once on a terminal
#   DB_NAME                 the database (credit)
#   DB_APP_HOSTS            where Apache connects from, as MariaDB hosts
#                           ("localhost 127.0.0.1"; e.g. "10.0.0.5" or "10.0.0.%")
#   CREDIT_SECRETS          where the passwords go (/etc/mod_credit), one file
#                           per user: db-ro, db-ins, db-rw (mode 0600)
#
# No password is ever on a command line (ps shows those): the administrator's
# goes to the client in an option file of mode 0600 that is removed at exit,
# the users' to the client on stdin.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
DB_HOST=${DB_HOST:-localhost}
DB_PORT=${DB_PORT:-3306}
DB_SOCKET=${DB_SOCKET:-}
DB_ADMIN_USER=${DB_ADMIN_USER:-root}
DB_ADMIN_PASSWORD_FILE=${DB_ADMIN_PASSWORD_FILE:-}
DB_NAME=${DB_NAME:-credit}
GRANT_HOSTS=${DB_APP_HOSTS:-localhost 127.0.0.1}
secrets=${CREDIT_SECRETS:-/etc/mod_credit}

die() {
    echo "install-db: $*" >&2
    exit 1
}

# What goes into SQL and option files unquoted must be plain.
[[ $DB_NAME =~ ^[A-Za-z0-9_]{1,64}$ ]] || die "DB_NAME: letters, digits and _ only, got '$DB_NAME'"
[[ $DB_PORT =~ ^[0-9]{1,5}$ ]] || die "DB_PORT: a port number, got '$DB_PORT'"
[[ $DB_HOST =~ ^[A-Za-z0-9._:-]+$ ]] || die "DB_HOST: a host name or address, got '$DB_HOST'"
[[ $DB_ADMIN_USER =~ ^[A-Za-z0-9._@-]+$ ]] || die "DB_ADMIN_USER: got '$DB_ADMIN_USER'"
for h in $GRANT_HOSTS; do
    [[ $h =~ ^[A-Za-z0-9._%:-]+$ ]] || die "DB_APP_HOSTS: '$h' is no MariaDB host"
done
[ -n "$GRANT_HOSTS" ] || die "DB_APP_HOSTS is empty"
command -v mariadb >/dev/null || die "no mariadb client: apt-get install mariadb-client"
command -v openssl >/dev/null || die "no openssl (it makes the passwords): apt-get install openssl"

opt=$(mktemp)
trap 'rm -f "$opt"' EXIT
chmod 600 "$opt"

# The option file of the administrator's connection. A value is quoted and
# its backslashes and quotes escaped, as MariaDB's option files read them.
option_value() { local v=${1//\\/\\\\}; printf '"%s"' "${v//\"/\\\"}"; }
write_options() { # [password]
    {
        echo "[client]"
        echo "user=$DB_ADMIN_USER"
        if [ "$DB_HOST" = localhost ]; then
            echo "host=localhost"
            [ -n "$DB_SOCKET" ] && echo "socket=$(option_value "$DB_SOCKET")"
        else
            echo "host=$DB_HOST"
            echo "port=$DB_PORT"
        fi
        [ $# -gt 0 ] && echo "password=$(option_value "$1")"
        echo "default-character-set=utf8mb4"
    } >"$opt"
}

# The schema's dates are Beijing time: the migrations' CURDATE() and the
# events they create (which keep the session's time zone) must be too,
# whatever the server's own time zone is.
client() { mariadb --defaults-file="$opt" --init-command="SET time_zone = '+08:00'" "$@"; }

if [ -n "$DB_ADMIN_PASSWORD_FILE" ]; then
    [ -r "$DB_ADMIN_PASSWORD_FILE" ] || die "DB_ADMIN_PASSWORD_FILE $DB_ADMIN_PASSWORD_FILE cannot be read"
    IFS= read -r pw <"$DB_ADMIN_PASSWORD_FILE" || true
    pw=${pw%$'\r'}
    [ -n "$pw" ] || die "DB_ADMIN_PASSWORD_FILE $DB_ADMIN_PASSWORD_FILE: the first line is empty"
    write_options "$pw"
    unset pw
else
    write_options
fi

where="$DB_ADMIN_USER@$DB_HOST$([ "$DB_HOST" = localhost ] || echo ":$DB_PORT")"
if ! err=$(client -N -e "SELECT 1" 2>&1 >/dev/null); then
    if [ -z "$DB_ADMIN_PASSWORD_FILE" ] && [ -t 0 ] && [[ $err == *"Access denied"* ]]; then
        IFS= read -r -s -p "password of $where: " pw
        echo
        write_options "$pw"
        unset pw
        err=$(client -N -e "SELECT 1" 2>&1 >/dev/null) || die "cannot connect as $where: $err"
    else
        die "cannot connect as $where: $err"
    fi
fi
echo "connected as $where ($(client -N -e "SELECT VERSION()"))"

# Mroonga, the full-text search engine of the Chinese search (sql/003, 012).
mroonga() {
    client -N -e "SELECT COUNT(*) FROM information_schema.ENGINES
                  WHERE ENGINE = 'Mroonga' AND SUPPORT IN ('YES', 'DEFAULT')"
}
if [ "$(mroonga)" = 0 ]; then
    echo "installing the Mroonga plugin (INSTALL SONAME 'ha_mroonga')"
    if ! err=$(client -e "INSTALL SONAME 'ha_mroonga'" 2>&1) || [ "$(mroonga)" = 0 ]; then
        die "the server cannot load Mroonga ($err): install mariadb-plugin-mroonga on the database server, then run this again"
    fi
fi

# The daily jobs (expired records in the change feed, the totals' roll) are
# events; pages and totals are right without them, the change feed late.
if [ "$(client -N -e "SELECT @@global.event_scheduler")" != ON ]; then
    echo "install-db: warning: the server's event_scheduler is OFF: the change feed's daily" \
        "entries of expired records wait until it is on; set event_scheduler=ON under" \
        "[mariadbd] in the server's configuration (SET GLOBAL event_scheduler = ON until" \
        "its next restart)" >&2
fi

# password, migrate, grants: the same as scripts/db.sh does for the private server.
# shellcheck source=scripts/db-lib.sh
. "$top/scripts/db-lib.sh"

if [ ! -d "$secrets" ]; then
    (umask 077 && mkdir -p "$secrets")
fi
chmod 700 "$secrets"
migrate
[ "$MIGRATED" = 0 ] && echo "no new migration: the schema is up to date"
version=$(client -N "$DB_NAME" -e "SELECT MAX(version) FROM schema_migrations")
echo "database $DB_NAME at schema version $version; users credit_ro, credit_ins, credit_rw" \
    "from $GRANT_HOSTS"

if [ "$DB_HOST" = localhost ]; then
    conn="host=localhost${DB_SOCKET:+ socket=$DB_SOCKET}"
else
    conn="host=$DB_HOST port=$DB_PORT"
fi
cat <<EOF

The passwords are in $secrets (db-ro, db-ins, db-rw, readable by $(id -un) only;
Apache reads them at start, as root). In credit.conf:

    CreditDB "$conn user=credit_ro password_file=$secrets/db-ro dbname=$DB_NAME"
    CreditDBWrite "user=credit_ins password_file=$secrets/db-ins"
    CreditDBAdmin "user=credit_rw password_file=$secrets/db-rw"

Staff logins need a row each: INSERT INTO $DB_NAME.staff (username, name, department_id) ...
(README.md, the staff API).
EOF
