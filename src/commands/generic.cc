// Generic (keyspace) group, part one: DEL, UNLINK, EXISTS, TYPE, TOUCH, RENAME, RENAMENX,
// COPY, MOVE, RANDOMKEY, and RegisterGenericCommands, which also registers the other
// generic_*.cc files (expiry, iteration, OBJECT).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/keyspace.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/all_commands.h"
#include "src/commands/arguments.h"
#include "src/commands/generic_internal.h"
#include "src/config/options.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"
#include "src/stats.h"

namespace cairn {

void CountLookupWithoutTouch(CommandContext& context, uint64_t hits, uint64_t misses) {
  ServerStats& stats = context.server->stats();
  if (hits > 0) stats.keyspace_hits.fetch_add(hits, std::memory_order_relaxed);
  if (misses > 0) stats.keyspace_misses.fetch_add(misses, std::memory_order_relaxed);
}

bool ParseDbIndexOrReply(CommandContext& context, const std::string& text, int* db) {
  int64_t value = 0;
  if (!ParseInt64(text, &value)) {
    context.reply->Error(kErrNotInteger);
    return false;
  }
  if (value < INT32_MIN || value > INT32_MAX) {
    context.reply->Error(
        "ERR value is out of range, value must between -2147483648 and 2147483647");
    return false;
  }
  *db = static_cast<int>(value);
  return !ReplyIfError(context.server->storage().CheckDb(*db), context.reply);
}

namespace {

std::span<const std::string> KeysFrom(const CommandContext& context, size_t first) {
  return std::span<const std::string>(context.args).subspan(first);
}

// DEL and UNLINK: deleting a collection only drops its meta entry, so both are O(1) per key
// and UNLINK has nothing to hand to a background thread.
void Del(CommandContext& context) {
  std::vector<std::string> doomed =
      ExistingKeysIfWanted(context, kNotifyGeneric, KeysFrom(context, 1));
  int64_t deleted = 0;
  Status status = context.server->storage().keyspace().Delete(context.client->db(),
                                                              KeysFrom(context, 1), &deleted);
  if (ReplyIfError(status, context.reply)) return;
  for (const std::string& key : doomed) NotifyKeyspaceEvent(context, kNotifyGeneric, "del", key);
  context.reply->Integer(deleted);
}

void Exists(CommandContext& context) {
  int64_t count = 0;
  std::span<const std::string> keys = KeysFrom(context, 1);
  Status status = context.server->storage().keyspace().Exists(context.client->db(), keys, &count);
  if (ReplyIfError(status, context.reply)) return;
  CountLookupWithoutTouch(context, static_cast<uint64_t>(count),
                          keys.size() - static_cast<uint64_t>(count));
  if (static_cast<size_t>(count) < keys.size()) NotifyMissingKeys(context, keys);
  context.reply->Integer(count);
}

void Type(CommandContext& context) {
  ValueType type;
  Status status =
      context.server->storage().keyspace().Type(context.client->db(), context.args[1], &type);
  if (status.IsNotFound()) {
    CountLookupWithoutTouch(context, 0, 1);
    NotifyKeyMiss(context, context.args[1]);
    context.reply->SimpleString("none");
  } else if (!ReplyIfError(status, context.reply)) {
    CountLookupWithoutTouch(context, 1, 0);
    context.reply->SimpleString(ValueTypeName(type));
  }
}

// TOUCH is a read that does update the access time (the engine records it).
void Touch(CommandContext& context) {
  int64_t count = 0;
  std::span<const std::string> keys = KeysFrom(context, 1);
  Status status = context.server->storage().keyspace().Touch(context.client->db(), keys, &count);
  if (ReplyIfError(status, context.reply)) return;
  CountLookupWithoutTouch(context, static_cast<uint64_t>(count),
                          keys.size() - static_cast<uint64_t>(count));
  if (static_cast<size_t>(count) < keys.size()) NotifyMissingKeys(context, keys);
  context.reply->Integer(count);
}

bool RenameKey(CommandContext& context, bool nx, bool* renamed) {
  Storage& storage = context.server->storage();
  int db = context.client->db();
  Status status = storage.keyspace().Rename(db, context.args[1], context.args[2], nx, renamed);
  if (ReplyIfError(status, context.reply)) return false;
  // The value keeps its identity under the new name, freshly looked up as in Redis.
  if (*renamed) storage.RecordAccess(db, context.args[2]);
  // Redis drops the destination and adds it anew, so "new" goes out even over an existing
  // key; renaming a key to itself changes nothing and says nothing.
  if (*renamed && context.args[1] != context.args[2]) {
    NotifyKeyspaceEvent(context, kNotifyNew, "new", context.args[2]);
    NotifyKeyspaceEvent(context, kNotifyGeneric, "rename_from", context.args[1]);
    NotifyKeyspaceEvent(context, kNotifyGeneric, "rename_to", context.args[2]);
  }
  return true;
}

void Rename(CommandContext& context) {
  bool renamed = false;
  if (RenameKey(context, /*nx=*/false, &renamed)) context.reply->Ok();
}

void RenameNx(CommandContext& context) {
  bool renamed = false;
  if (RenameKey(context, /*nx=*/true, &renamed)) context.reply->Integer(renamed ? 1 : 0);
}

// COPY source destination [DB destination-db] [REPLACE], options in any order and repeatable
// (the last DB wins), each DB checked as it is parsed, like Redis.
void Copy(CommandContext& context) {
  const auto& args = context.args;
  int src_db = context.client->db();
  int dst_db = src_db;
  bool replace = false;
  for (size_t i = 3; i < args.size(); ++i) {
    if (EqualsIgnoreCase(args[i], "REPLACE")) {
      replace = true;
    } else if (EqualsIgnoreCase(args[i], "DB") && i + 1 < args.size()) {
      if (!ParseDbIndexOrReply(context, args[++i], &dst_db)) return;
    } else {
      context.reply->Error(kErrSyntax);
      return;
    }
  }
  Storage& storage = context.server->storage();
  bool copied = false;
  Status status = storage.keyspace().Copy(src_db, args[1], dst_db, args[2], replace, &copied);
  if (ReplyIfError(status, context.reply)) return;
  if (copied) {
    storage.RecordAccess(src_db, args[1]);
    storage.RecordAccess(dst_db, args[2]);
    // As for RENAME, a replaced destination is dropped and added anew.
    NotifyKeyspaceEvent(context.server, kNotifyNew, "new", args[2], dst_db);
    NotifyKeyspaceEvent(context.server, kNotifyGeneric, "copy_to", args[2], dst_db);
  } else {
    NotifyMissingKeys(context, std::span<const std::string>(args).subspan(1, 1));
  }
  context.reply->Integer(copied ? 1 : 0);
}

void Move(CommandContext& context) {
  int dst_db = 0;
  if (!ParseDbIndexOrReply(context, context.args[2], &dst_db)) return;
  Storage& storage = context.server->storage();
  bool moved = false;
  Status status = storage.keyspace().Move(context.client->db(), dst_db, context.args[1], &moved);
  if (ReplyIfError(status, context.reply)) return;
  if (moved) {
    storage.RecordAccess(dst_db, context.args[1]);
    NotifyKeyspaceEvent(context.server, kNotifyNew, "new", context.args[1], dst_db);
    NotifyKeyspaceEvent(context, kNotifyGeneric, "move_from", context.args[1]);
    NotifyKeyspaceEvent(context.server, kNotifyGeneric, "move_to", context.args[1], dst_db);
  }
  context.reply->Integer(moved ? 1 : 0);
}

void RandomKey(CommandContext& context) {
  std::string key;
  bool found = false;
  Status status =
      context.server->storage().keyspace().RandomKey(context.client->db(), &key, &found);
  if (ReplyIfError(status, context.reply)) return;
  if (found) {
    context.reply->Bulk(key);
  } else {
    context.reply->Null();
  }
}

}  // namespace

void RegisterGenericCommands(CommandRegistry& registry) {
  registry.Add("DEL", Del);
  registry.Add("UNLINK", Del);
  registry.Add("EXISTS", Exists);
  registry.Add("TYPE", Type);
  registry.Add("TOUCH", Touch);
  registry.Add("RENAME", Rename);
  registry.Add("RENAMENX", RenameNx);
  registry.Add("COPY", Copy);
  registry.Add("MOVE", Move);
  registry.Add("RANDOMKEY", RandomKey);
  RegisterGenericExpireCommands(registry);
  RegisterGenericScanCommands(registry);
  RegisterGenericObjectCommands(registry);
  RegisterGenericDumpCommands(registry);
  RegisterGenericSortCommands(registry);
}

}  // namespace cairn
