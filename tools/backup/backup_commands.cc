// cairn-backup create, list, verify and prune.
#include <chrono>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "tools/backup/backup_store.h"
#include "tools/backup/cli.h"
#include "tools/backup/server_snapshot.h"
#include "tools/backup/source_db.h"
#include "tools/backup/subcommands.h"

namespace cairn {

const char kCreateHelp[] =
    "Usage: cairn-backup create --server HOST:PORT [--password P] --to BACKUP_DIR\n"
    "       cairn-backup create --data-dir DIR --to BACKUP_DIR\n"
    "\n"
    "Adds a point-in-time consistent backup to BACKUP_DIR (created if missing).\n"
    "\n"
    "  --server HOST:PORT  back up a running cairn-server online: the server is asked to SAVE\n"
    "                      (one atomic checkpoint; writes go on meanwhile), and that checkpoint\n"
    "                      is read from its dir. Must run on the server's host, as a user who\n"
    "                      can read the server's dir.\n"
    "  --password P        AUTH password for --server.\n"
    "  --data-dir DIR      back up a stopped server whose dir is DIR (the database is DIR/db).\n"
    "                      Refused while a server runs on DIR.\n"
    "  --to BACKUP_DIR     the backup directory. Backups are incremental: table files already\n"
    "                      in BACKUP_DIR are not copied again.\n"
    "\n"
    "Prints the new backup's id, key count and what was copied. Progress goes to stderr.\n"
    "Exit codes: 0 backup created, 1 failure, 2 usage error.\n";

const char kListHelp[] =
    "Usage: cairn-backup list --from BACKUP_DIR\n"
    "\n"
    "Prints one line per backup: id, creation time (UTC), total size, files and key count.\n"
    "Exit codes: 0 ok, 1 failure (e.g. not a backup directory), 2 usage error.\n";

const char kVerifyHelp[] =
    "Usage: cairn-backup verify --from BACKUP_DIR [--id N]\n"
    "\n"
    "Re-reads every file of backup N (default: every backup) and checks its size and\n"
    "checksum. Prints one line per backup.\n"
    "Exit codes: 0 all checked backups are intact, 1 a backup is damaged or cannot be read,\n"
    "2 usage error.\n";

const char kPruneHelp[] =
    "Usage: cairn-backup prune --from BACKUP_DIR --keep N\n"
    "\n"
    "Deletes all but the newest N backups, and the files only they used.\n"
    "Exit codes: 0 ok, 1 failure, 2 usage error.\n";

namespace {

using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

std::string FormatTime(int64_t unix_seconds) {
  std::time_t time = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&time, &tm);
  std::ostringstream out;
  out << std::put_time(&tm, "%Y-%m-%d %H:%M:%S");
  return out.str();
}

// Validates create's options and finds the database to read: a private copy of a fresh
// server checkpoint, or a stopped server's DIR/db held locked.
int PrepareSource(const CommandLine& line, std::unique_ptr<PrivateCopy>* copy,
                  std::unique_ptr<DbDirLock>* lock, std::string* db_dir) {
  bool online = line.Has("server");
  if (online == line.Has("data-dir")) {
    return Fail("create", kExitUsage, "give exactly one of --server and --data-dir");
  }
  if (!online) {
    if (line.Has("password")) return Fail("create", kExitUsage, "--password needs --server");
    *db_dir = line.Get("data-dir") + "/db";
    Status s = DbDirLock::Acquire(*db_dir, lock);
    if (s.ok()) return kExitOk;
    return Fail("create", kExitFailure, s.ToString() + ", or back it up online with --server");
  }
  ServerAddress address;
  if (!ParseServerAddress(line.Get("server"), &address)) {
    return Fail("create", kExitUsage, "--server needs HOST:PORT, got '" + line.Get("server") + "'");
  }
  address.password = line.Get("password");
  Progress("create", "asking " + line.Get("server") + " for a checkpoint (SAVE)");
  Status s = SnapshotServer(address, copy);
  if (!s.ok()) return Fail("create", kExitFailure, s.ToString());
  *db_dir = (*copy)->path();
  return kExitOk;
}

}  // namespace

int RunCreate(const std::vector<std::string>& args) {
  CommandLine line;
  std::string error;
  if (!line.Parse(args, {"server", "password", "data-dir", "to"}, {}, &error)) {
    return Fail("create", kExitUsage, error);
  }
  if (line.help()) return ShowHelp(kCreateHelp);
  if (!RequireOptions(line, {"to"}, &error)) return Fail("create", kExitUsage, error);
  Clock::time_point start = Clock::now();
  std::unique_ptr<PrivateCopy> copy;
  std::unique_ptr<DbDirLock> lock;
  std::string db_dir;
  int code = PrepareSource(line, &copy, &lock, &db_dir);
  if (code != kExitOk) return code;

  std::unique_ptr<SourceDb> source;
  Status s = SourceDb::Open(db_dir, &source);
  int64_t keys = 0;
  if (s.ok()) s = source->CountKeys(&keys);
  std::unique_ptr<BackupStore> store;
  if (s.ok()) s = BackupStore::Open(line.Get("to"), /*create=*/true, &store);
  if (!s.ok()) return Fail("create", kExitFailure, s.ToString());

  Progress("create", "backing up " + std::to_string(keys) + " keys into " + line.Get("to"));
  uint64_t ticks = 0;
  auto progress = [&ticks] {
    // BackupEngine calls back every callback_trigger_interval_size (4 MiB) copied.
    if (++ticks % 16 == 0) Progress("create", "copied " + HumanBytes(ticks << 22));
  };
  CreateResult result;
  s = store->Create(source->db(), keys, progress, &result);
  if (!s.ok()) return Fail("create", kExitFailure, s.ToString());
  BackupSummary summary;
  for (const BackupSummary& backup : store->List()) {
    if (backup.id == result.id) summary = backup;
  }
  std::cout << "backup " << result.id << " created: " << keys << " keys, " << summary.files
            << " files (" << summary.size << " bytes), " << result.new_files
            << " new files copied (" << result.new_bytes << " bytes), " << std::fixed
            << std::setprecision(3) << SecondsSince(start) << " s\n";
  return kExitOk;
}

int RunList(const std::vector<std::string>& args) {
  CommandLine line;
  std::string error;
  if (!line.Parse(args, {"from"}, {}, &error)) return Fail("list", kExitUsage, error);
  if (line.help()) return ShowHelp(kListHelp);
  if (!RequireOptions(line, {"from"}, &error)) return Fail("list", kExitUsage, error);
  std::unique_ptr<BackupStore> store;
  Status s = BackupStore::Open(line.Get("from"), /*create=*/false, &store);
  if (!s.ok()) return Fail("list", kExitFailure, s.ToString());
  std::cout << std::left << std::setw(6) << "ID" << std::setw(22) << "CREATED (UTC)"
            << std::setw(16) << "SIZE" << std::setw(8) << "FILES"
            << "KEYS\n";
  for (const BackupSummary& backup : store->List()) {
    std::cout << std::setw(6) << backup.id << std::setw(22) << FormatTime(backup.timestamp)
              << std::setw(16) << backup.size << std::setw(8) << backup.files
              << (backup.keys < 0 ? std::string("-") : std::to_string(backup.keys)) << "\n";
  }
  return kExitOk;
}

int RunVerify(const std::vector<std::string>& args) {
  CommandLine line;
  std::string error;
  if (!line.Parse(args, {"from", "id"}, {}, &error)) return Fail("verify", kExitUsage, error);
  if (line.help()) return ShowHelp(kVerifyHelp);
  if (!RequireOptions(line, {"from"}, &error)) return Fail("verify", kExitUsage, error);
  uint64_t id = 0;
  if (line.Has("id") && (!line.GetUint("id", &id, &error) || id == 0 || id > UINT32_MAX)) {
    return Fail("verify", kExitUsage, error.empty() ? "--id must be a backup id" : error);
  }
  std::unique_ptr<BackupStore> store;
  Status s = BackupStore::Open(line.Get("from"), /*create=*/false, &store);
  std::vector<uint32_t> ids;
  if (s.ok() && id != 0) {
    uint32_t resolved = 0;
    s = store->Resolve(static_cast<uint32_t>(id), &resolved);
    ids.push_back(resolved);
  } else if (s.ok()) {
    for (const BackupSummary& backup : store->List()) ids.push_back(backup.id);
  }
  if (!s.ok()) return Fail("verify", kExitFailure, s.ToString());
  int damaged = 0;
  for (uint32_t backup : ids) {
    Progress("verify", "checking backup " + std::to_string(backup));
    Status check = store->Verify(backup);
    std::cout << "backup " << backup << ": " << (check.ok() ? "ok" : "DAMAGED: " + check.ToString())
              << "\n";
    if (!check.ok()) damaged++;
  }
  if (damaged > 0) {
    return Fail("verify", kExitFailure, std::to_string(damaged) + " damaged backup(s)");
  }
  return kExitOk;
}

int RunPrune(const std::vector<std::string>& args) {
  CommandLine line;
  std::string error;
  if (!line.Parse(args, {"from", "keep"}, {}, &error)) return Fail("prune", kExitUsage, error);
  if (line.help()) return ShowHelp(kPruneHelp);
  uint64_t keep = 0;
  if (!RequireOptions(line, {"from", "keep"}, &error) || !line.GetUint("keep", &keep, &error)) {
    return Fail("prune", kExitUsage, error);
  }
  if (keep > UINT32_MAX) return Fail("prune", kExitUsage, "--keep is too large");
  std::unique_ptr<BackupStore> store;
  Status s = BackupStore::Open(line.Get("from"), /*create=*/false, &store);
  size_t before = s.ok() ? store->List().size() : 0;
  if (s.ok()) s = store->Prune(static_cast<uint32_t>(keep));
  if (!s.ok()) return Fail("prune", kExitFailure, s.ToString());
  size_t after = store->List().size();
  std::cout << "kept " << after << " backup(s), deleted " << before - after << "\n";
  return kExitOk;
}

}  // namespace cairn
