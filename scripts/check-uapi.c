// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled by make check with the uapi header force-included, as C11 and
 * as C++: the header must stand alone, and its structs must keep the sizes
 * their newest VER constants publish (the ABI's size rules depend on them).
 */
#ifdef __cplusplus
#define GB_ASSERT static_assert
#else
#define GB_ASSERT _Static_assert
#endif

GB_ASSERT(sizeof(struct gupbench_run) == GUPBENCH_RUN_SIZE_VER3,
	  "struct gupbench_run size");
GB_ASSERT(sizeof(struct gupbench_caps) == GUPBENCH_CAPS_SIZE_VER2,
	  "struct gupbench_caps size");
GB_ASSERT(sizeof(struct gupbench_content) == GUPBENCH_CONTENT_SIZE_VER1,
	  "struct gupbench_content size");
GB_ASSERT(sizeof(struct gupbench_sample) == 24, "struct gupbench_sample size");
GB_ASSERT(GUPBENCH_API_COUNT == 9, "every API has an enum value");
GB_ASSERT((GUPBENCH_F_ALL & GUPBENCH_F_FOLL_MASK) == GUPBENCH_F_FOLL_MASK,
	  "FOLL bits are part of the known flags");

int gb_check_uapi(void);
int gb_check_uapi(void)
{
	return gupbench_pattern_word(1, 8) != gupbench_hash_step(0, 0);
}
