#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything `make demo` and `make check` need on Debian 12
# (idempotent; apt runs only when something is missing).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

need_pkgs build-essential make gcc clang libclang-rt-14-dev python3 sparse \
	qemu-system-x86 busybox-static cpio kmod gzip xz-utils \
	bc bison flex libelf-dev libssl-dev gnuplot-nox valgrind \
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
