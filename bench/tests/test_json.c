// SPDX-License-Identifier: GPL-2.0
/* Host unit tests: the JSON writer's output parses back to what was written. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "../json.h"

static char *write_sample(void)
{
	struct gbj_writer w;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	gbj_init(&w, f);
	gbj_obj_open(&w, NULL);
	gbj_str(&w, "name", "quote\" back\\ nl\n tab\t ctl\x01 é");
	gbj_u64(&w, "big", 18446744073709551615ULL);
	gbj_i64(&w, "neg", -42);
	gbj_num(&w, "pi", 3.25);
	gbj_num(&w, "nan", NAN);
	gbj_bool(&w, "yes", true);
	gbj_null(&w, "nothing");
	gbj_str(&w, "nullstr", NULL);
	gbj_arr_open(&w, "list");
	gbj_u64(&w, NULL, 1);
	gbj_u64(&w, NULL, 2);
	gbj_obj_open(&w, NULL);
	gbj_str(&w, "k", "v");
	gbj_obj_close(&w);
	gbj_arr_close(&w);
	gbj_arr_open(&w, "empty");
	gbj_arr_close(&w);
	gbj_obj_open(&w, "emptyobj");
	gbj_obj_close(&w);
	gbj_obj_close(&w);
	fclose(f);
	return buf;
}

TEST(round_trip)
{
	char err[128];
	char *text = write_sample();
	struct gbj_val *v = gbj_parse(text, err, sizeof(err));
	const struct gbj_val *list;

	ASSERT_NE(NULL, v) TH_LOG("%s\n%s", err, text);
	EXPECT_EQ(GBJ_OBJ, v->type);
	EXPECT_STREQ("quote\" back\\ nl\n tab\t ctl\x01 é", gbj_get_str(v, "name"));
	EXPECT_EQ(18446744073709551615.0, gbj_get_num(v, "big", 0));
	EXPECT_EQ(-42, gbj_get_num(v, "neg", 0));
	EXPECT_EQ(3.25, gbj_get_num(v, "pi", 0));
	EXPECT_EQ(GBJ_NULL, gbj_get(v, "nan")->type);
	EXPECT_EQ(GBJ_BOOL, gbj_get(v, "yes")->type);
	EXPECT_TRUE(gbj_get(v, "yes")->b);
	EXPECT_EQ(GBJ_NULL, gbj_get(v, "nothing")->type);
	EXPECT_EQ(GBJ_NULL, gbj_get(v, "nullstr")->type);
	list = gbj_get(v, "list");
	ASSERT_NE(NULL, list);
	ASSERT_EQ(3, list->n);
	EXPECT_EQ(2, gbj_at(list, 1)->num);
	EXPECT_STREQ("v", gbj_get_str(gbj_at(list, 2), "k"));
	EXPECT_EQ(NULL, gbj_at(list, 3));
	EXPECT_EQ(0, gbj_get(v, "empty")->n);
	EXPECT_EQ(GBJ_OBJ, gbj_get(v, "emptyobj")->type);
	EXPECT_EQ(NULL, gbj_get(v, "missing"));
	EXPECT_EQ(7, gbj_get_num(v, "missing", 7));
	gbj_free(v);
	free(text);
}

TEST(unicode_escape)
{
	struct gbj_val *v = gbj_parse("[\"\\u00e9\\u0041\"]", NULL, 0);

	ASSERT_NE(NULL, v);
	EXPECT_STREQ("éA", gbj_at(v, 0)->str);
	gbj_free(v);
}

TEST(errors_name_the_offset)
{
	static const char *const bad[] = {
		"{\"a\": 1,}", "[1 2]", "{\"a\" 1}", "\"open", "tru", "{} x",
		"", "[", "{\"a\": -}", "[\"\\u12G4\"]",
	};
	char err[128];

	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		EXPECT_EQ(NULL, gbj_parse(bad[i], err, sizeof(err)))
			TH_LOG("'%s' was accepted", bad[i]);
		EXPECT_NE(NULL, strstr(err, "at byte"))
			TH_LOG("'%s': message '%s'", bad[i], err);
	}
}

TEST_HARNESS_MAIN
