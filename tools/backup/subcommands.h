// The cairn-backup subcommands: each takes the words after its name and returns the exit
// code; each has a --help text.
#pragma once

#include <string>
#include <vector>

namespace cairn {

struct Subcommand {
  const char* name;
  const char* summary;  // one line for the overview
  const char* help;     // full --help text
  int (*run)(const std::vector<std::string>& args);
};

// In backup_commands.cc: create, list, verify, prune.
int RunCreate(const std::vector<std::string>& args);
int RunList(const std::vector<std::string>& args);
int RunVerify(const std::vector<std::string>& args);
int RunPrune(const std::vector<std::string>& args);
extern const char kCreateHelp[];
extern const char kListHelp[];
extern const char kVerifyHelp[];
extern const char kPruneHelp[];

// In restore_commands.cc: restore, export, import.
int RunRestore(const std::vector<std::string>& args);
int RunExport(const std::vector<std::string>& args);
int RunImport(const std::vector<std::string>& args);
extern const char kRestoreHelp[];
extern const char kExportHelp[];
extern const char kImportHelp[];

// Shared by the handlers: prints `help` and returns kExitOk, or reports a usage error.
int ShowHelp(const char* help);

}  // namespace cairn
