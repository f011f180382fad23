/* SPDX-License-Identifier: GPL-2.0 */
/* gomem: arena API (see gomem.h).  Placeholder until its issue lands. */
#ifndef _GOMEM_ARENA_H
#define _GOMEM_ARENA_H

#include <linux/types.h>

#endif /* _GOMEM_ARENA_H */
