# Source me: the lab's private MariaDB (never the project's or anyone else's).
export CREDIT_VAR=/work/search-lab/var DB_PORT=3401
export LAB=/work/search-lab
export MAIN=/work/main
export GRN_PORT=10441 GRN_DB=/work/search-lab/groonga/db/search.db
export SPHINX_PORT=9406
export PY=/usr/bin/python3
sql() { "$MAIN/scripts/db.sh" sql "$@"; }
