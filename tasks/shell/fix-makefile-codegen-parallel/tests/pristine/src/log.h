#ifndef LOG_H
#define LOG_H
#define LOG_PREFIX "errkit"
void log_banner(void);
#endif
