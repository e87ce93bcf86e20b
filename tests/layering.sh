#!/bin/sh
# SPDX-License-Identifier: MIT
# The module map of docs/architecture.md, enforced: every #include of a
# project header ("name.h" or <igvmkit/name.h>) must point into the same
# module or into one the including module may depend on.  Dependencies run
# one way, from cli/ down to igvm/.
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 1

# module: the modules it may include (besides itself)
allowed() {
    case $1 in
    igvm) echo "" ;;
    descriptors) echo "igvm" ;;
    measure) echo "igvm" ;;
    sign) echo "igvm measure" ;;
    lint) echo "igvm" ;;
    export) echo "igvm measure" ;;
    attest) echo "igvm measure sign" ;;
    packer) echo "igvm descriptors measure sign" ;;
    cli) echo "igvm descriptors measure sign lint export attest packer" ;;
    esac
}
modules="igvm descriptors measure sign lint export attest packer cli"

# owner HEADER-PATH-AS-INCLUDED: the module whose folder holds it
owner() {
    case $1 in
    igvmkit/*) for m in $modules; do [ -f "$m/$1" ] && { echo "$m"; return; }; done ;;
    *) for m in $modules; do [ -f "$m/$1" ] && { echo "$m"; return; }; done ;;
    esac
    echo ""
}

n=0 bad=0
echo "1..1"
for m in $modules; do
    ok=" $m $(allowed "$m") "
    for f in $(find "$m" -name '*.[ch]' | sort); do
        for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]\(\(igvmkit\/\)\{0,1\}[A-Za-z0-9_.-]*\.h\)[>"].*/\1/p' "$f"); do
            case $inc in
            igvmkit/*) ;;
            *) grep -q "^#[[:space:]]*include[[:space:]]*\"$inc\"" "$f" || continue ;;
            esac
            o=$(owner "$inc")
            [ -n "$o" ] || continue # a system header
            n=$((n + 1))
            case $ok in
            *" $o "*) ;;
            *) echo "# $f includes $inc: $m may not depend on $o" ; bad=$((bad + 1)) ;;
            esac
        done
    done
done
if [ "$bad" -eq 0 ] && [ "$n" -gt 100 ]; then
    echo "ok 1 - $n includes follow the module order"
else
    echo "not ok 1 - $bad of $n includes break the module order"
fi
