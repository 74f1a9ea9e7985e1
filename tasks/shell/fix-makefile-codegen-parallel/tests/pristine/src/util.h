#ifndef UTIL_H
#define UTIL_H
#include "errors.h"

#define LIST_LIMIT 100
int parse_code(const char *text, int *code);
#endif
