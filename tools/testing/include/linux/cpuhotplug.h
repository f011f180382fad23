/* SPDX-License-Identifier: GPL-2.0 */
/* Userspace shim: see gomem_kshim.h. */
#include <linux/gomem_kshim.h>
