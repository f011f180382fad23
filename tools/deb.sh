#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# `make deb`: the Debian package gomem-dkms (dh-dkms), built from a copy of
# the DKMS source tree and debian/ under out/deb/, with debian/changelog
# written from VERSION (the one version string).  Prints the .deb's path.
# Needs debhelper, dh-dkms and dpkg-dev.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
ver=$(cat "$top/VERSION")
out=${GOMEM_OUT:-$top/out}/deb
src=$out/gomem-$ver

rm -rf "$out"
mkdir -p "$src"
make -s -C "$top" dkms-src DESTDIR="$src/stage" >/dev/null
cp -r "$src/stage/usr/src/gomem-$ver/." "$src/"
rm -rf "$src/stage"
cp -r "$top/debian" "$src/"
cat > "$src/debian/changelog" <<CHANGELOG
gomem ($ver) unstable; urgency=medium

  * gomem $ver (VERSION).

 -- gomem developers <gomem@invalid>  $(date -R)
CHANGELOG
(cd "$src" && dpkg-buildpackage -b -us -uc) >"$out/build.log" 2>&1 || {
	cat "$out/build.log" >&2
	echo "error: dpkg-buildpackage failed; see $out/build.log" >&2
	exit 1
}
deb=$out/gomem-dkms_${ver}_all.deb
[ -e "$deb" ] || { echo "error: no $deb" >&2; exit 1; }
echo "$deb"
