#include <stdio.h>
#include <stdlib.h>

#include "mathx.h"
#include "strutil.h"

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s A B\n", argv[0]);
        return 2;
    }
    int a = atoi(argv[1]);
    int b = atoi(argv[2]);
    int values[3] = { scaled_sum(a, b), clamp(a - b, 0, 100), SCALE };
    char line[128];
    join_ints(line, sizeof line, values, 3);
    printf("%s\n", line);
    return 0;
}
