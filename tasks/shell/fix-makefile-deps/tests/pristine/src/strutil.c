#include <stdio.h>
#include <string.h>

#include "strutil.h"

void join_ints(char *out, size_t size, const int *values, int count)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < count && used < size; i++) {
        int n = snprintf(out + used, size - used, "%s%d", i ? SEP : "", values[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}
