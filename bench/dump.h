/* SPDX-License-Identifier: GPL-2.0 */
/* `gupbench dump`: dump_page() of chosen pages GUP returned (dump.c). */
#ifndef GB_DUMP_H
#define GB_DUMP_H

/* The whole command; argv[0] is "dump".  Returns the exit status. */
int gb_cmd_dump(int argc, char **argv);

#endif
