#ifndef STRUTIL_H
#define STRUTIL_H

#include <stddef.h>

#define SEP ":"

void join_ints(char *out, size_t size, const int *values, int count);

#endif
