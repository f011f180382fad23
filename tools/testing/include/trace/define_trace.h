/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <trace/define_trace.h>: nothing to define. */
