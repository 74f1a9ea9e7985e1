#!/bin/bash
set -euo pipefail
cd /app/wc2
cat > Makefile <<'MK'
# Build, test and install wc2.
CC      = gcc
VERSION = 1.4.2
CFLAGS  = -O2 -Wall -DVERSION=\"$(VERSION)\"
PREFIX  = /usr/local
DESTDIR =
OBJS    = src/main.o src/count.o

.PHONY: all test install clean

all: wc2

wc2: $(OBJS)
	$(CC) $(CFLAGS) -o wc2 $(OBJS)

src/%.o: src/%.c src/count.h
	$(CC) $(CFLAGS) -c $< -o $@

test: wc2
	@status=0; \
	for f in test/*.in; do \
		if ./wc2 < "$$f" | diff -u "$${f%.in}.out" -; then echo "PASS $$f"; \
		else echo "FAIL $$f"; status=1; fi; \
	done; \
	exit $$status

install: wc2
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 wc2 $(DESTDIR)$(PREFIX)/bin/wc2
	install -m 644 wc2.1 $(DESTDIR)$(PREFIX)/share/man/man1/wc2.1

clean:
	rm -f wc2 $(OBJS)
MK
make clean
make
make test
