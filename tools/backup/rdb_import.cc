// cairn-backup import-rdb: loads a Redis RDB file into a Cairn data directory. Strings, lists,
// sets, hashes and sorted sets (with their deadlines) are written in batches through
// engine/object_io; value types Cairn does not have yet (streams, module values) are parsed,
// skipped and counted per type, so nothing disappears without a word.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "encoding/rdb_format.h"
#include "engine/key_batch.h"
#include "engine/keyspace.h"
#include "engine/object_io.h"
#include "engine/storage.h"
#include "tools/backup/cli.h"
#include "tools/backup/rdb_commands.h"
#include "tools/backup/rdb_reader.h"
#include "tools/backup/rdb_storage.h"

namespace cairn {

const char kImportRdbHelp[] =
    "cairn-backup import-rdb --rdb FILE --to DATA_DIR [--force]\n"
    "  Loads a Redis RDB file (RDB versions 9-10 as written by Redis 6.x/7.0; "
    "older and\n"
    "  7.2's version 11 are read too) into the Cairn data directory DATA_DIR "
    "(the server's\n"
    "  --dir; the database goes to DATA_DIR/db). Strings, lists, sets, sorted "
    "sets and hashes\n"
    "  are imported with their deadlines, in every encoding (listpack, "
    "ziplist, quicklist,\n"
    "  intset, zipmap); keys already expired are skipped and counted. Streams "
    "and module\n"
    "  values are not supported by this Cairn version: they are skipped and "
    "counted per type\n"
    "  in the summary. The CRC64 checksum is verified. The server must be "
    "stopped.\n"
    "  --force   import into a data directory that already holds keys, "
    "deleting them first\n"
    "  Exit codes: 0 imported, 1 failed (unreadable or corrupt file, directory "
    "in use or not\n"
    "  empty), 2 usage error.\n";

namespace {

constexpr const char* kCommand = "import-rdb";
constexpr size_t kBatchKeys = 1000;
constexpr size_t kBatchBytes = size_t{32} << 20;

struct ImportTotals {
  std::map<uint64_t, uint64_t> imported_per_db;
  std::map<std::string, uint64_t> skipped_per_type;
  uint64_t imported = 0;
  uint64_t expired = 0;
  uint64_t functions = 0;
  uint64_t module_aux = 0;
  std::string redis_version;
};

// Feeds records into the storage: keys are collected into one WriteBatch per kBatchKeys keys
// (or kBatchBytes bytes), written by engine/object_io as RESTORE writes them.
class Importer {
 public:
  explicit Importer(Storage* storage) : storage_(storage), batch_(storage) {}

  Status Add(const rdb::Record& record, ImportTotals* totals);
  Status Flush();

 private:
  Status SelectDb(uint64_t db);
  Status AddKey(const rdb::Record& record, ImportTotals* totals);

  Storage* storage_;
  int db_ = 0;
  KeyBatch batch_;
  size_t pending_ = 0;
};

Status Importer::Flush() {
  if (pending_ == 0) return Status::OK();
  Status s = batch_.Commit();
  batch_ = KeyBatch(storage_);
  pending_ = 0;
  return s;
}

Status Importer::SelectDb(uint64_t db) {
  if (db >= static_cast<uint64_t>(storage_->databases())) {
    return Status::InvalidArgument("the file holds db " + std::to_string(db) + " but Cairn has " +
                                   std::to_string(storage_->databases()) + " databases");
  }
  Status s = Flush();
  db_ = static_cast<int>(db);
  return s;
}

Status Importer::AddKey(const rdb::Record& record, ImportTotals* totals) {
  if (record.expire_ms >= 0 && static_cast<uint64_t>(record.expire_ms) <= storage_->NowMs()) {
    totals->expired++;
    return Status::OK();
  }
  KeyRef ref;
  StoredKey old;
  Status s = LookupKey(*storage_, db_, record.key, &ref, &old);
  if (!s.ok()) return s;
  uint64_t expire_ms = record.expire_ms < 0 ? 0 : static_cast<uint64_t>(record.expire_ms);
  PutObject(*storage_, &batch_, ref, old, record.object, expire_ms);
  totals->imported++;
  totals->imported_per_db[db_]++;
  bool full = ++pending_ >= kBatchKeys || batch_.batch()->GetDataSize() >= kBatchBytes;
  return full ? Flush() : Status::OK();
}

Status Importer::Add(const rdb::Record& record, ImportTotals* totals) {
  switch (record.kind) {
    case rdb::Record::Kind::kSelectDb:
      return SelectDb(record.db);
    case rdb::Record::Kind::kAux:
      if (record.key == "redis-ver") totals->redis_version = record.value;
      return Status::OK();
    case rdb::Record::Kind::kFunction:
      totals->functions++;
      return Status::OK();
    case rdb::Record::Kind::kModuleAux:
      totals->module_aux++;
      return Status::OK();
    case rdb::Record::Kind::kEof:
      return Flush();
    case rdb::Record::Kind::kKey:
      break;
  }
  if (record.decoded) return AddKey(record, totals);
  std::string family(rdb::TypeFamilyName(record.type));
  if (!record.module_name.empty()) family += " of module type " + record.module_name;
  totals->skipped_per_type[family]++;
  return Status::OK();
}

std::string ProgressLine(const rdb::RdbReader& reader, uint64_t keys) {
  uint64_t size = reader.file_size() == 0 ? 1 : reader.file_size();
  return std::to_string(keys) + " keys read, " + HumanBytes(reader.offset()) + " of " +
         HumanBytes(reader.file_size()) + " (" + std::to_string(reader.offset() * 100 / size) +
         "%)";
}

// Reads every record; *error names what failed (a file problem or a storage problem).
bool ImportAll(rdb::RdbReader* reader, Importer* importer, ImportTotals* totals,
               std::string* error) {
  using Clock = std::chrono::steady_clock;
  auto next_report = Clock::now() + std::chrono::seconds(1);
  uint64_t keys = 0;
  rdb::Record record;
  for (;;) {
    if (!reader->Next(&record)) {
      *error = reader->error();
      return false;
    }
    Status s = importer->Add(record, totals);
    if (!s.ok()) {
      *error = s.ToString();
      return false;
    }
    if (record.kind == rdb::Record::Kind::kEof) return true;
    if (record.kind == rdb::Record::Kind::kKey && ++keys % 4096 == 0 &&
        Clock::now() >= next_report) {
      Progress(kCommand, ProgressLine(*reader, keys));
      next_report = Clock::now() + std::chrono::seconds(1);
    }
  }
}

void PrintSummary(const std::string& rdb_path, const rdb::RdbReader& reader,
                  const ImportTotals& totals, double seconds) {
  // CPU time next to wall time: on a busy machine the wall time says little about the tool.
  double cpu_seconds = static_cast<double>(std::clock()) / CLOCKS_PER_SEC;
  char timing[128];
  std::snprintf(timing, sizeof timing, "in %.3f s, %.3f s CPU (%.0f keys/s)", seconds, cpu_seconds,
                seconds > 0 ? static_cast<double>(totals.imported) / seconds : 0.0);
  std::cout << "imported " << totals.imported << " keys from " << rdb_path << " (RDB version "
            << reader.version() << ", redis-ver "
            << (totals.redis_version.empty() ? "unknown" : totals.redis_version) << ") " << timing
            << "\n";
  for (const auto& [db, count] : totals.imported_per_db) {
    std::cout << "  db " << db << ": " << count << " keys\n";
  }
  for (const auto& [family, count] : totals.skipped_per_type) {
    std::cout << "skipped " << count << " " << family
              << ": type not supported by this Cairn version\n";
  }
  if (totals.expired > 0) std::cout << "skipped " << totals.expired << " expired keys\n";
  if (totals.functions > 0) {
    std::cout << "skipped " << totals.functions
              << " function libraries: functions not supported by this Cairn "
                 "version\n";
  }
  if (totals.module_aux > 0) {
    std::cout << "skipped " << totals.module_aux << " module auxiliary data records\n";
  }
}

// Refuses a directory with keys unless --force, which empties it.
Status PrepareTarget(Storage* storage, bool force) {
  int64_t keys = 0;
  for (int db = 0; db < storage->databases(); ++db) keys += storage->keyspace().DbSize(db);
  if (keys == 0) return Status::OK();
  if (!force) {
    return Status::InvalidArgument("the data directory already holds " + std::to_string(keys) +
                                   " keys; use --force to delete them and import");
  }
  return storage->keyspace().FlushAll();
}

}  // namespace

int RunImportRdb(const std::vector<std::string>& args) {
  CommandLine line;
  std::string error;
  if (!line.Parse(args, {"rdb", "to"}, {"force"}, &error)) return Fail(kCommand, kExitUsage, error);
  if (line.help()) {
    std::cout << kImportRdbHelp;
    return kExitOk;
  }
  if (!RequireOptions(line, {"rdb", "to"}, &error)) return Fail(kCommand, kExitUsage, error);
  auto started = std::chrono::steady_clock::now();
  rdb::RdbReader reader;
  if (!reader.Open(line.Get("rdb")) || !reader.VerifyChecksum()) {
    return Fail(kCommand, kExitFailure, line.Get("rdb") + ": " + reader.error());
  }
  std::string db_dir = line.Get("to") + "/db";
  std::unique_ptr<Storage> storage;
  Status s = OpenForMigration(db_dir, &storage);
  if (s.ok()) s = PrepareTarget(storage.get(), line.Has("force"));
  if (!s.ok()) return Fail(kCommand, kExitFailure, s.ToString());
  Importer importer(storage.get());
  ImportTotals totals;
  bool imported = ImportAll(&reader, &importer, &totals, &error);
  s = storage->Close();
  if (!imported || !s.ok()) {
    if (imported) error = s.ToString();
    return Fail(kCommand, kExitFailure,
                error + "; " + db_dir + " holds a partial import (re-run with --force)");
  }
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  PrintSummary(line.Get("rdb"), reader, totals, elapsed.count());
  return kExitOk;
}

}  // namespace cairn
