/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: see slab.h. */
#include <linux/slab.h>
