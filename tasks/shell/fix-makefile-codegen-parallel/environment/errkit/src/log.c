#include <stdio.h>
#include "log.h"
#include "version.h"

void log_banner(void)
{
    printf("%s %s\n", LOG_PREFIX, APP_VERSION);
}
