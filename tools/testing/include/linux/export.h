/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim of <linux/export.h>: exports mean nothing in one program. */
#ifndef _SHIM_LINUX_EXPORT_H
#define _SHIM_LINUX_EXPORT_H

#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define EXPORT_SYMBOL_NS_GPL(sym, ns)

#endif
