#!/bin/bash
set -euo pipefail
cd /app/errkit
cat > Makefile <<'MK'
CC       = gcc
CFLAGS   = -O2 -Wall -Igen -Isrc
DEPFLAGS = -MMD -MP
OBJS     = build/main.o build/util.o build/log.o build/errors.o
GEN_HDRS = gen/errors.h gen/version.h

.PHONY: all clean
all: build/errkit

build/errkit: $(OBJS)
	$(CC) -o $@ $(OBJS)

# Generated headers must exist before anything is compiled (order-only); the real
# header dependencies come from the .d files written by -MMD.
build/%.o: src/%.c | build $(GEN_HDRS)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

build/errors.o: gen/errors.c | build $(GEN_HDRS)
	$(CC) $(CFLAGS) $(DEPFLAGS) -c $< -o $@

# One generator run produces both files (grouped target, GNU make >= 4.3).
gen/errors.h gen/errors.c &: errors.def tools/generr.sh | gen
	sh tools/generr.sh errors.def gen

gen/version.h: VERSION tools/mkversion.sh | gen
	sh tools/mkversion.sh VERSION gen/version.h

build gen:
	mkdir -p $@

clean:
	rm -rf build gen

-include $(OBJS:.o=.d)
MK
make clean
make -j8
build/errkit 13 2
