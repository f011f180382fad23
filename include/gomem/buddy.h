/* SPDX-License-Identifier: GPL-2.0 */
/* gomem: buddy API (see gomem.h).  Placeholder until its issue lands. */
#ifndef _GOMEM_BUDDY_H
#define _GOMEM_BUDDY_H

#include <linux/types.h>

#endif /* _GOMEM_BUDDY_H */
