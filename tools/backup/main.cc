// cairn-backup: the operator's tool for backups, restores and RDB migration. main() picks
// the subcommand; each subcommand parses its own options.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "tools/backup/cli.h"
#include "tools/backup/rdb_commands.h"
#include "tools/backup/subcommands.h"

namespace cairn {

namespace {

const Subcommand kSubcommands[] = {
    {"create", "add a consistent backup of a running or stopped server", kCreateHelp, RunCreate},
    {"list", "list the backups in a backup directory", kListHelp, RunList},
    {"verify", "check every file of one or all backups against its checksum", kVerifyHelp,
     RunVerify},
    {"restore", "restore a backup into a server's data directory", kRestoreHelp, RunRestore},
    {"prune", "delete all but the newest N backups", kPruneHelp, RunPrune},
    {"export", "write a backup directory as one .tar.zst archive", kExportHelp, RunExport},
    {"import", "unpack a .tar.zst archive into a backup directory", kImportHelp, RunImport},
    {"import-rdb", "load a Redis RDB file into a data directory", kImportRdbHelp, RunImportRdb},
    {"export-rdb", "write a data directory as an RDB file for redis-server", kExportRdbHelp,
     RunExportRdb},
};

void PrintOverview(std::ostream& out) {
  out << "Usage: cairn-backup <subcommand> [options]\n"
         "       cairn-backup <subcommand> --help\n\n"
         "Subcommands:\n";
  for (const Subcommand& command : kSubcommands) {
    out << "  " << command.name << std::string(12 - std::strlen(command.name), ' ')
        << command.summary << "\n";
  }
  out << "\nExit codes (every subcommand):\n"
         "  0  success\n"
         "  1  failure: the operation failed or was refused (message on stderr)\n"
         "  2  usage error: unknown subcommand or option, missing or malformed value\n"
         "\nProgress and errors go to stderr; results go to stdout.\n";
}

}  // namespace

int ShowHelp(const char* help) {
  std::cout << help;
  return kExitOk;
}

int Main(const std::vector<std::string>& args) {
  if (args.empty()) {
    PrintOverview(std::cerr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintOverview(std::cout);
    return kExitOk;
  }
  for (const Subcommand& command : kSubcommands) {
    if (args[0] == command.name) {
      return command.run(std::vector<std::string>(args.begin() + 1, args.end()));
    }
  }
  std::cerr << "cairn-backup: unknown subcommand '" << args[0] << "'\n"
            << "Run 'cairn-backup --help' for the list of subcommands.\n";
  return kExitUsage;
}

}  // namespace cairn

int main(int argc, char** argv) {
  return cairn::Main(std::vector<std::string>(argv + 1, argv + argc));
}
