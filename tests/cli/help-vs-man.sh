#!/bin/sh
# The options each verb's --help lists (generated from the verb's option
# table, cli/options.c) are exactly the options of that verb's synopsis in
# igvmkit(1), and every short option a verb takes is the one COMMON OPTIONS
# documents for that long name.  measure's sev-snp-measure form
# ('measure --mode snp --help') is compared with its own synopsis, the one
# that starts with B<--ovmf>.
. "$top_srcdir/tests/cli/lib.sh"

MAN="$top_srcdir/man/igvmkit.1.pod"

# The verbs, from 'igvmkit --help'.
verbs=$("$IGVMKIT" --help | sed -n '/^Verbs:/,/^$/p' | sed -n 's/^  \([a-z]*\) .*/\1/p')
is "$(echo "$verbs" | wc -l | tr -d ' ')" 11 "igvmkit --help lists 11 verbs"

# help_longs ARGS...: sorted long options (without --help) of a --help text.
help_longs() {
    "$IGVMKIT" "$@" --help | sed -n 's/^  \(-[a-zA-Z], \|    \)--\([a-z0-9-]*\).*/--\2/p' |
        grep -v '^--help$' | sort -u
}

# help_pairs ARGS...: "-x --long" for every option with a short letter.
help_pairs() {
    "$IGVMKIT" "$@" --help | sed -n 's/^  \(-[a-zA-Z]\), \(--[a-z0-9-]*\).*/\1 \2/p' | sort -u
}

# man_synopsis VERB [compat]: the synopsis paragraphs of VERB's section
# (those starting with B<igvmkit VERB>); with "compat" only measure's
# sev-snp-measure form, without it every other.
man_synopsis() {
    awk -v verb="$1" -v want="${2:-}" '
        /^=head[12] / { in_verb = ($0 == "=head2 " verb); next }
        !in_verb { next }
        /^$/ { if (keep) print para; para = ""; keep = 0; next }
        {
            if (para == "") {
                keep = index($0, "B<igvmkit " verb ">") == 1
                compat = index($0, "B<--ovmf>") > 0
                if (keep && (want == "compat") != compat)
                    keep = 0
            }
            para = para " " $0
        }
        END { if (keep) print para }' "$MAN"
}

# man_longs PAIRS MAN-ARGS: the long options of the synopsis, a short one
# (B<-o>) counted as its long name by the verb's PAIRS.
man_longs() {
    pairs=$1
    shift
    {
        man_synopsis "$@" | grep -o 'B<--[a-z0-9-]*>' | sed 's/^B<\(.*\)>$/\1/'
        man_shorts "$@" | while read -r s; do
            printf '%s\n' "$pairs" | sed -n "s/^$s //p"
        done
    } | sort -u
}

man_shorts() {
    man_synopsis "$@" | grep -o 'B<-[a-zA-Z]>' | sed 's/^B<\(.*\)>$/\1/' | sort -u
}

# "-x --long" pairs that COMMON OPTIONS documents (=item B<-x>, B<--long> ...).
common=$(sed -n '/^=head1 COMMON OPTIONS/,/^=head1 /p' "$MAN" |
    sed -n 's/^=item B<\(-[a-zA-Z]\)>, B<\(--[a-z0-9-]*\)>.*/\1 \2/p' | sort -u)
like_common() { # like_common PAIRS NAME
    missing=$(printf '%s\n' "$1" | grep -v '^$' | while read -r pair; do
        printf '%s\n' "$common" | grep -qx -- "$pair" || echo "$pair"
    done)
    is "$missing" "" "$2"
}
is "$(printf '%s\n' "$common" | grep -c .)" 8 "COMMON OPTIONS documents 8 short options"

check_verb() { # check_verb NAME MAN-ARGS -- HELP-ARGS
    name=$1
    shift
    manargs=$1
    shift
    got=$(help_longs "$@")
    pairs=$(help_pairs "$@")
    want=$(man_longs "$pairs" $manargs)
    [ -n "$got" ]
    ok $? "$name: --help lists options"
    [ -n "$want" ]
    ok $? "$name: igvmkit(1) has a synopsis"
    if [ "$got" != "$want" ]; then
        echo "# only in --help: $(printf '%s\n' "$got" | grep -vxF -- "$want" | tr '\n' ' ')"
        echo "# only in igvmkit(1): $(printf '%s\n' "$want" | grep -vxF -- "$got" | tr '\n' ' ')"
    fi
    is "$got" "$want" "$name: --help and igvmkit(1) name the same options"
    like_common "$pairs" "$name: its short options are the COMMON OPTIONS ones"
    # A short option in the synopsis is one the verb takes.
    extra=$(man_shorts $manargs | while read -r s; do
        printf '%s\n' "$pairs" | grep -q -- "^$s " || echo "$s"
    done)
    is "$extra" "" "$name: the synopsis uses only short options the verb takes"
    "$IGVMKIT" "$@" --help | grep -q '^Exit status:$'
    ok $? "$name: --help lists the exit status"
}

for v in $verbs; do
    check_verb "$v" "$v" "$v"
done
check_verb "measure (sev-snp-measure form)" "measure compat" measure --mode snp

done_testing
