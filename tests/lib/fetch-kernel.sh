#!/bin/sh
# fetch-kernel.sh DIR
#
# Puts Debian 12's linux-image-6.1.0-56-amd64 (6.1.192-2) kernel at
# DIR/vmlinuz-6.1.0-56-amd64 and prints that path.  The package is fetched
# with apt-get download (Debian's archive is the only network the tests use)
# and unpacked, never installed; a kernel already in DIR is reused.  The
# reference RTMR values in tests/data/REFERENCE.md were computed for exactly
# this file, so its SHA-256 is checked.
#
# Exit status: 0 ok, 77 (automake "skip") when the package cannot be fetched.
set -eu

dir=$1
pkg=linux-image-6.1.0-56-amd64
want=26f2e57c99338feaf71c46fa4babdc7e1a6c115943002d109fdb746667104f5f
kernel=$dir/vmlinuz-6.1.0-56-amd64

have_kernel() {
    [ -f "$kernel" ] && [ "$(sha256sum "$kernel" | cut -d' ' -f1)" = "$want" ]
}

mkdir -p "$dir"
if ! have_kernel; then
    work=$(mktemp -d "$dir/fetch.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    if ! (cd "$work" && apt-get download "$pkg" >/dev/null 2>&1); then
        echo "fetch-kernel.sh: cannot download $pkg (run apt-get update?)" >&2
        exit 77
    fi
    dpkg-deb -x "$work"/"$pkg"_*.deb "$work/root"
    # Several tests may fetch at once into an empty cache: copy to a private
    # name in the same directory, then rename (atomic, last writer wins with
    # identical bytes).
    cp "$work/root/boot/vmlinuz-6.1.0-56-amd64" "$work/vmlinuz"
    mv "$work/vmlinuz" "$kernel"
fi
if ! have_kernel; then
    echo "fetch-kernel.sh: $kernel does not have the expected SHA-256" >&2
    exit 1
fi
echo "$kernel"
