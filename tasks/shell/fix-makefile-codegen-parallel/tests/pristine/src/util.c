#include <stdlib.h>
#include "util.h"

int parse_code(const char *text, int *code)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*text == '\0' || *end != '\0')
        return E_IO;
    *code = (int)v;
    return E_OK;
}
