// SPDX-License-Identifier: GPL-2.0
/* gomem reader: placeholder until its issue lands. */
