"""The shell task families."""

from __future__ import annotations

from toolgym.generate.base import Family
from toolgym.generate.shell.column_stat import ColumnStat
from toolgym.generate.shell.csv_clean import CsvClean
from toolgym.generate.shell.find_file import FindFile
from toolgym.generate.shell.git_ops import GitOps
from toolgym.generate.shell.json_extract import JsonExtract
from toolgym.generate.shell.log_count import LogCount
from toolgym.generate.shell.permissions_spec import PermissionsSpec
from toolgym.generate.shell.rename_pattern import RenamePattern
from toolgym.generate.shell.script_repair import ScriptRepair

SHELL_FAMILIES: dict[str, Family] = {
    family.name: family
    for family in (
        LogCount(),
        RenamePattern(),
        CsvClean(),
        FindFile(),
        JsonExtract(),
        ColumnStat(),
        ScriptRepair(),
        GitOps(),
        PermissionsSpec(),
    )
}
