#!/bin/bash
set -euo pipefail
cd /app
jq -R -c 'fromjson? // empty
  | select(.kind == "job_finished" and .result.status == "failed" and .pipeline.branch == "main")
  | {id, time: (.ts | todate), pipeline: .pipeline.id, job: .job.name,
     duration_s: .result.duration_s, exit_code: (.result.exit_code // null),
     flaky: ((.tags // []) | index(["flaky"]) != null)}' data/events.jsonl > failures.jsonl
jq -R -r '. as $l | input_line_number as $n
  | select(($l | test("\\S")) and (($l | try fromjson catch "BAD") == "BAD")) | $n' \
  data/events.jsonl > bad_lines.txt
wc -l failures.jsonl bad_lines.txt
