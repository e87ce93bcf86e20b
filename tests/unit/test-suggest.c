/* SPDX-License-Identifier: MIT */
/*
 * igk_edit_distance and igk_closest_name (igvm/suggest.c): the typos "did
 * you mean" must catch, and the words it must not answer.
 */
#include <stdint.h>

#include "tap.h"
#include "util.h"

static const char *const verbs[] = {"inspect", "extract", "measure", "explain", "pack",
                                    "sign",    "export",  "verify",  "lint",    "launch",
                                    "eventlog"};

static const char *closest(const char *word)
{
    return igk_closest_name(word, verbs, sizeof(verbs) / sizeof(verbs[0]));
}

int main(void)
{
    is_int((long long)igk_edit_distance("", ""), 0, "empty to empty");
    is_int((long long)igk_edit_distance("abc", ""), 3, "delete three");
    is_int((long long)igk_edit_distance("", "vcpus"), 5, "insert five");
    is_int((long long)igk_edit_distance("vcpus", "vcpus"), 0, "same word");
    is_int((long long)igk_edit_distance("vcpu", "vcpus"), 1, "one letter missing");
    is_int((long long)igk_edit_distance("mesaure", "measure"), 1, "two letters swapped");
    is_int((long long)igk_edit_distance("kitten", "sitting"), 3, "kitten -> sitting");
    is_int((long long)igk_edit_distance("ca", "abc"), 3, "restricted: no edit inside a swap");
    char long_word[80];
    for (int i = 0; i < 79; i++)
        long_word[i] = 'a';
    long_word[79] = 0;
    ok(igk_edit_distance(long_word, "a") == SIZE_MAX, "words over 64 bytes are not compared");

    is_str(closest("mesaure"), "measure", "swap -> measure");
    is_str(closest("inpsect"), "inspect", "swap -> inspect");
    is_str(closest("pakc"), "pack", "short word, one swap -> pack");
    is_str(closest("verfy"), "verify", "letter dropped -> verify");
    is_str(closest("event-log"), "eventlog", "letter added -> eventlog");
    ok(closest("xyz") == NULL, "nothing close to xyz");
    ok(closest("pk") == NULL, "two edits from a four-letter word is too far");
    ok(closest("") == NULL, "empty word suggests nothing");
    const char *with_null[] = {NULL, "policy", NULL};
    is_str(igk_closest_name("polcy", with_null, 3), "policy", "NULL entries skipped");
    return tap_done();
}
