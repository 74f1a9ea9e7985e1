"""Repository tasks (``RepoEnv``): real code at a base commit, graded by its own tests on a
pristine copy. See :mod:`toolgym.repo.prepare` (templates), :mod:`toolgym.repo.grade`
(tamper-proof grading), :mod:`toolgym.repo.importer` (SWE-bench) and
:mod:`toolgym.repo.generate` (planted bugs)."""
