// SPDX-License-Identifier: GPL-2.0
/*
 * compare as JSON (docs/results.md): what gupbench plot and CI read.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../json.h"
#include "output.h"

static void json_scalar(struct gbj_writer *w, const char *key,
			const struct gbj_val *v)
{
	if (!v || v->type == GBJ_NULL)
		gbj_null(w, key);
	else if (v->type == GBJ_BOOL)
		gbj_bool(w, key, v->b);
	else if (v->type == GBJ_NUM)
		gbj_num(w, key, v->num);
	else if (v->type == GBJ_STR)
		gbj_str(w, key, v->str);
}

static void json_side(struct gbj_writer *w, const char *key,
		      const struct gb_rset *s)
{
	gbj_obj_open(w, key);
	gbj_str(w, "path", s->path);
	gbj_u64(w, "runs", s->nruns);
	json_scalar(w, "kernel_release", gbj_get(s->meta, "kernel_release"));
	json_scalar(w, "tool_version", gbj_get(s->meta, "tool_version"));
	json_scalar(w, "date_utc", gbj_get(s->meta, "date_utc"));
	json_scalar(w, "command_line", gbj_get(s->meta, "command_line"));
	gbj_obj_close(w);
}

static void json_case_side(struct gbj_writer *w, const char *key,
			   const struct gb_rcase *c, double per_page)
{
	gbj_obj_open(w, key);
	gbj_num(w, "per_page_ns", per_page);
	gbj_u64(w, "runs", c->nruns);
	gbj_arr_open(w, "get_ns_total");
	for (size_t i = 0; i < c->nv; i++)
		gbj_num(w, NULL, c->v[i]);
	gbj_arr_close(w);
	gbj_obj_close(w);
}

static void json_unmatched(struct gbj_writer *w, const char *key,
			   const struct gb_rcase *const *v, size_t n)
{
	gbj_arr_open(w, key);
	for (size_t i = 0; i < n; i++) {
		gbj_obj_open(w, NULL);
		gbj_str(w, "label", v[i]->label);
		gbj_str(w, "key", v[i]->key);
		gbj_obj_close(w);
	}
	gbj_arr_close(w);
}

/* What the interval was computed over. */
static const char *unit_name(const struct gb_cmp_opts *o,
			     const struct gb_cmp_row *r)
{
	if (o->method == GB_CMP_HL)
		return r->per_run ? "run medians" : "repeats";
	return r->a->nruns > 1 || r->b->nruns > 1 ? "runs and repeats" : "repeats";
}

void cmp_print_json(FILE *f, const struct gb_cmp *cmp)
{
	const struct gb_cmp_opts *o = &cmp->o;
	struct gbj_writer w;

	gbj_init(&w, f);
	gbj_obj_open(&w, NULL);
	json_side(&w, "a", cmp->a);
	json_side(&w, "b", cmp->b);
	gbj_str(&w, "method", o->method == GB_CMP_BOOTSTRAP ? "bootstrap" : "hl");
	gbj_num(&w, "confidence", o->confidence);
	gbj_num(&w, "threshold", o->threshold);
	gbj_u64(&w, "seed", o->seed);
	gbj_u64(&w, "resamples", o->resamples);
	gbj_arr_open(&w, "warnings");
	for (size_t i = 0; i < cmp->nwarn; i++)
		gbj_str(&w, NULL, cmp->warnings[i]);
	gbj_arr_close(&w);
	gbj_arr_open(&w, "cases");
	for (size_t i = 0; i < cmp->nrows; i++) {
		const struct gb_cmp_row *r = &cmp->rows[i];

		gbj_obj_open(&w, NULL);
		gbj_str(&w, "label", r->a->label);
		gbj_str(&w, "key", r->a->key);
		gbj_obj_open(&w, "params");
		for (int p = 0; gb_case_params[p]; p++)
			if (gbj_get(r->a->res, gb_case_params[p]))
				json_scalar(&w, gb_case_params[p],
					    gbj_get(r->a->res, gb_case_params[p]));
		gbj_obj_close(&w);
		json_case_side(&w, "a", r->a, r->a_ns);
		json_case_side(&w, "b", r->b, r->b_ns);
		gbj_num(&w, "ratio", r->ratio.est);
		gbj_num(&w, "ci_low", r->ratio.lo);
		gbj_num(&w, "ci_high", r->ratio.hi);
		gbj_num(&w, "hl_ratio", r->hl_ratio);
		gbj_str(&w, "unit", unit_name(o, r));
		gbj_str(&w, "verdict", gb_verdict_name(r->verdict));
		gbj_bool(&w, "regression", r->verdict == GB_SLOWER);
		if (isfinite(r->mde))
			gbj_num(&w, "mde", r->mde);
		else
			gbj_null(&w, "mde");
		gbj_str(&w, "why", r->why);
		gbj_num(&w, "p_slower", r->p_slower);
		gbj_obj_close(&w);
	}
	gbj_arr_close(&w);
	json_unmatched(&w, "only_in_a", cmp->only_a, cmp->nonly_a);
	json_unmatched(&w, "only_in_b", cmp->only_b, cmp->nonly_b);
	gbj_obj_open(&w, "summary");
	gbj_u64(&w, "matched", cmp->nrows);
	gbj_u64(&w, "slower", cmp->nslower);
	gbj_u64(&w, "faster", cmp->nfaster);
	gbj_u64(&w, "equivalent", cmp->nequiv);
	gbj_u64(&w, "inconclusive", cmp->ninconclusive);
	gbj_num(&w, "expected_false_slower", cmp->expected_false);
	gbj_u64(&w, "only_in_a", cmp->nonly_a);
	gbj_u64(&w, "only_in_b", cmp->nonly_b);
	gbj_obj_close(&w);
	gbj_obj_close(&w);
	fputc('\n', f);
}
