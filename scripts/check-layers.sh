#!/usr/bin/env bash
# The includes of mod_credit/ go down the layers (docs/ARCHITECTURE.md):
#
#   model   includes model
#   view    includes model, view
#   store   includes model, store
#   page    includes model, view, store, page
#   httpd   includes everything, and is the only layer with httpd headers
#   tool    includes model, view, store
#
# Prints each include against the grain (file, line, the layer it reaches)
# and exits 1 when there is one; run by `make unit`.
set -euo pipefail
cd "$(dirname "$0")/.."

allowed() {
    case $1 in
    model) echo "model" ;;
    view) echo "model view" ;;
    store) echo "model store" ;;
    page) echo "model view store page" ;;
    httpd) echo "model view store page httpd" ;;
    tool) echo "model view store" ;;
    esac
}

# The layer of each header, by the folder it is in.
declare -A layer_of
for h in mod_credit/*/*.h; do
    l=${h#mod_credit/}
    layer_of[${h##*/}]=${l%%/*}
done

bad=0
for f in mod_credit/*/*.[ch]; do
    from=${f#mod_credit/}
    from=${from%%/*}
    ok=" $(allowed "$from") "
    while IFS=: read -r line text; do
        name=$(sed -E 's/^#include[[:space:]]*"([^"]+)".*/\1/' <<<"$text")
        to=${layer_of[$name]:-}
        if [ -z "$to" ]; then
            echo "$f:$line: includes \"$name\", which is in no layer's folder"
            bad=1
        elif [[ $ok != *" $to "* ]]; then
            echo "$f:$line: $from includes $to/$name (a $from file may include: $(allowed "$from"))"
            bad=1
        fi
    done < <(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" || true)
    if [ "$from" != httpd ] &&
        grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*<(httpd|http_[a-z_]+|ap_[a-z_]+|util_[a-z_]+|mod_[a-z_]+|mpm_[a-z_]+|scoreboard)\.h>' "$f"; then
        echo "$f: an httpd header outside mod_credit/httpd/"
        bad=1
    fi
done
if [ $bad -ne 0 ]; then
    echo "check-layers: includes against the layers (docs/ARCHITECTURE.md)" >&2
    exit 1
fi
echo "check-layers: every include goes down the layers"
