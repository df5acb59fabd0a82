// Generic (keyspace) group, serialization: DUMP and RESTORE (REPLACE, ABSTTL, IDLETIME, FREQ).
// Payloads are Redis 7.0's: the value in RDB encoding, RDB version 10 and a CRC64, so values
// move between Cairn and Redis both ways. RESTORE checks its arguments in Redis's order:
// options, BUSYKEY, TTL, payload footer, payload body.
#include <cstdint>
#include <limits>
#include <string>

#include "encoding/rdb_decoder.h"
#include "encoding/rdb_encoder.h"
#include "engine/access_tracker.h"
#include "engine/keyspace.h"
#include "engine/object_io.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/commands/generic_internal.h"
#include "src/config/config.h"
#include "src/config/options.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

constexpr char kErrBusyKey[] = "BUSYKEY Target key name already exists.";
constexpr char kErrBadPayload[] = "ERR DUMP payload version or checksum are wrong";
constexpr char kErrBadFormat[] = "ERR Bad data format";

void Dump(CommandContext& context) {
  Storage& storage = context.server->storage();
  RdbValue value;
  Status status = ReadObject(storage, context.client->db(), context.args[1], &value);
  if (status.IsNotFound()) {
    CountLookup(context, context.args[1], false);
    context.reply->Null();
    return;
  }
  CountLookup(context, context.args[1], true);
  if (ReplyIfError(status, context.reply)) return;
  context.reply->Bulk(CreateDumpPayload(value, CompactLimits(storage)));
}

struct RestoreArgs {
  bool replace = false;
  bool absttl = false;
  int64_t idle_seconds = -1;
  int64_t frequency = -1;
};

// RESTORE's options after the payload; replies with Redis's error and returns false.
bool ParseRestoreOptions(CommandContext& context, RestoreArgs* out) {
  const auto& args = context.args;
  for (size_t j = 4; j < args.size(); ++j) {
    bool has_value = j + 1 < args.size();
    if (EqualsIgnoreCase(args[j], "replace")) {
      out->replace = true;
    } else if (EqualsIgnoreCase(args[j], "absttl")) {
      out->absttl = true;
    } else if (EqualsIgnoreCase(args[j], "idletime") && has_value && out->frequency == -1) {
      if (!ParseInt64(args[j + 1], &out->idle_seconds)) {
        context.reply->Error(kErrNotInteger);
        return false;
      }
      if (out->idle_seconds < 0) {
        context.reply->Error("ERR Invalid IDLETIME value, must be >= 0");
        return false;
      }
      ++j;
    } else if (EqualsIgnoreCase(args[j], "freq") && has_value && out->idle_seconds == -1) {
      if (!ParseInt64(args[j + 1], &out->frequency)) {
        context.reply->Error(kErrNotInteger);
        return false;
      }
      if (out->frequency < 0 || out->frequency > 255) {
        context.reply->Error("ERR Invalid FREQ value, must be >= 0 and <= 255");
        return false;
      }
      ++j;
    } else {
      context.reply->Error(kErrSyntax);
      return false;
    }
  }
  return true;
}

// A relative TTL becomes a deadline; saturates instead of overflowing.
uint64_t Deadline(const RestoreArgs& args, int64_t ttl, uint64_t now_ms) {
  if (ttl == 0) return 0;
  if (args.absttl) return static_cast<uint64_t>(ttl);
  uint64_t limit = std::numeric_limits<uint64_t>::max() - now_ms;
  return static_cast<uint64_t>(ttl) > limit ? std::numeric_limits<uint64_t>::max()
                                            : now_ms + static_cast<uint64_t>(ttl);
}

// The restored key's OBJECT IDLETIME / FREQ: FREQ counts under an LFU policy, IDLETIME
// otherwise (Redis's objectSetLRUOrLFU); either way the key starts a fresh history.
void ResetAccessHistory(CommandContext& context, const RestoreArgs& args) {
  Storage& storage = context.server->storage();
  bool lfu = context.server->config().maxmemory_policy().find("lfu") != std::string::npos;
  uint64_t idle_ms = 0;
  uint8_t frequency = AccessTracker::kInitialFrequency;
  if (lfu && args.frequency >= 0) frequency = static_cast<uint8_t>(args.frequency);
  if (!lfu && args.idle_seconds >= 0) {
    constexpr int64_t kMaxSeconds = std::numeric_limits<int64_t>::max() / 1000;
    idle_ms = static_cast<uint64_t>(std::min(args.idle_seconds, kMaxSeconds)) * 1000;
  }
  int db = context.client->db();
  storage.access_tracker().Reset(storage.catalog().Physical(db), context.args[1], idle_ms,
                                 frequency);
}

void Restore(CommandContext& context) {
  RestoreArgs args;
  if (!ParseRestoreOptions(context, &args)) return;
  Storage& storage = context.server->storage();
  int db = context.client->db();
  const std::string& key = context.args[1];
  if (!args.replace) {
    int64_t exists = 0;
    Status status = storage.keyspace().Exists(db, std::span<const std::string>(&key, 1), &exists);
    if (ReplyIfError(status, context.reply)) return;
    if (exists > 0) {
      context.reply->Error(kErrBusyKey);
      return;
    }
  }
  int64_t ttl = 0;
  if (!ParseInt64(context.args[2], &ttl)) {
    context.reply->Error(kErrNotInteger);
    return;
  }
  if (ttl < 0) {
    context.reply->Error("ERR Invalid TTL value, must be >= 0");
    return;
  }
  RdbValue value;
  DumpPayloadError parsed = ParseDumpPayload(context.args[3], &value);
  if (parsed != DumpPayloadError::kNone) {
    bool footer = parsed == DumpPayloadError::kVersionOrChecksum;
    context.reply->Error(footer ? kErrBadPayload : kErrBadFormat);
    return;
  }
  RestoreOptions options;
  options.replace = args.replace;
  options.expire_at_ms = Deadline(args, ttl, storage.NowMs());
  RestoreResult result;
  Status status = RestoreObject(storage, db, key, value, options, &result);
  if (ReplyIfError(status, context.reply)) return;
  if (result.deleted) {
    storage.ForgetAccess(db, key);
    NotifyKeyspaceEvent(context, kNotifyGeneric, "del", key);
  }
  if (result.created) {
    ResetAccessHistory(context, args);
    NotifyKeyspaceEvent(context, kNotifyNew, "new", key);
    NotifyKeyspaceEvent(context, kNotifyGeneric, "restore", key);
  }
  context.reply->Ok();
}

}  // namespace

void RegisterGenericDumpCommands(CommandRegistry& registry) {
  registry.Add("DUMP", Dump);
  registry.Add("RESTORE", Restore);
}

}  // namespace cairn
