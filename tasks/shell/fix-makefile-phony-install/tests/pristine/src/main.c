#include <stdio.h>
#include <string.h>
#include "count.h"

#ifndef VERSION
#error "VERSION must be defined on the compiler command line"
#endif

int main(int argc, char **argv)
{
    struct counts c;
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("wc2 %s\n", VERSION);
        return 0;
    }
    count_stream(stdin, &c);
    printf("%ld %ld %ld %ld\n", c.lines, c.words, c.bytes, c.longest);
    return 0;
}
