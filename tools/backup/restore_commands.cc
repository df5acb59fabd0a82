// cairn-backup restore, export and import.
#include <stdlib.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <iomanip>
#include <iostream>

#include "tools/backup/archive.h"
#include "tools/backup/backup_store.h"
#include "tools/backup/cli.h"
#include "tools/backup/source_db.h"
#include "tools/backup/subcommands.h"

namespace cairn {

const char kRestoreHelp[] =
    "Usage: cairn-backup restore --from BACKUP_DIR [--id N] --to DATA_DIR [--force]\n"
    "\n"
    "Restores backup N (default: the newest) into DATA_DIR/db, the database of a server\n"
    "started with --dir DATA_DIR. Nothing else in DATA_DIR is touched.\n"
    "\n"
    "  --force  replace a non-empty DATA_DIR/db (otherwise the restore is refused).\n"
    "\n"
    "A DATA_DIR in use by a running server is always refused. The backup is restored into a\n"
    "temporary directory first and moved into place only when it is complete.\n"
    "Exit codes: 0 restored, 1 failure or refused, 2 usage error.\n";

const char kExportHelp[] =
    "Usage: cairn-backup export --from BACKUP_DIR --to FILE.tar.zst [--force]\n"
    "\n"
    "Writes the whole backup directory as one zstd-compressed tar archive, for shipping\n"
    "off-site. An existing FILE is refused unless --force.\n"
    "Exit codes: 0 ok, 1 failure, 2 usage error.\n";

const char kImportHelp[] =
    "Usage: cairn-backup import --from FILE.tar.zst --to BACKUP_DIR\n"
    "\n"
    "Unpacks an archive made by export into BACKUP_DIR, which must be missing or empty. The\n"
    "archive's checksums are checked; run verify afterwards to check every backup file.\n"
    "Exit codes: 0 ok, 1 failure (e.g. a damaged archive), 2 usage error.\n";

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Restores into a temporary directory beside `db_dir`, then swaps it in.
Status RestoreInPlace(BackupStore* store, uint32_t id, const std::string& data_dir,
                      const std::string& db_dir) {
  std::error_code ec;
  fs::create_directories(data_dir, ec);
  std::string temp = data_dir + "/.cairn-restore-XXXXXX";
  if (::mkdtemp(temp.data()) == nullptr) {
    return Status::IOError("cannot create a directory in " + data_dir + ": " +
                           std::strerror(errno));
  }
  Status s = store->Restore(id, temp);
  if (s.ok()) {
    fs::remove_all(db_dir, ec);
    if (!ec) fs::rename(temp, db_dir, ec);
    if (ec)
      s = Status::IOError("cannot move the restored database to " + db_dir + ": " + ec.message());
  }
  if (!s.ok()) fs::remove_all(temp, ec);
  return s;
}

}  // namespace

int RunRestore(const std::vector<std::string>& args) {
  CommandLine line;
  std::string error;
  if (!line.Parse(args, {"from", "to", "id"}, {"force"}, &error)) {
    return Fail("restore", kExitUsage, error);
  }
  if (line.help()) return ShowHelp(kRestoreHelp);
  if (!RequireOptions(line, {"from", "to"}, &error)) return Fail("restore", kExitUsage, error);
  uint64_t id = 0;
  if (line.Has("id") && (!line.GetUint("id", &id, &error) || id == 0 || id > UINT32_MAX)) {
    return Fail("restore", kExitUsage, error.empty() ? "--id must be a backup id" : error);
  }
  Clock::time_point start = Clock::now();
  std::string data_dir = line.Get("to");
  std::string db_dir = data_dir + "/db";
  // Held until the end, so no server starts on the directory while it is replaced.
  std::unique_ptr<DbDirLock> lock;
  Status s = DbDirLock::Acquire(db_dir, &lock);
  if (!s.ok()) return Fail("restore", kExitFailure, s.ToString());
  if (!IsMissingOrEmpty(db_dir) && !line.Has("force")) {
    return Fail("restore", kExitFailure,
                db_dir + " is not empty; refusing to overwrite it (use --force to replace it)");
  }
  std::unique_ptr<BackupStore> store;
  s = BackupStore::Open(line.Get("from"), /*create=*/false, &store);
  uint32_t resolved = 0;
  if (s.ok()) s = store->Resolve(static_cast<uint32_t>(id), &resolved);
  if (!s.ok()) return Fail("restore", kExitFailure, s.ToString());
  BackupSummary summary;
  for (const BackupSummary& backup : store->List()) {
    if (backup.id == resolved) summary = backup;
  }
  Progress("restore", "restoring backup " + std::to_string(resolved) + " (" +
                          HumanBytes(summary.size) + ") into " + db_dir);
  s = RestoreInPlace(store.get(), resolved, data_dir, db_dir);
  if (!s.ok()) return Fail("restore", kExitFailure, s.ToString());
  std::cout << "restored backup " << resolved << " into " << db_dir << ": " << summary.keys
            << " keys, " << summary.files << " files (" << summary.size << " bytes), " << std::fixed
            << std::setprecision(3) << SecondsSince(start) << " s\n";
  return kExitOk;
}

int RunExport(const std::vector<std::string>& args) {
  CommandLine line;
  std::string error;
  if (!line.Parse(args, {"from", "to"}, {"force"}, &error)) {
    return Fail("export", kExitUsage, error);
  }
  if (line.help()) return ShowHelp(kExportHelp);
  if (!RequireOptions(line, {"from", "to"}, &error)) return Fail("export", kExitUsage, error);
  std::error_code ec;
  if (fs::exists(line.Get("to"), ec) && !line.Has("force")) {
    return Fail("export", kExitFailure, line.Get("to") + " exists (use --force to replace it)");
  }
  std::unique_ptr<BackupStore> store;
  Status s = BackupStore::Open(line.Get("from"), /*create=*/false, &store);
  if (!s.ok()) return Fail("export", kExitFailure, s.ToString());
  store.reset();
  Clock::time_point start = Clock::now();
  ArchiveStats stats;
  uint64_t reported = 0;
  auto progress = [&reported](const ArchiveStats& now) {
    if (now.bytes - reported < (uint64_t{256} << 20)) return;
    reported = now.bytes;
    Progress("export",
             "archived " + std::to_string(now.files) + " files, " + HumanBytes(now.bytes));
  };
  s = ExportArchive(line.Get("from"), line.Get("to"), progress, &stats);
  if (!s.ok()) return Fail("export", kExitFailure, s.ToString());
  std::cout << "exported " << stats.files << " files (" << stats.bytes << " bytes) to "
            << line.Get("to") << " (" << stats.archive_bytes << " bytes), " << std::fixed
            << std::setprecision(3) << SecondsSince(start) << " s\n";
  return kExitOk;
}

int RunImport(const std::vector<std::string>& args) {
  CommandLine line;
  std::string error;
  if (!line.Parse(args, {"from", "to"}, {}, &error)) return Fail("import", kExitUsage, error);
  if (line.help()) return ShowHelp(kImportHelp);
  if (!RequireOptions(line, {"from", "to"}, &error)) return Fail("import", kExitUsage, error);
  if (!IsMissingOrEmpty(line.Get("to"))) {
    return Fail("import", kExitFailure, line.Get("to") + " is not empty; refusing to import");
  }
  Clock::time_point start = Clock::now();
  ArchiveStats stats;
  uint64_t reported = 0;
  auto progress = [&reported](const ArchiveStats& now) {
    if (now.bytes - reported < (uint64_t{256} << 20)) return;
    reported = now.bytes;
    Progress("import",
             "unpacked " + std::to_string(now.files) + " files, " + HumanBytes(now.bytes));
  };
  Status s = ImportArchive(line.Get("from"), line.Get("to"), progress, &stats);
  std::unique_ptr<BackupStore> store;
  if (s.ok()) s = BackupStore::Open(line.Get("to"), /*create=*/false, &store);
  if (!s.ok()) return Fail("import", kExitFailure, s.ToString());
  std::cout << "imported " << stats.files << " files (" << stats.bytes << " bytes), "
            << store->List().size() << " backup(s) into " << line.Get("to") << ", " << std::fixed
            << std::setprecision(3) << SecondsSince(start) << " s\n";
  return kExitOk;
}

}  // namespace cairn
