/* SPDX-License-Identifier: GPL-2.0 */
/* gomem: reader API (see gomem.h).  Placeholder until its issue lands. */
#ifndef _GOMEM_READER_H
#define _GOMEM_READER_H

#include <linux/types.h>

#endif /* _GOMEM_READER_H */
