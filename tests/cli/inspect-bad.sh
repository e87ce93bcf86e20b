#!/bin/sh
# igvmkit inspect on bad input (issue 2's list): exact one-line error naming
# the file and byte offset, the documented exit code, nothing on stdout.
. "$top_srcdir/tests/cli/lib.sh"

if [ -z "${PYTHON3:-}" ]; then PYTHON3=python3; fi
mutate() { "$PYTHON3" "$top_srcdir/tests/tools/igvm-mutate.py" "$@"; }
S=$TESTDATA/minimal_snp_v1.igvm # platform @0x18, policy @0x30, page @0x48, data @0x68

# bad NAME EXIT MESSAGE: inspect $TMP/NAME.igvm and check the outcome
bad() {
    run "$IGVMKIT" inspect "$TMP/$1.igvm"
    is "$rc" "$2" "$1: exit $2"
    is "$(cat "$TMP/err")" "igvmkit: error: $TMP/$1.igvm: $3" "$1: message"
    is "$(cat "$TMP/out")" "" "$1: nothing on stdout"
}

: >"$TMP/empty.igvm"
bad empty 3 "offset 0x0: file too short: 0 bytes, an IGVM fixed header needs 24"

mutate "$S" "$TMP/short.igvm" truncate 10
bad short 3 "offset 0x0: file too short: 10 bytes, an IGVM fixed header needs 24"

mutate "$S" "$TMP/truncated.igvm" truncate 0x100
bad truncated 3 "offset 0x10: total_file_size 0x1068 does not match the file size 0x100"

mutate "$S" "$TMP/truncated-fixed.igvm" truncate 0x60 fixsize
bad truncated-fixed 3 "offset 0xC: variable header section [0x18, 0x68) runs past the end of the file (size 0x60)"

mutate "$S" "$TMP/magic.igvm" set32 0 0x12345678
bad magic 3 'offset 0x0: bad magic 0x12345678, expected 0x4D564749 ("IGVM")'

mutate "$S" "$TMP/version.igvm" set32 4 3
bad version 3 "offset 0x4: unsupported format version 3 (must be 1 or 2)"

mutate "$S" "$TMP/total-size.igvm" set32 16 0x2000
bad total-size 3 "offset 0x10: total_file_size 0x2000 does not match the file size 0x1068"

# The policy changes but the checksum is not recomputed.
mutate "$S" "$TMP/crc.igvm" set64 0x38 0x30000
bad crc 3 "offset 0x14: checksum mismatch: header says 0x43DBE692, computed 0x3C127D01"

mutate "$S" "$TMP/var-size-overflow.igvm" set32 12 0xFFFFFFF0
bad var-size-overflow 3 "offset 0xC: variable header offset 0x18 + size 0xFFFFFFF0 overflows 32 bits"

mutate "$S" "$TMP/header-length-overflow.igvm" set32 0x34 0xFFFFFFF8 fixcrc
bad header-length-overflow 3 "offset 0x30: header #1 (GUEST_POLICY): header length 4294967288 does not match the 16-byte GUEST_POLICY structure"

mutate "$S" "$TMP/offset-past-end.igvm" set32 0x5C 0x1000 fixcrc
bad offset-past-end 3 "offset 0x48: header #2 (PAGE_DATA): page data at file offset 0x1000 (0x1000 bytes) is outside the file data section [0x68, 0x1068)"

mutate "$S" "$TMP/offset-overflow.igvm" set32 0x5C 0xFFFFF001 fixcrc
bad offset-overflow 3 "offset 0x48: header #2 (PAGE_DATA): page data at file offset 0xFFFFF001 (0x1000 bytes) is outside the file data section [0x68, 0x1068)"

mutate "$S" "$TMP/offset-in-headers.igvm" set32 0x5C 0x20 fixcrc
bad offset-in-headers 3 "offset 0x48: header #2 (PAGE_DATA): page data at file offset 0x20 (0x1000 bytes) is outside the file data section [0x68, 0x1068)"

mutate "$S" "$TMP/unknown-type.igvm" set32 0x30 0x250 fixcrc
bad unknown-type 3 "offset 0x30: header #1 (UNKNOWN): unknown header type 0x250 (outside the platform, initialization and directive ranges)"

mutate "$S" "$TMP/unknown-in-range.igvm" set32 0x30 0x1FF fixcrc
bad unknown-in-range 3 "offset 0x30: header #1 (UNKNOWN): unknown header type 0x1FF"

mutate "$S" "$TMP/optional-bit.igvm" set32 0x30 0x80000101 fixcrc
bad optional-bit 3 "offset 0x30: header #1 (UNKNOWN): header type 0x80000101 has the optional bit (0x80000000) set, which the reference parser rejects"

# snp_tdx_v1: headers #1 (platform) and #2 (policy) swap types: init, then platform.
mutate "$TESTDATA/snp_tdx_v1.igvm" "$TMP/out-of-order.igvm" set32 0x30 0x101 set32 0x48 0x001 fixcrc
bad out-of-order 3 "offset 0x48: header #2 (SUPPORTED_PLATFORM): platform header after initialization headers (order must be platform, initialization, directive)"

cp "$TESTDATA/no_file_data_v1.igvm" "$TMP/no-file-data.igvm"
bad no-file-data 3 "offset 0xC: the file data section is empty (variable headers end at the end of the file, 0x88); the reference parser requires at least one byte of file data"

mkdir "$TMP/dir.igvm"
bad dir 6 "cannot read: Is a directory"

ln -s "$TMP/missing/target" "$TMP/dangling.igvm"
bad dangling 6 "cannot open: No such file or directory"

run "$IGVMKIT" inspect "$TMP/no/such/dir/file.igvm"
is "$rc" 6 "path in a missing directory: exit 6"
is "$(cat "$TMP/err")" "igvmkit: error: $TMP/no/such/dir/file.igvm: cannot open: No such file or directory" \
    "path in a missing directory: message"

done_testing
