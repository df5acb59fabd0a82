// Generic (keyspace) group, deadlines: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT with NX/XX/GT/LT,
// TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST, with Redis 7.0's parsing order and errors.
#include <cstdint>
#include <limits>
#include <string>

#include "engine/keyspace.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/commands/generic_internal.h"
#include "src/config/options.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

// How a command's time argument becomes an absolute deadline in unix ms.
struct ExpireForm {
  const char* name;  // lower-case, as Redis names the command in its errors
  bool seconds;      // the argument is in seconds (else ms)
  bool relative;     // the argument is added to the current time (else absolute)
};

// Options come after the time, but Redis parses them (and rejects bad combinations) first.
bool ParseExpireConditionOrReply(CommandContext& context, ExpireCondition* condition) {
  const auto& args = context.args;
  for (size_t i = 3; i < args.size(); ++i) {
    if (EqualsIgnoreCase(args[i], "NX")) {
      condition->nx = true;
    } else if (EqualsIgnoreCase(args[i], "XX")) {
      condition->xx = true;
    } else if (EqualsIgnoreCase(args[i], "GT")) {
      condition->gt = true;
    } else if (EqualsIgnoreCase(args[i], "LT")) {
      condition->lt = true;
    } else {
      context.reply->Error("ERR Unsupported option " + args[i]);
      return false;
    }
  }
  if (condition->nx && (condition->xx || condition->gt || condition->lt)) {
    context.reply->Error("ERR NX and XX, GT or LT options at the same time are not compatible");
    return false;
  }
  if (condition->gt && condition->lt) {
    context.reply->Error("ERR GT and LT options at the same time are not compatible");
    return false;
  }
  return true;
}

// Redis's checks: the unit conversion and the addition of the base time must not overflow;
// negative results are fine (they delete the key).
bool ComputeDeadlineOrReply(CommandContext& context, const ExpireForm& form, int64_t* when_ms) {
  int64_t when = 0;
  if (!ParseInt64(context.args[2], &when)) {
    context.reply->Error(kErrNotInteger);
    return false;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  bool overflow = false;
  if (form.seconds) {
    overflow = when > kMax / 1000 || when < kMin / 1000;
    if (!overflow) when *= 1000;
  }
  int64_t base = form.relative ? static_cast<int64_t>(context.server->storage().NowMs()) : 0;
  if (overflow || when > kMax - base) {
    context.reply->Error(std::string("ERR invalid expire time in '") + form.name + "' command");
    return false;
  }
  *when_ms = when + base;
  return true;
}

void ExpireGeneric(CommandContext& context, const ExpireForm& form) {
  ExpireCondition condition;
  int64_t when = 0;
  if (!ParseExpireConditionOrReply(context, &condition) ||
      !ComputeDeadlineOrReply(context, form, &when)) {
    return;
  }
  Storage& storage = context.server->storage();
  int db = context.client->db();
  bool applied = false;
  Status status = storage.keyspace().Expire(db, context.args[1], when, condition, &applied);
  if (ReplyIfError(status, context.reply)) return;
  // A deadline in the past deleted the key: nothing left to record an access for.
  bool kept = when > static_cast<int64_t>(storage.NowMs());
  if (applied && kept) storage.RecordAccess(db, context.args[1]);
  if (applied) {
    NotifyKeyspaceEvent(context, kNotifyGeneric, kept ? "expire" : "del", context.args[1]);
  }
  context.reply->Integer(applied ? 1 : 0);
}

void Expire(CommandContext& context) { ExpireGeneric(context, {"expire", true, true}); }
void PExpire(CommandContext& context) { ExpireGeneric(context, {"pexpire", false, true}); }
void ExpireAt(CommandContext& context) { ExpireGeneric(context, {"expireat", true, false}); }
void PExpireAt(CommandContext& context) { ExpireGeneric(context, {"pexpireat", false, false}); }

// TTL, PTTL, EXPIRETIME, PEXPIRETIME: -2 for a missing key, -1 for no deadline; seconds are
// rounded to the nearest one like Redis ((ms + 500) / 1000), and a deadline that is due but
// not yet reclaimed reads as 0 remaining.
void TtlGeneric(CommandContext& context, bool in_ms, bool absolute) {
  Storage& storage = context.server->storage();
  int64_t expire_at = 0;
  Status status = storage.keyspace().GetExpire(context.client->db(), context.args[1], &expire_at);
  if (ReplyIfError(status, context.reply)) return;
  CountLookupWithoutTouch(context, expire_at == -2 ? 0 : 1, expire_at == -2 ? 1 : 0);
  if (expire_at == -2) NotifyKeyMiss(context, context.args[1]);
  if (expire_at < 0) {
    context.reply->Integer(expire_at);
    return;
  }
  int64_t value = absolute ? expire_at : expire_at - static_cast<int64_t>(storage.NowMs());
  if (value < 0) value = 0;
  // The rounding cannot overflow for a real deadline, but PEXPIREAT accepts any int64.
  if (!in_ms) value = value / 1000 + (value % 1000 >= 500 ? 1 : 0);
  context.reply->Integer(value);
}

void Ttl(CommandContext& context) { TtlGeneric(context, false, false); }
void PTtl(CommandContext& context) { TtlGeneric(context, true, false); }
void ExpireTime(CommandContext& context) { TtlGeneric(context, false, true); }
void PExpireTime(CommandContext& context) { TtlGeneric(context, true, true); }

void Persist(CommandContext& context) {
  Storage& storage = context.server->storage();
  int db = context.client->db();
  bool removed = false;
  Status status = storage.keyspace().Persist(db, context.args[1], &removed);
  if (ReplyIfError(status, context.reply)) return;
  if (removed) {
    storage.RecordAccess(db, context.args[1]);
    NotifyKeyspaceEvent(context, kNotifyGeneric, "persist", context.args[1]);
  }
  context.reply->Integer(removed ? 1 : 0);
}

}  // namespace

void RegisterGenericExpireCommands(CommandRegistry& registry) {
  registry.Add("EXPIRE", Expire);
  registry.Add("PEXPIRE", PExpire);
  registry.Add("EXPIREAT", ExpireAt);
  registry.Add("PEXPIREAT", PExpireAt);
  registry.Add("TTL", Ttl);
  registry.Add("PTTL", PTtl);
  registry.Add("EXPIRETIME", ExpireTime);
  registry.Add("PEXPIRETIME", PExpireTime);
  registry.Add("PERSIST", Persist);
}

}  // namespace cairn
