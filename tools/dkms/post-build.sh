#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# DKMS POST_BUILD (dkms.conf), run in the build directory: keep gomem's
# Module.symvers, which DKMS deletes with the build directory, in DEST
# (DKMS's directory of this build, which it deletes on `dkms remove`).
# Consumer modules point KBUILD_EXTRA_SYMBOLS at DEST/Module.symvers.
#
#   post-build.sh DEST
set -euo pipefail

[ $# -eq 1 ] || { echo "usage: post-build.sh DEST" >&2; exit 1; }
install -D -m 0644 Module.symvers "$1/Module.symvers"
echo "gomem: Module.symvers kept as $1/Module.symvers"
