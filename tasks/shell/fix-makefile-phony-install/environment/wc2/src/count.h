#ifndef COUNT_H
#define COUNT_H
#include <stdio.h>

struct counts {
    long lines, words, bytes, longest;
};

void count_stream(FILE *in, struct counts *c);
#endif
