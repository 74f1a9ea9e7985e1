#!/bin/bash
set -euo pipefail
cd /app/calc
cat > Makefile <<'MK'
# Builds build/calc from the C sources in src/ (objects go to build/).
CC = gcc
CFLAGS = -O2 -Wall
SRCS = $(wildcard src/*.c)
OBJS = $(patsubst src/%.c,build/%.o,$(SRCS))
DEPS = $(OBJS:.o=.d)

.PHONY: all clean

all: build/calc

build/calc: $(OBJS)
	$(CC) $(CFLAGS) -o $@ $^

# -MMD -MP writes build/<name>.d listing the headers each object depends on.
build/%.o: src/%.c | build
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

build:
	mkdir -p build

clean:
	rm -rf build

-include $(DEPS)
MK
make -j4
./build/calc 7 5
