// The RDB migration subcommands of cairn-backup: import-rdb loads a Redis RDB file into a
// Cairn data directory, export-rdb writes a Cairn data directory as an RDB file that
// redis-server 7.0 loads. Both return the process exit code.
#pragma once

#include <string>
#include <vector>

namespace cairn {

// args are the words after the subcommand name (e.g. {"--rdb", "dump.rdb", "--to", "dir"}).
int RunImportRdb(const std::vector<std::string>& args);
int RunExportRdb(const std::vector<std::string>& args);
// One-paragraph --help texts, shown by `cairn-backup import-rdb --help` and in the overview.
extern const char kImportRdbHelp[];
extern const char kExportRdbHelp[];

}  // namespace cairn
