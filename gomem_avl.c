// SPDX-License-Identifier: GPL-2.0
/* gomem avl: placeholder until its issue lands. */
