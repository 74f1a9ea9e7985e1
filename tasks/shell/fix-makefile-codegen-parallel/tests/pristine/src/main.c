#include <stdio.h>
#include "util.h"
#include "log.h"
#include "version.h"

int main(int argc, char **argv)
{
    log_banner();
    printf("codes: %d (limit %d)\n", ERR_COUNT, LIST_LIMIT);
    for (int i = 1; i < argc; i++) {
        int code;
        if (parse_code(argv[i], &code) != E_OK) {
            printf("%s: not a number\n", argv[i]);
            continue;
        }
        printf("%d %s: %s\n", code, err_name(code), err_message(code));
    }
    return 0;
}
