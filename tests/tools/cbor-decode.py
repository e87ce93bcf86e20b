#!/usr/bin/env python3
# cbor-decode.py FILE: decodes one CBOR document with cbor2 (an independent
# decoder, Debian package python3-cbor2) and prints it as JSON so shell tests
# can check fields: byte strings become lower-case hex, a tag becomes
# {"tag": N, "value": ...}, and the byte string inside a CoMID tag (506) is
# decoded too.  Exit status 3 when the input is not in RFC 8949 core
# deterministic encoding (re-encoding it canonically gives other bytes) or
# has trailing bytes.
import json
import sys

import cbor2


def plain(v):
    if isinstance(v, cbor2.CBORTag):
        inner = v.value
        if v.tag == 506 and isinstance(inner, bytes):
            inner = cbor2.loads(inner)
        return {"tag": v.tag, "value": plain(inner)}
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).hex()
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        # JSON keys are strings; keep the CBOR key's type visible.
        return {("%d" % k if isinstance(k, int) else "s:" + k): plain(x) for k, x in v.items()}
    return v


def main():
    data = open(sys.argv[1], "rb").read()
    value = cbor2.loads(data)
    if cbor2.dumps(value, canonical=True) != data:
        print("cbor-decode.py: not in deterministic encoding", file=sys.stderr)
        return 3
    # CoMIDs are byte strings: check their own encoding as well.
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, cbor2.CBORTag):
            if v.tag == 506 and isinstance(v.value, bytes):
                if cbor2.dumps(cbor2.loads(v.value), canonical=True) != v.value:
                    print("cbor-decode.py: CoMID not in deterministic encoding", file=sys.stderr)
                    return 3
            stack.append(v.value)
        elif isinstance(v, list):
            stack.extend(v)
        elif isinstance(v, dict):
            stack.extend(v.values())
    json.dump(plain(value), sys.stdout, sort_keys=True)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
