# Source me: the lab's private MariaDB (never the project's or anyone else's).
# The scripts keep their words, results and servers under $LAB (several of
# them name /work/search-lab literally: use that path, or edit them).
export LAB=${LAB:-/work/search-lab}
export MAIN=${MAIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)}
export CREDIT_VAR=$LAB/var DB_PORT=${DB_PORT:-3401}
export GRN_PORT=10441 GRN_DB=$LAB/groonga/db/search.db
export SPHINX_PORT=9406
export PY=/usr/bin/python3
sql() { "$MAIN/scripts/db.sh" sql "$@"; }
