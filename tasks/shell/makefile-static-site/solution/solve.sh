#!/bin/bash
set -euo pipefail
cd /app/site
cat > Makefile <<'MK'
PAGES  := $(wildcard pages/*.md)
HTML   := $(patsubst pages/%.md,out/%.html,$(PAGES))
STATIC := $(patsubst static/%,out/static/%,$(wildcard static/*))

.PHONY: all clean
all: $(HTML) out/index.html $(STATIC)

out/%.html: pages/%.md templates/page.html templates/nav.html tools/render.py | out
	python3 tools/render.py templates/page.html $< $@

out/index.html: $(PAGES) tools/index.py | out
	python3 tools/index.py $@ $(PAGES)

out/static/%: static/% | out/static
	cp $< $@

out out/static:
	mkdir -p $@

clean:
	rm -rf out
MK
make -j8
make | grep -q 'Nothing to be done'
