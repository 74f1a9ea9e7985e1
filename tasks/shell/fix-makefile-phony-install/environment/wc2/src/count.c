#include <ctype.h>
#include "count.h"

void count_stream(FILE *in, struct counts *c)
{
    int ch, in_word = 0;
    long line_len = 0;
    c->lines = c->words = c->bytes = c->longest = 0;
    while ((ch = getc(in)) != EOF) {
        c->bytes++;
        if (ch == '\n') {
            c->lines++;
            if (line_len > c->longest)
                c->longest = line_len;
            line_len = 0;
        } else {
            line_len++;
        }
        if (isspace(ch)) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            c->words++;
        }
    }
    if (line_len > c->longest)
        c->longest = line_len;
}
