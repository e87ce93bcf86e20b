#!/bin/sh
# SPDX-License-Identifier: MIT
# Every document a source comment cites must be in this repository: a
# markdown file named in a source, build or manual file resolves to a file, taken
# relative to the top of the tree or to the citing file's folder (a bare
# name may also be any file of that name in the tree).  Markdown files are
# checked for citations of this repository's docs/ pages only, since they
# also name documents of other projects.  See CONTRIBUTING.md, "Style".
set -u
top=${top_srcdir:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top" || exit 1

echo "1..1"
list=$(mktemp "${TMPDIR:-/tmp}/igvmkit-cite.XXXXXX") || exit 1
trap 'rm -f "$list"' EXIT

find . \( -name .git -o -name 'build*' -o -name _build -o -name _inst \
          -o -name autom4te.cache -o -name corpus \) -prune -o -type f \
     \( -name '*.[ch]' -o -name '*.py' -o -name '*.sh' -o -name '*.mk' -o -name '*.am' \
        -o -name '*.ac' -o -name '*.pod' -o -name '*.in' -o -name '*.md' -o -name '*.yaml' \
        -o -name .clang-format -o -name run -o -name NEWS \) -print | sort >"$list"

n=0 bad=0
while IFS= read -r f; do
    f=${f#./}
    case $f in
    *.md) pattern='docs/[A-Za-z0-9_.-]*\.md' ;;
    *) pattern='[A-Za-z0-9_./-]*[A-Za-z0-9_-]\{3\}\.md' ;; # 3+ letters: not C's s.md
    esac
    for cite in $(grep -o "$pattern" "$f" 2>/dev/null | sort -u); do
        case $cite in //*) continue ;; esac # part of a URL
        path=${cite#top_srcdir/}
        path=${path#top_builddir/}
        n=$((n + 1))
        [ -f "$path" ] && continue
        [ -f "$(dirname "$f")/$path" ] && continue
        case $path in
        */*) ;;
        *) [ -n "$(grep -m1 "/$path\$" "$list")" ] && continue ;;
        esac
        echo "# $f cites $cite, which is not in the repository"
        bad=$((bad + 1))
    done
done <"$list"

if [ "$bad" -eq 0 ] && [ "$n" -gt 50 ]; then
    echo "ok 1 - $n document citations resolve inside the repository"
else
    echo "not ok 1 - $bad of $n document citations point outside the repository"
    exit 1
fi
