// SPDX-License-Identifier: GPL-2.0
/* gomem treap: placeholder until its issue lands. */
