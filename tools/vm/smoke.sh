#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Smoke run in Debian's stock kernel: build gomem.ko against its headers,
# boot it under qemu, load gomem, check its debugfs files, unload, and
# judge the log (no splat, no taint beyond out-of-tree + unsigned).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

kver=$(need_stock_kernel)
src=$("$GOMEM_TOP/tools/vm/build-module.sh" "/usr/src/linux-headers-$kver" \
	"$GOMEM_OUT/stock-$kver")
DEBUGFS_FILES=${DEBUGFS_FILES:-"stats pools bench"} \
	"$GOMEM_TOP/tools/vm/vm.sh" "/boot/vmlinuz-$kver" smoke \
	"$GOMEM_OUT/smoke" "$src/gomem.ko" "$src/examples/gomem_pipe/gomem_pipe.ko"
