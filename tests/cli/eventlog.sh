# igvmkit eventlog: the real GCE event log (tests/data/evidence/tdx), text
# and JSON, the CCEL table, and malformed logs: one line naming the byte,
# exit 3, nothing on stdout.
. "$top_srcdir/tests/cli/lib.sh"

[ "$PYTHON3" != false ] || skip_all "python3 not found"
EV=$TESTDATA/evidence/tdx
LOG=$EV/gce-cos113-ccel-log.dat
RTMR0=3fa2f61f395b7f5feefb4ec2df61297f109ad8abcd6410c1b7df60f21f37b19297fc35e544039c7e1edece752afd17f6
RTMR1=f62dbc072bd5d3f3438b7b35c39a727f5aea2ffc2473f43723953f530daf62504f0a7944aa62c41a86e8a878c2b122c1
RTMR2=4969684dc87381fc3b3134176c8d8806eaf0a901859f5f70cfae8d17714b46c10a8de219048c9fc09f11f381a6fbe7c1

run "$IGVMKIT" eventlog "$LOG"
is "$rc" 0 "GCE log: exit 0"
is "$(head -1 "$TMP/out")" "$LOG: 43 events in 18101 bytes" "header line"
is "$(grep -c '^ *[0-9]* RTMR' "$TMP/out")" 43 "43 event lines"
like "$TMP/out" "^  0 RTMR0 EV_EFI_HANDOFF_TABLES2 458994daa60deac8dea19dba79748f6ff93fd0aebb8e3e0be5a65eb12309d342c3ce31cc67af7bbd22af1a44e7d9fe21\$" "event 0: MR, type, full digest"
like "$TMP/out" "^          \"TdxTable\", 1 tables\$" "event 0 decoded"
like "$TMP/out" "^          variable 8be4df61-93ca-11d2-aa0d-00e098032b8c:SecureBoot \\(1 bytes\\) = 0\$" "SecureBoot variable decoded"
like "$TMP/out" "^          \"Fv\\(48DB5E17-707C-472D-91CD-1613E7EF51B0\\)\" at 0xffe00000, 131072 bytes\$" "firmware blob decoded"
like "$TMP/out" "^          variable 8be4df61-93ca-11d2-aa0d-00e098032b8c:BootOrder \\(4 bytes\\) = 0001 0000\$" "BootOrder decoded"
like "$TMP/out" "^          GPT disk e0c6c56e-5ef7-8e4a-ace6-3c31a7f75a29, 12 partitions: STATE, KERN-A, ROOT-A" "GPT decoded"
like "$TMP/out" "^          PE image of 924688 bytes at 0xbcb5c018 file .EFI.BOOT.BOOTX64.EFI\$" "PE image decoded"
like "$TMP/out" "^          \"ACPI DATA\"\$" "platform config flags"
like "$TMP/out" "^          \"grub_cmd: linux /syslinux/vmlinuz.A init=/usr/lib/systemd/systemd" "EV_IPL GRUB command"
like "$TMP/out" "^ 15 RTMR1 EV_SEPARATOR 394341b7" "separator line"
like "$TMP/out" "^          separator\$" "separator decoded"
like "$TMP/out" "^RTMR0 $RTMR0 \\(16 events\\)\$" "RTMR0 replayed"
like "$TMP/out" "^RTMR1 $RTMR1 \\(7 events\\)\$" "RTMR1 replayed"
like "$TMP/out" "^RTMR2 $RTMR2 \\(20 events\\)\$" "RTMR2 replayed"
like "$TMP/out" "^RTMR3 0{96} \\(0 events\\)\$" "RTMR3 empty"

run "$IGVMKIT" eventlog "$LOG" --json
is "$rc" 0 "--json: exit 0"
"$PYTHON3" - "$TMP/out" >"$TMP/j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
e = d["events"]
print(d["length"], len(e), d["algorithms"], e[41]["mr"], e[41]["type_name"], e[41]["offset"],
      e[41]["data"], [r["events"] for r in d["rtmr"]], d["rtmr"][1]["value"][:8])
PY
is "$(cat "$TMP/j")" "18101 43 [{'id': 12, 'size': 48}] RTMR1 EV_EFI_ACTION 17900 \"Exit Boot Services Invocation\" [16, 7, 20, 0] f62dbc07" "--json: events, offsets, decodings, registers"

# The CCEL table states the log area's length.
"$PYTHON3" -c 'import sys; b=open(sys.argv[1],"rb").read(); open(sys.argv[2],"wb").write(b+b"\xff"*(262144-len(b)))' "$LOG" "$TMP/area.dat"
run "$IGVMKIT" eventlog "$TMP/area.dat" --ccel-table "$EV/gce-cos113-ccel-table.dat"
is "$rc:$(head -1 "$TMP/out")" "0:$TMP/area.dat: 43 events in 18101 bytes" "whole CCEL area with its table"
"$PYTHON3" -c 'import sys; b=bytearray(open(sys.argv[1],"rb").read()); b[9]^=1; open(sys.argv[2],"wb").write(b)' "$EV/gce-cos113-ccel-table.dat" "$TMP/table.dat"
run "$IGVMKIT" eventlog "$TMP/area.dat" --ccel-table "$TMP/table.dat"
is "$rc:$(cat "$TMP/err")" "3:igvmkit: error: $TMP/table.dat: CCEL table checksum is wrong (sum 0xff)" "bad CCEL checksum: exit 3"
run "$IGVMKIT" eventlog "$LOG" --ccel-table "$LOG"
is "$rc:$(cat "$TMP/err")" "3:igvmkit: error: $LOG: not an ACPI CCEL table (signature \"CCEL\", 56 bytes; this has 18101 bytes)" "not a CCEL table: exit 3"

# Malformed logs: one line with the byte offset, exit 3, nothing printed.
# mutate OUT EXPR: the GCE log changed by a Python expression on b (bytearray).
mutate() {
    "$PYTHON3" -c "import struct,sys; b=bytearray(open(sys.argv[1],'rb').read()); $2; open(sys.argv[2],'wb').write(b)" "$LOG" "$1"
}
bad() { # bad FILE MESSAGE NAME
    run "$IGVMKIT" eventlog "$1"
    is "$rc:$(cat "$TMP/err")" "3:igvmkit: error: $1: $2" "$3: exit 3, message"
    is "$(wc -c <"$TMP/out")" 0 "$3: nothing on stdout"
}
mutate "$TMP/t1.dat" "b=b[:17980]"
bad "$TMP/t1.dat" "event log byte 17962: event data of 29 bytes runs past the end of the log (14 bytes left)" "truncated mid-record"
mutate "$TMP/t2.dat" "b=b[:17920]"
bad "$TMP/t2.dat" "event log byte 17912: digest 0 of 48 bytes runs past the end of the log" "truncated in a digest"
mutate "$TMP/t3.dat" "struct.pack_into('<I', b, 17900 + 8, 2)"
bad "$TMP/t3.dat" "event log byte 17908: digest count 2: the spec ID event lists 1 algorithms" "digest count above the algorithms"
mutate "$TMP/t4.dat" "struct.pack_into('<I', b, 17900 + 62, 0xfffffff0)"
bad "$TMP/t4.dat" "event log byte 17962: event data of 4294967280 bytes runs past the end of the log (135 bytes left)" "event size past the end"
mutate "$TMP/t5.dat" "struct.pack_into('<H', b, 17900 + 12, 0x0b)"
bad "$TMP/t5.dat" "event log byte 17912: unknown digest algorithm 0x000b (not in the spec ID event)" "unknown algorithm"
mutate "$TMP/t6.dat" "struct.pack_into('<I', b, 17900, 5)"
bad "$TMP/t6.dat" "event log byte 17900: MR index 5 is above 4 (0 MRTD, 1..4 RTMR0..3)" "MR index 5"
mutate "$TMP/t7.dat" "b=b[65:]"
bad "$TMP/t7.dat" "event log byte 0: the spec ID event is missing: the log does not begin with an EV_NO_ACTION \"Spec ID Event03\" record" "spec ID event missing"
mutate "$TMP/t8.dat" "struct.pack_into('<H', b, 32 + 28 + 2, 32)"
bad "$TMP/t8.dat" "event log byte 62: SHA-384 digest size is 32, not 48" "SHA-384 size in the spec ID event"
run "$IGVMKIT" eventlog "$TMP/none.dat"
is "$rc" 6 "missing file: exit 6"
run "$IGVMKIT" eventlog
is "$rc" 2 "no file: usage, exit 2"

done_testing
