#!/bin/bash
# This task is graded by toolgym's RepoEnv on the host ([repo] in task.toml): the agent's diff,
# minus changes to tests, is applied to a pristine checkout and the listed tests are run.
# Run on its own, this script cannot grade and awards nothing.
mkdir -p /logs/verifier && echo 0 > /logs/verifier/reward.txt
