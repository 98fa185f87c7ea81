# shellcheck shell=bash
# The schema, the users and their grants: sourced by scripts/db.sh (the
# private server of `make run` and the tests) and scripts/install-db.sh (a
# MariaDB the webmaster already runs), so both do exactly the same.
#
# The caller defines:
#   client [ARGS...]  the mariadb client as the database's administrator
#   top               the checkout (sql/ is read from it)
#   DB_NAME           the database
#   secrets           the directory of the users' passwords (db-ro, db-ins, db-rw)
#   GRANT_HOSTS       the hosts the module's users connect from ('localhost 127.0.0.1')
#
# Passwords never appear on a command line: they go to the client on stdin.

password() { # name -> prints the password, creating it on first use
    local f=$secrets/db-$1
    [ -s "$f" ] || (umask 077 && openssl rand -hex 16 >"$f")
    cat "$f"
}

# Applies sql/NNN_*.sql not yet recorded in schema_migrations, in order,
# then the grants. Prints one line per migration applied; sets MIGRATED to
# their number.
migrate() {
    MIGRATED=0
    client -e "CREATE DATABASE IF NOT EXISTS \`$DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
        CREATE TABLE IF NOT EXISTS \`$DB_NAME\`.schema_migrations (
            version INT UNSIGNED NOT NULL PRIMARY KEY,
            name VARCHAR(100) NOT NULL,
            applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB;"
    local f base v n
    for f in "$top"/sql/[0-9][0-9][0-9]_*.sql; do
        base=$(basename "$f" .sql)
        v=$((10#${base%%_*}))
        n=$(client -N "$DB_NAME" -e "SELECT COUNT(*) FROM schema_migrations WHERE version = $v")
        [ "$n" = 0 ] || continue
        echo "migration $base"
        { cat "$f"; echo; echo "INSERT INTO schema_migrations (version, name) VALUES ($v, '$base');"; } |
            client "$DB_NAME"
        MIGRATED=$((MIGRATED + 1))
    done
    grants
}

# Least privilege (sql/grants.sql): the public pages read, submissions
# insert, staff write; nobody may UPDATE or DELETE the audit log. Each run
# sets the users' passwords to the files' again, so it can be repeated.
grants() {
    local ro ins rw h
    ro=$(password ro)
    ins=$(password ins)
    rw=$(password rw)
    for h in $GRANT_HOSTS; do
        client "$DB_NAME" <<SQL
CREATE USER IF NOT EXISTS 'credit_ro'@'$h' IDENTIFIED BY '$ro';
CREATE USER IF NOT EXISTS 'credit_ins'@'$h' IDENTIFIED BY '$ins';
CREATE USER IF NOT EXISTS 'credit_rw'@'$h' IDENTIFIED BY '$rw';
ALTER USER 'credit_ro'@'$h' IDENTIFIED BY '$ro';
ALTER USER 'credit_ins'@'$h' IDENTIFIED BY '$ins';
ALTER USER 'credit_rw'@'$h' IDENTIFIED BY '$rw';
$(sed -e "s/@HOST@/$h/g" -e "s/@DB@/$DB_NAME/g" "$top/sql/grants.sql")
SQL
    done
}
