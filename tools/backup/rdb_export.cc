// cairn-backup export-rdb: writes every key of every db of a stopped Cairn data directory (or a
// checkpoint) as an RDB version 10 file that redis-server 7.0 loads.
#include <chrono>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "encoding/metadata.h"
#include "engine/keyspace.h"
#include "engine/object_io.h"
#include "engine/storage.h"
#include "tools/backup/cli.h"
#include "tools/backup/rdb_commands.h"
#include "tools/backup/rdb_storage.h"
#include "tools/backup/rdb_writer.h"

namespace cairn {

const char kExportRdbHelp[] =
    "cairn-backup export-rdb --from DATA_DIR --to FILE\n"
    "  Writes every key of every db of a Cairn data directory as a Redis RDB "
    "file (version\n"
    "  10, as Redis 7.0 writes it, with the CRC64 footer) that redis-server "
    "7.0 loads; keys\n"
    "  keep their deadlines. DATA_DIR is a server's --dir (its database is "
    "DATA_DIR/db) or a\n"
    "  checkpoint directory (DATA_DIR/checkpoints/checkpoint-*). Strings, "
    "lists, sets, hashes\n"
    "  and sorted sets are written in the encodings Redis 7.0 uses. The "
    "server must be stopped:\n"
    "  a directory a running server holds is refused; export one of its "
    "checkpoints instead\n"
    "  (make a fresh one with SAVE). FILE is written under a temporary name "
    "and renamed\n"
    "  into place when complete.\n"
    "  Exit codes: 0 exported, 1 failed (no database, directory in use, write "
    "error),\n"
    "  2 usage error.\n";

namespace {

constexpr const char* kCommand = "export-rdb";

// The bytes a value's members hold, for the used-mem aux field.
uint64_t ValueBytes(const RdbValue& value) {
  uint64_t bytes = value.string.size();
  for (const std::string& element : value.elements) bytes += element.size();
  for (const auto& [field, text] : value.fields) bytes += field.size() + text.size();
  for (const auto& [member, score] : value.scored) bytes += member.size() + sizeof score;
  return bytes;
}

struct ExportTotals {
  uint64_t keys = 0;
  uint64_t value_bytes = 0;
  std::map<std::string, uint64_t> skipped_per_type;
};

// Writes the keys of one db; keys that expired or vanished meanwhile are left out.
Status ExportDb(Storage* storage, int db, rdb::RdbWriter* writer, ExportTotals* totals) {
  std::vector<std::string> keys;
  Status s = storage->keyspace().Keys(db, "*", &keys);
  if (!s.ok() || keys.empty()) return s;
  writer->SelectDb(db, keys.size(), storage->keyspace().ExpiresCount(db));
  RdbCompactLimits limits = CompactLimits(*storage);
  RdbValue value;
  for (const std::string& key : keys) {
    uint64_t expire_ms = 0;
    s = ReadObject(*storage, db, key, &value, &expire_ms);
    if (s.IsNotFound()) continue;
    if (s.IsInvalidArgument()) {  // a type RDB export does not cover
      ValueType type;
      s = storage->keyspace().Type(db, key, &type);
      if (!s.ok()) return s;
      totals->skipped_per_type[std::string(ValueTypeName(type))]++;
      continue;
    }
    if (!s.ok()) return s;
    writer->WriteKey(key, value, expire_ms == 0 ? -1 : static_cast<int64_t>(expire_ms), limits);
    totals->keys++;
    totals->value_bytes += key.size() + ValueBytes(value);
  }
  return Status::OK();
}

Status ExportAll(Storage* storage, rdb::RdbWriter* writer, ExportTotals* totals) {
  writer->WriteAux("redis-ver", "7.0.0");
  writer->WriteAux("redis-bits", "64");
  writer->WriteAux("ctime", std::to_string(std::time(nullptr)));
  for (int db = 0; db < storage->databases(); ++db) {
    uint64_t before = totals->keys;
    Status s = ExportDb(storage, db, writer, totals);
    if (!s.ok()) return s;
    if (totals->keys > before) {
      Progress(kCommand, "db " + std::to_string(db) + ": " + std::to_string(totals->keys - before) +
                             " keys written");
    }
  }
  // used-mem is what Redis reports as its memory use; the bytes of keys and values are the nearest
  // thing a disk-backed store has.
  writer->WriteAux("used-mem", std::to_string(totals->value_bytes));
  writer->WriteAux("aof-base", "0");
  return Status::OK();
}

}  // namespace

int RunExportRdb(const std::vector<std::string>& args) {
  CommandLine line;
  std::string error;
  if (!line.Parse(args, {"from", "to"}, {}, &error)) return Fail(kCommand, kExitUsage, error);
  if (line.help()) {
    std::cout << kExportRdbHelp;
    return kExitOk;
  }
  if (!RequireOptions(line, {"from", "to"}, &error)) return Fail(kCommand, kExitUsage, error);
  auto started = std::chrono::steady_clock::now();
  std::string db_dir = ExistingDbDir(line.Get("from"));
  if (db_dir.empty()) {
    return Fail(kCommand, kExitFailure, line.Get("from") + " holds no Cairn database");
  }
  std::unique_ptr<Storage> storage;
  Status s = OpenForMigration(db_dir, &storage);
  if (!s.ok()) return Fail(kCommand, kExitFailure, s.ToString());
  rdb::RdbWriter writer;
  if (!writer.Open(line.Get("to"))) return Fail(kCommand, kExitFailure, writer.error());
  ExportTotals totals;
  s = ExportAll(storage.get(), &writer, &totals);
  Status closed = storage->Close();
  if (!s.ok() || !closed.ok())
    return Fail(kCommand, kExitFailure, (s.ok() ? closed : s).ToString());
  if (!writer.Finish()) return Fail(kCommand, kExitFailure, writer.error());
  std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
  std::cout << "exported " << totals.keys << " keys from " << db_dir << " to " << line.Get("to")
            << " (" << HumanBytes(writer.bytes_written()) << ") in " << elapsed.count() << " s\n";
  for (const auto& [type, count] : totals.skipped_per_type) {
    std::cout << "skipped " << count << " keys of type " << type
              << ": type not supported by this export\n";
  }
  return kExitOk;
}

}  // namespace cairn
