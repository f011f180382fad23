/* SPDX-License-Identifier: GPL-2.0 */
/* gomem: pool API (see gomem.h).  Placeholder until its issue lands. */
#ifndef _GOMEM_POOL_H
#define _GOMEM_POOL_H

#include <linux/types.h>

#endif /* _GOMEM_POOL_H */
