// Hash group: HSET, HMSET, HSETNX, HDEL, HINCRBY, HINCRBYFLOAT, HGET, HMGET, HLEN, HEXISTS,
// HSTRLEN, HGETALL, HKEYS, HVALS, HRANDFIELD (HSCAN lives with the other member scans).
// Arguments are checked in the order Redis 7.0 (t_hash.c) checks them, so a bad command gets
// the same error as from Redis; events are the ones Redis emits.
#include "engine/hash.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/all_commands.h"
#include "src/commands/arguments.h"
#include "src/config/options.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

Hashes& HashesOf(CommandContext& context) { return context.server->storage().hashes(); }
int Db(const CommandContext& context) { return context.client->db(); }
const std::string& Key(const CommandContext& context) { return context.args[1]; }

// A write that leaves the key in place counts as a use for OBJECT IDLETIME/FREQ.
void NoteWrite(CommandContext& context) {
  context.server->storage().RecordAccess(Db(context), Key(context));
}

// Redis's lookupKeyRead finds keys of any type, so WRONGTYPE still counts as a hit.
void CountRead(CommandContext& context, const Status& status) {
  CountLookup(context, Key(context), status.ok() || status.IsWrongType());
}

// Replies with the error of a failed read; a missing key is not one (the caller replies the
// empty answer). Returns true when it replied.
bool ReplyIfReadError(const Status& status, ReplyBuilder* reply) {
  return !status.IsNotFound() && ReplyIfError(status, reply);
}

// The events of a write that stored fields: "new" if it created the key, then `event`.
void NotifyHashWrite(CommandContext& context, NewKeyEvents& created, std::string_view event) {
  created.Stored(Key(context));
  NotifyKeyspaceEvent(context, kNotifyHash, event, Key(context));
}

// --- Writes ---------------------------------------------------------------------------------

// HSET and HMSET: key field value [field value ...]. The dispatcher checked the minimum
// arity; a field without a value is Redis's arity error.
void SetFields(CommandContext& context, bool reply_ok) {
  if (context.args.size() % 2 != 0) {
    context.reply->Error("ERR wrong number of arguments for '" + ToLower(context.args[0]) +
                         "' command");
    return;
  }
  NewKeyEvents created(context);
  created.Probe(Key(context));
  std::span<const std::string> field_values(context.args.begin() + 2, context.args.end());
  int64_t added = 0;
  Status status = HashesOf(context).Set(Db(context), Key(context), field_values, &added);
  if (ReplyIfError(status, context.reply)) return;
  NoteWrite(context);
  NotifyHashWrite(context, created, "hset");
  if (reply_ok) {
    context.reply->Ok();
  } else {
    context.reply->Integer(added);
  }
}

void HSet(CommandContext& context) { SetFields(context, /*reply_ok=*/false); }
void HMSet(CommandContext& context) { SetFields(context, /*reply_ok=*/true); }

void HSetNx(CommandContext& context) {
  NewKeyEvents created(context);
  created.Probe(Key(context));
  bool written = false;
  Status status = HashesOf(context).SetIfAbsent(Db(context), Key(context), context.args[2],
                                                context.args[3], &written);
  if (ReplyIfError(status, context.reply)) return;
  NoteWrite(context);  // the field existed or was just written: the key is there
  if (written) NotifyHashWrite(context, created, "hset");
  context.reply->Integer(written ? 1 : 0);
}

void HDel(CommandContext& context) {
  std::span<const std::string> fields(context.args.begin() + 2, context.args.end());
  int64_t removed = 0;
  bool key_removed = false;
  Status status =
      HashesOf(context).Delete(Db(context), Key(context), fields, &removed, &key_removed);
  if (ReplyIfError(status, context.reply)) return;
  if (removed > 0) {
    if (!key_removed) NoteWrite(context);
    NotifyKeyspaceEvent(context, kNotifyHash, "hdel", Key(context));
    if (key_removed) NotifyKeyspaceEvent(context, kNotifyGeneric, "del", Key(context));
  }
  context.reply->Integer(removed);
}

void HIncrBy(CommandContext& context) {
  int64_t delta = 0;
  if (!ParseInt64(context.args[3], &delta)) {
    context.reply->Error(kErrNotInteger);
    return;
  }
  NewKeyEvents created(context);
  created.Probe(Key(context));
  int64_t result = 0;
  Status status =
      HashesOf(context).IncrBy(Db(context), Key(context), context.args[2], delta, &result);
  if (ReplyIfError(status, context.reply)) return;
  NoteWrite(context);
  NotifyHashWrite(context, created, "hincrby");
  context.reply->Integer(result);
}

// The increment is checked before the key's type: "inf" is a valid float but not a valid
// increment.
void HIncrByFloat(CommandContext& context) {
  long double increment = 0;
  if (!ParseLongDouble(context.args[3], &increment)) {
    context.reply->Error(kErrNotFloat);
    return;
  }
  if (std::isnan(increment) || std::isinf(increment)) {
    context.reply->Error("ERR value is NaN or Infinity");
    return;
  }
  NewKeyEvents created(context);
  created.Probe(Key(context));
  std::string stored;
  Status status =
      HashesOf(context).IncrByFloat(Db(context), Key(context), context.args[2], increment, &stored);
  if (ReplyIfError(status, context.reply)) return;
  NoteWrite(context);
  NotifyHashWrite(context, created, "hincrbyfloat");
  context.reply->Bulk(stored);  // a bulk string in RESP3 too, as Redis replies
}

// --- Point reads ----------------------------------------------------------------------------

void ReplyOptionalBulk(ReplyBuilder* reply, const std::optional<std::string>& value) {
  if (value.has_value()) {
    reply->Bulk(*value);
  } else {
    reply->Null();
  }
}

void HGet(CommandContext& context) {
  std::optional<std::string> value;
  Status status = HashesOf(context).Get(Db(context), Key(context), context.args[2], &value);
  CountRead(context, status);
  if (!ReplyIfReadError(status, context.reply)) ReplyOptionalBulk(context.reply, value);
}

void HMGet(CommandContext& context) {
  std::span<const std::string> fields(context.args.begin() + 2, context.args.end());
  std::vector<std::optional<std::string>> values;
  Status status = HashesOf(context).MultiGet(Db(context), Key(context), fields, &values);
  CountRead(context, status);
  if (ReplyIfReadError(status, context.reply)) return;
  context.reply->ArrayHeader(values.size());
  for (const std::optional<std::string>& value : values) ReplyOptionalBulk(context.reply, value);
}

void HLen(CommandContext& context) {
  uint64_t length = 0;
  Status status = HashesOf(context).Length(Db(context), Key(context), &length);
  CountRead(context, status);
  if (!ReplyIfReadError(status, context.reply)) {
    context.reply->Integer(static_cast<int64_t>(length));
  }
}

void HExists(CommandContext& context) {
  bool exists = false;
  Status status = HashesOf(context).Exists(Db(context), Key(context), context.args[2], &exists);
  CountRead(context, status);
  if (!ReplyIfReadError(status, context.reply)) context.reply->Integer(exists ? 1 : 0);
}

void HStrLen(CommandContext& context) {
  uint64_t length = 0;
  Status status =
      HashesOf(context).ValueLength(Db(context), Key(context), context.args[2], &length);
  CountRead(context, status);
  if (!ReplyIfReadError(status, context.reply)) {
    context.reply->Integer(static_cast<int64_t>(length));
  }
}

// --- Whole-hash reads -----------------------------------------------------------------------

// HGETALL replies a map (a flat array in RESP2), HKEYS and HVALS an array.
void ReplyAll(CommandContext& context, HashParts parts) {
  std::vector<std::string> items;
  Status status = HashesOf(context).GetAll(Db(context), Key(context), parts, &items);
  CountRead(context, status);
  if (ReplyIfReadError(status, context.reply)) return;
  if (parts == HashParts::kFieldsAndValues) {
    context.reply->MapHeader(items.size() / 2);
  } else {
    context.reply->ArrayHeader(items.size());
  }
  for (const std::string& item : items) context.reply->Bulk(item);
}

void HGetAll(CommandContext& context) { ReplyAll(context, HashParts::kFieldsAndValues); }
void HKeys(CommandContext& context) { ReplyAll(context, HashParts::kFields); }
void HVals(CommandContext& context) { ReplyAll(context, HashParts::kValues); }

// --- HRANDFIELD -----------------------------------------------------------------------------

// HRANDFIELD key: one field as a bulk string, or null for a missing key.
void RandomField(CommandContext& context) {
  std::vector<HashField> fields;
  Status status = HashesOf(context).RandomFields(Db(context), Key(context), 1, &fields);
  CountRead(context, status);
  if (ReplyIfReadError(status, context.reply)) return;
  if (fields.empty()) {
    context.reply->Null();
  } else {
    context.reply->Bulk(fields.front().field);
  }
}

// Redis's getRangeLongFromObjectOrReply(-LONG_MAX, LONG_MAX), the syntax check, then the
// WITHVALUES limit (count * 2 must not overflow). False when it replied an error.
bool ParseRandomCount(CommandContext& context, int64_t* count, bool* with_values) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  if (!ParseInt64(context.args[2], count)) {
    context.reply->Error(kErrNotInteger);
    return false;
  }
  if (*count < -kMax) {
    context.reply->Error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
    return false;
  }
  size_t argc = context.args.size();
  if (argc > 4 || (argc == 4 && !EqualsIgnoreCase(context.args[3], "WITHVALUES"))) {
    context.reply->Error(kErrSyntax);
    return false;
  }
  *with_values = argc == 4;
  if (*with_values && (*count < -kMax / 2 || *count > kMax / 2)) {
    context.reply->Error("ERR value is out of range");
    return false;
  }
  return true;
}

// HRANDFIELD key count [WITHVALUES]: an array of fields; with values, RESP2 flattens the
// pairs and RESP3 nests each as a two-element array.
void HRandField(CommandContext& context) {
  if (context.args.size() == 2) {
    RandomField(context);
    return;
  }
  int64_t count = 0;
  bool with_values = false;
  if (!ParseRandomCount(context, &count, &with_values)) return;
  std::vector<HashField> fields;
  Status status = HashesOf(context).RandomFields(Db(context), Key(context), count, &fields);
  CountRead(context, status);
  if (ReplyIfReadError(status, context.reply)) return;
  ReplyBuilder* reply = context.reply;
  bool nested = with_values && reply->protocol() >= 3;
  reply->ArrayHeader(with_values && !nested ? fields.size() * 2 : fields.size());
  for (const HashField& entry : fields) {
    if (nested) reply->ArrayHeader(2);
    reply->Bulk(entry.field);
    if (with_values) reply->Bulk(entry.value);
  }
}

}  // namespace

void RegisterHashCommands(CommandRegistry& registry) {
  registry.Add("HDEL", &HDel);
  registry.Add("HEXISTS", &HExists);
  registry.Add("HGET", &HGet);
  registry.Add("HGETALL", &HGetAll);
  registry.Add("HINCRBY", &HIncrBy);
  registry.Add("HINCRBYFLOAT", &HIncrByFloat);
  registry.Add("HKEYS", &HKeys);
  registry.Add("HLEN", &HLen);
  registry.Add("HMGET", &HMGet);
  registry.Add("HMSET", &HMSet);
  registry.Add("HRANDFIELD", &HRandField);
  registry.Add("HSET", &HSet);
  registry.Add("HSETNX", &HSetNx);
  registry.Add("HSTRLEN", &HStrLen);
  registry.Add("HVALS", &HVals);
}

}  // namespace cairn
