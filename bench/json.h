/* SPDX-License-Identifier: GPL-2.0 */
/* A small JSON writer (streaming, indented) and reader (a value tree). */
#ifndef GB_JSON_H
#define GB_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define GBJ_MAX_DEPTH 32

struct gbj_writer {
	FILE *f;
	int depth;
	bool first[GBJ_MAX_DEPTH];
};

/* key is NULL inside arrays and for the top-level value. */
void gbj_init(struct gbj_writer *w, FILE *f);
void gbj_obj_open(struct gbj_writer *w, const char *key);
void gbj_obj_close(struct gbj_writer *w);
void gbj_arr_open(struct gbj_writer *w, const char *key);
void gbj_arr_close(struct gbj_writer *w);
void gbj_str(struct gbj_writer *w, const char *key, const char *val);
void gbj_u64(struct gbj_writer *w, const char *key, uint64_t val);
void gbj_i64(struct gbj_writer *w, const char *key, int64_t val);
/* NaN and infinities are written as null. */
void gbj_num(struct gbj_writer *w, const char *key, double val);
void gbj_bool(struct gbj_writer *w, const char *key, bool val);
void gbj_null(struct gbj_writer *w, const char *key);

enum gbj_type { GBJ_NULL, GBJ_BOOL, GBJ_NUM, GBJ_STR, GBJ_ARR, GBJ_OBJ };

struct gbj_val {
	enum gbj_type type;
	bool b;
	double num;
	char *str;
	size_t n;			/* items in an array or object */
	struct gbj_val *items;
	char **keys;			/* object keys, parallel to items */
};

/* Returns NULL with a message naming the byte offset on bad input. */
struct gbj_val *gbj_parse(const char *text, char *err, size_t errlen);
void gbj_free(struct gbj_val *v);
const struct gbj_val *gbj_get(const struct gbj_val *obj, const char *key);
const struct gbj_val *gbj_at(const struct gbj_val *arr, size_t i);
/* Shorthands with a fallback when the member is missing or mistyped. */
double gbj_get_num(const struct gbj_val *obj, const char *key, double dflt);
const char *gbj_get_str(const struct gbj_val *obj, const char *key);

#endif
