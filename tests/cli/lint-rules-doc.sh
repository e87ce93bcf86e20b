#!/bin/sh
# Every lint rule id in the sources (lint/*.c, igvm/policy.c) has an entry
# in igvmkit(1), and every documented id exists in the sources.
. "$top_srcdir/tests/cli/lib.sh"

ids=$(cat "$top_srcdir"/lint/*.c "$top_srcdir/igvm/policy.c" |
    grep -o '"\(qemu\|ch\|openvmm\|snp-policy\|tdx-policy\)-[a-z0-9-]*"' | tr -d '"' | sort -u)
documented=$(grep -o '^=item C<[a-z0-9-]*>' "$top_srcdir/man/igvmkit.1.pod" |
    sed 's/^=item C<\(.*\)>$/\1/' | grep -E '^(qemu|ch|openvmm|snp-policy|tdx-policy)-' | sort -u)
is "$(echo "$ids" | wc -l | tr -d ' ')" 37 "37 rule ids in the sources"
is "$documented" "$ids" "igvmkit(1) documents exactly the rule ids of the sources"
done_testing
