// SPDX-License-Identifier: GPL-2.0
/* A small JSON writer (streaming, indented) and reader (a value tree). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

void gbj_init(struct gbj_writer *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
	w->first[0] = true;
}

static void put_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\r': fputs("\\r", f); break;
		case '\t': fputs("\\t", f); break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

/* Separator, indentation and key before a value at the current depth. */
static void lead(struct gbj_writer *w, const char *key)
{
	if (!w->first[w->depth])
		fputc(',', w->f);
	if (w->depth)
		fputc('\n', w->f);
	w->first[w->depth] = false;
	for (int i = 0; i < w->depth; i++)
		fputs("  ", w->f);
	if (key) {
		put_string(w->f, key);
		fputs(": ", w->f);
	}
}

static void open_(struct gbj_writer *w, const char *key, char c)
{
	lead(w, key);
	fputc(c, w->f);
	if (w->depth + 1 < GBJ_MAX_DEPTH)
		w->depth++;
	w->first[w->depth] = true;
}

static void close_(struct gbj_writer *w, char c)
{
	bool empty = w->first[w->depth];

	if (w->depth)
		w->depth--;
	if (!empty) {
		fputc('\n', w->f);
		for (int i = 0; i < w->depth; i++)
			fputs("  ", w->f);
	}
	fputc(c, w->f);
	if (!w->depth)
		fputc('\n', w->f);
}

void gbj_obj_open(struct gbj_writer *w, const char *key) { open_(w, key, '{'); }
void gbj_obj_close(struct gbj_writer *w) { close_(w, '}'); }
void gbj_arr_open(struct gbj_writer *w, const char *key) { open_(w, key, '['); }
void gbj_arr_close(struct gbj_writer *w) { close_(w, ']'); }

void gbj_str(struct gbj_writer *w, const char *key, const char *val)
{
	lead(w, key);
	if (val)
		put_string(w->f, val);
	else
		fputs("null", w->f);
}

void gbj_u64(struct gbj_writer *w, const char *key, uint64_t val)
{
	lead(w, key);
	fprintf(w->f, "%" PRIu64, val);
}

void gbj_i64(struct gbj_writer *w, const char *key, int64_t val)
{
	lead(w, key);
	fprintf(w->f, "%" PRId64, val);
}

void gbj_num(struct gbj_writer *w, const char *key, double val)
{
	lead(w, key);
	if (isfinite(val))
		fprintf(w->f, "%.17g", val);
	else
		fputs("null", w->f);
}

void gbj_bool(struct gbj_writer *w, const char *key, bool val)
{
	lead(w, key);
	fputs(val ? "true" : "false", w->f);
}

void gbj_null(struct gbj_writer *w, const char *key)
{
	lead(w, key);
	fputs("null", w->f);
}

/* ---- reader ---- */

struct parser {
	const char *s, *p;
	char *err;
	size_t errlen;
	int depth;
};

static int perr(struct parser *ps, const char *what)
{
	if (ps->err && !ps->err[0])
		snprintf(ps->err, ps->errlen, "JSON: %s at byte %zu", what,
			 (size_t)(ps->p - ps->s));
	return -1;
}

static void skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' ||
	       *ps->p == '\t')
		ps->p++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static void put_utf8(char *out, size_t *o, unsigned int cp)
{
	if (cp < 0x80) {
		out[(*o)++] = (char)cp;
	} else if (cp < 0x800) {
		out[(*o)++] = (char)(0xc0 | (cp >> 6));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	} else {
		out[(*o)++] = (char)(0xe0 | (cp >> 12));
		out[(*o)++] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[(*o)++] = (char)(0x80 | (cp & 0x3f));
	}
}

static int parse_string(struct parser *ps, char **out)
{
	const char *start = ++ps->p;
	size_t o = 0;
	char *buf;

	while (*ps->p && *ps->p != '"')
		ps->p += (*ps->p == '\\' && ps->p[1]) ? 2 : 1;
	if (*ps->p != '"')
		return perr(ps, "unterminated string");
	buf = malloc((size_t)(ps->p - start) + 1);
	if (!buf)
		return perr(ps, "out of memory");
	for (const char *q = start; q < ps->p; q++) {
		if (*q != '\\') {
			buf[o++] = *q;
			continue;
		}
		q++;
		switch (*q) {
		case 'n': buf[o++] = '\n'; break;
		case 't': buf[o++] = '\t'; break;
		case 'r': buf[o++] = '\r'; break;
		case 'b': buf[o++] = '\b'; break;
		case 'f': buf[o++] = '\f'; break;
		case 'u': {
			unsigned int cp = 0;

			for (int i = 1; i <= 4; i++) {
				int h = q + i < ps->p ? hexval(q[i]) : -1;

				if (h < 0) {
					free(buf);
					return perr(ps, "bad \\u escape");
				}
				cp = cp << 4 | (unsigned int)h;
			}
			put_utf8(buf, &o, cp);
			q += 4;
			break;
		}
		default: buf[o++] = *q; break;
		}
	}
	buf[o] = 0;
	ps->p++;
	*out = buf;
	return 0;
}

static int parse_value(struct parser *ps, struct gbj_val *v);

static int push(struct gbj_val *v, size_t *cap)
{
	if (v->n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 8;
	v->items = realloc(v->items, *cap * sizeof(*v->items));
	if (v->type == GBJ_OBJ)
		v->keys = realloc(v->keys, *cap * sizeof(*v->keys));
	return v->items && (v->type != GBJ_OBJ || v->keys) ? 0 : -1;
}

static int parse_container(struct parser *ps, struct gbj_val *v, bool obj)
{
	char close = obj ? '}' : ']';
	size_t cap = 0;

	if (++ps->depth > 512)
		return perr(ps, "nesting too deep");
	v->type = obj ? GBJ_OBJ : GBJ_ARR;
	ps->p++;
	skip_ws(ps);
	if (*ps->p == close) {
		ps->p++;
		ps->depth--;
		return 0;
	}
	for (;;) {
		char *key = NULL;

		skip_ws(ps);
		if (obj) {
			if (*ps->p != '"')
				return perr(ps, "expected a key");
			if (parse_string(ps, &key))
				return -1;
			skip_ws(ps);
			if (*ps->p != ':') {
				free(key);
				return perr(ps, "expected ':'");
			}
			ps->p++;
		}
		if (push(v, &cap)) {
			free(key);
			return perr(ps, "out of memory");
		}
		memset(&v->items[v->n], 0, sizeof(v->items[0]));
		if (obj)
			v->keys[v->n] = key;
		v->n++;
		if (parse_value(ps, &v->items[v->n - 1]))
			return -1;
		skip_ws(ps);
		if (*ps->p == ',') {
			ps->p++;
			continue;
		}
		if (*ps->p == close) {
			ps->p++;
			ps->depth--;
			return 0;
		}
		return perr(ps, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int parse_value(struct parser *ps, struct gbj_val *v)
{
	char *end;

	skip_ws(ps);
	switch (*ps->p) {
	case '{':
		return parse_container(ps, v, true);
	case '[':
		return parse_container(ps, v, false);
	case '"':
		v->type = GBJ_STR;
		return parse_string(ps, &v->str);
	case 't':
		if (strncmp(ps->p, "true", 4))
			return perr(ps, "bad literal");
		v->type = GBJ_BOOL;
		v->b = true;
		ps->p += 4;
		return 0;
	case 'f':
		if (strncmp(ps->p, "false", 5))
			return perr(ps, "bad literal");
		v->type = GBJ_BOOL;
		ps->p += 5;
		return 0;
	case 'n':
		if (strncmp(ps->p, "null", 4))
			return perr(ps, "bad literal");
		v->type = GBJ_NULL;
		ps->p += 4;
		return 0;
	}
	if (*ps->p != '-' && (*ps->p < '0' || *ps->p > '9'))
		return perr(ps, "unexpected character");
	v->type = GBJ_NUM;
	v->num = strtod(ps->p, &end);
	if (end == ps->p)
		return perr(ps, "bad number");
	ps->p = end;
	return 0;
}

static void free_inner(struct gbj_val *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free_inner(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
}

void gbj_free(struct gbj_val *v)
{
	if (!v)
		return;
	free_inner(v);
	free(v);
}

struct gbj_val *gbj_parse(const char *text, char *err, size_t errlen)
{
	struct parser ps = { text, text, err, errlen, 0 };
	struct gbj_val *v = calloc(1, sizeof(*v));

	if (err && errlen)
		err[0] = 0;
	if (!v)
		return NULL;
	if (parse_value(&ps, v)) {
		gbj_free(v);
		return NULL;
	}
	skip_ws(&ps);
	if (*ps.p) {
		perr(&ps, "trailing characters");
		gbj_free(v);
		return NULL;
	}
	return v;
}

const struct gbj_val *gbj_get(const struct gbj_val *obj, const char *key)
{
	if (!obj || obj->type != GBJ_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (!strcmp(obj->keys[i], key))
			return &obj->items[i];
	return NULL;
}

const struct gbj_val *gbj_at(const struct gbj_val *arr, size_t i)
{
	if (!arr || arr->type != GBJ_ARR || i >= arr->n)
		return NULL;
	return &arr->items[i];
}

double gbj_get_num(const struct gbj_val *obj, const char *key, double dflt)
{
	const struct gbj_val *v = gbj_get(obj, key);

	return v && v->type == GBJ_NUM ? v->num : dflt;
}

const char *gbj_get_str(const struct gbj_val *obj, const char *key)
{
	const struct gbj_val *v = gbj_get(obj, key);

	return v && v->type == GBJ_STR ? v->str : NULL;
}
