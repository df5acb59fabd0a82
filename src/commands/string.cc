// String group: GET, SET (EX PX EXAT PXAT NX XX KEEPTTL GET), SETNX, SETEX, PSETEX, GETSET,
// GETDEL, GETEX, MGET, MSET, MSETNX, APPEND, SETRANGE, GETRANGE, SUBSTR, STRLEN, INCR, DECR,
// INCRBY, DECRBY, INCRBYFLOAT (LCS lives in string_lcs.cc). Arguments are checked in the
// order Redis 7.0 checks them, so a bad command gets the same error as from Redis.
#include "engine/string.h"

#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/keyspace.h"
#include "engine/status.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/all_commands.h"
#include "src/commands/arguments.h"
#include "src/commands/string_lcs.h"
#include "src/config/config.h"
#include "src/config/options.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"
#include "src/stats.h"

namespace cairn {
namespace {

Strings& StringsOf(CommandContext& context) { return context.server->storage().strings(); }
int Db(const CommandContext& context) { return context.client->db(); }
int64_t NowMs(CommandContext& context) {
  return static_cast<int64_t>(context.server->storage().NowMs());
}
uint64_t MaxStringSize(CommandContext& context) {
  return static_cast<uint64_t>(context.server->config().proto_max_bulk_len());
}

// A write that leaves the key in place counts as a use for OBJECT IDLETIME/FREQ.
void NoteWrite(CommandContext& context, std::string_view key) {
  context.server->storage().RecordAccess(Db(context), key);
}

// Keyspace hit/miss of a read lookup. A key the command then deleted is a hit with no access
// to record, since recording would resurrect its access history.
void CountRead(CommandContext& context, std::string_view key, bool found, bool deleted = false) {
  if (found && deleted) {
    context.server->stats().keyspace_hits.fetch_add(1, std::memory_order_relaxed);
  } else {
    CountLookup(context, key, found);
  }
}

// Redis's lookupKeyRead finds keys of any type, so WRONGTYPE still counts as a hit.
bool Found(const Status& status) { return status.ok() || status.IsWrongType(); }

void ReplyOptionalBulk(ReplyBuilder* reply, const std::optional<std::string>& value) {
  if (value.has_value()) {
    reply->Bulk(*value);
  } else {
    reply->Null();
  }
}

// --- Expire arguments (SET, SETEX, PSETEX, GETEX) ---------------------------------------

enum class ExpireKind { kNone, kEx, kPx, kExAt, kPxAt };

struct ExpireArgument {
  ExpireKind kind = ExpireKind::kNone;
  const std::string* text = nullptr;
};

std::optional<ExpireKind> ExpireKeyword(std::string_view word) {
  if (EqualsIgnoreCase(word, "EX")) return ExpireKind::kEx;
  if (EqualsIgnoreCase(word, "PX")) return ExpireKind::kPx;
  if (EqualsIgnoreCase(word, "EXAT")) return ExpireKind::kExAt;
  if (EqualsIgnoreCase(word, "PXAT")) return ExpireKind::kPxAt;
  return std::nullopt;
}

// Redis's getExpireMillisecondsOrReply: the absolute deadline in unix ms. On failure *error
// is the reply: not an integer, or "invalid expire time" for values <= 0 and for values
// whose conversion to absolute milliseconds overflows.
bool ExpireDeadline(CommandContext& context, const ExpireArgument& expire, int64_t* deadline_ms,
                    std::string* error) {
  int64_t value = 0;
  if (!ParseInt64(*expire.text, &value)) {
    *error = kErrNotInteger;
    return false;
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  bool seconds = expire.kind == ExpireKind::kEx || expire.kind == ExpireKind::kExAt;
  bool relative = expire.kind == ExpireKind::kEx || expire.kind == ExpireKind::kPx;
  bool valid = value > 0 && !(seconds && value > kMax / 1000);
  if (valid && seconds) value *= 1000;
  if (valid && relative) {
    int64_t now = NowMs(context);
    valid = value <= kMax - now;
    if (valid) value += now;
  }
  if (!valid) {
    *error = "ERR invalid expire time in '" + ToLower(context.args[0]) + "' command";
    return false;
  }
  *deadline_ms = value;
  return true;
}

// --- SET and friends ------------------------------------------------------------------------

enum class ExtendedCommand { kSet, kGetEx };

struct ExtendedOptions {
  bool nx = false;
  bool xx = false;
  bool get = false;
  bool keep_ttl = false;
  bool persist = false;
  ExpireArgument expire;
};

// Redis's parseExtendedStringArgumentsOrReply; false means a syntax error. An expire option
// may be repeated (the last one wins) but not mixed with another unit, KEEPTTL or PERSIST.
bool ParseExtendedOptions(const std::vector<std::string>& args, ExtendedCommand command,
                          ExtendedOptions* options) {
  bool is_set = command == ExtendedCommand::kSet;
  for (size_t j = is_set ? 3 : 2; j < args.size(); ++j) {
    const std::string& word = args[j];
    std::optional<ExpireKind> kind = ExpireKeyword(word);
    bool has_expire = options->expire.kind != ExpireKind::kNone;
    if (is_set && EqualsIgnoreCase(word, "NX") && !options->xx) {
      options->nx = true;
    } else if (is_set && EqualsIgnoreCase(word, "XX") && !options->nx) {
      options->xx = true;
    } else if (is_set && EqualsIgnoreCase(word, "GET")) {
      options->get = true;
    } else if (is_set && EqualsIgnoreCase(word, "KEEPTTL") && !has_expire) {
      options->keep_ttl = true;
    } else if (!is_set && EqualsIgnoreCase(word, "PERSIST") && !has_expire) {
      options->persist = true;
    } else if (kind.has_value() && j + 1 < args.size() && !options->keep_ttl && !options->persist &&
               (!has_expire || options->expire.kind == *kind)) {
      options->expire = ExpireArgument{*kind, &args[++j]};
    } else {
      return false;
    }
  }
  return true;
}

enum class SetReply { kOk, kFlag /* SETNX: 1 or 0 */ };

// Redis's setGenericCommand events: "new", "set", and "expire" when a deadline came with the
// value. A deadline already past deleted the key at once, where Redis would let expiry take
// it: the "expired" that Redis emits then comes right away.
void NotifySet(CommandContext& context, std::string_view key, NewKeyEvents& created,
               bool with_deadline, bool deleted) {
  created.Stored(key);
  NotifyKeyspaceEvent(context, kNotifyString, "set", key);
  if (with_deadline) NotifyKeyspaceEvent(context, kNotifyGeneric, "expire", key);
  if (deleted) NotifyKeyspaceEvent(context, kNotifyExpired, "expired", key);
}

// The common end of SET, SETNX, SETEX and PSETEX (Redis's setGenericCommand).
void SetAndReply(CommandContext& context, const std::string& value, const SetOptions& options,
                 SetReply style) {
  const std::string& key = context.args[1];
  NewKeyEvents created(context);
  created.Probe(key);
  bool written = false;
  std::optional<std::string> old_value;
  Status status = StringsOf(context).Set(Db(context), key, value, options, &written,
                                         options.get_old ? &old_value : nullptr);
  bool deleted = written && options.expire == SetOptions::Expire::kAt &&
                 options.expire_at_ms <= NowMs(context);
  if (options.get_old) {
    CountRead(context, key, status.ok() ? old_value.has_value() : status.IsWrongType(), deleted);
  }
  if (ReplyIfError(status, context.reply)) return;
  if (written && !deleted) NoteWrite(context, key);
  if (written) NotifySet(context, key, created, options.expire == SetOptions::Expire::kAt, deleted);
  if (options.get_old) {
    ReplyOptionalBulk(context.reply, old_value);
  } else if (style == SetReply::kFlag) {
    context.reply->Integer(written ? 1 : 0);
  } else if (written) {
    context.reply->Ok();
  } else {
    context.reply->Null();
  }
}

void Set(CommandContext& context) {
  ExtendedOptions parsed;
  if (!ParseExtendedOptions(context.args, ExtendedCommand::kSet, &parsed)) {
    context.reply->Error(kErrSyntax);
    return;
  }
  SetOptions options;
  if (parsed.nx) options.condition = SetOptions::Condition::kIfAbsent;
  if (parsed.xx) options.condition = SetOptions::Condition::kIfPresent;
  options.get_old = parsed.get;
  if (parsed.keep_ttl) options.expire = SetOptions::Expire::kKeep;
  if (parsed.expire.kind != ExpireKind::kNone) {
    std::string error;
    if (!ExpireDeadline(context, parsed.expire, &options.expire_at_ms, &error)) {
      context.reply->Error(error);
      return;
    }
    options.expire = SetOptions::Expire::kAt;
  }
  SetAndReply(context, context.args[2], options, SetReply::kOk);
}

void SetNx(CommandContext& context) {
  SetOptions options;
  options.condition = SetOptions::Condition::kIfAbsent;
  SetAndReply(context, context.args[2], options, SetReply::kFlag);
}

// SETEX and PSETEX: key, relative time, value.
void SetWithExpire(CommandContext& context, ExpireKind kind) {
  SetOptions options;
  options.expire = SetOptions::Expire::kAt;
  std::string error;
  if (!ExpireDeadline(context, ExpireArgument{kind, &context.args[2]}, &options.expire_at_ms,
                      &error)) {
    context.reply->Error(error);
    return;
  }
  SetAndReply(context, context.args[3], options, SetReply::kOk);
}

void SetEx(CommandContext& context) { SetWithExpire(context, ExpireKind::kEx); }
void PSetEx(CommandContext& context) { SetWithExpire(context, ExpireKind::kPx); }

void GetSet(CommandContext& context) {
  const std::string& key = context.args[1];
  NewKeyEvents created(context);
  created.Probe(key);
  std::optional<std::string> old_value;
  Status status = StringsOf(context).GetSet(Db(context), key, context.args[2], &old_value);
  CountRead(context, key, status.ok() ? old_value.has_value() : status.IsWrongType());
  if (ReplyIfError(status, context.reply)) return;
  NoteWrite(context, key);
  NotifySet(context, key, created, /*with_deadline=*/false, /*deleted=*/false);
  ReplyOptionalBulk(context.reply, old_value);
}

// --- Reads ----------------------------------------------------------------------------------

void Get(CommandContext& context) {
  std::string value;
  Status status = StringsOf(context).Get(Db(context), context.args[1], &value);
  CountRead(context, context.args[1], Found(status));
  if (status.IsNotFound()) {
    context.reply->Null();
  } else if (!ReplyIfError(status, context.reply)) {
    context.reply->Bulk(value);
  }
}

void GetDel(CommandContext& context) {
  std::string value;
  Status status = StringsOf(context).GetDel(Db(context), context.args[1], &value);
  CountRead(context, context.args[1], Found(status), /*deleted=*/status.ok());
  if (status.ok()) NotifyKeyspaceEvent(context, kNotifyGeneric, "del", context.args[1]);
  if (status.IsNotFound()) {
    context.reply->Null();
  } else if (!ReplyIfError(status, context.reply)) {
    context.reply->Bulk(value);
  }
}

// The generic event of a GETEX that found its string: "del" when the new deadline had passed,
// "expire" for a new deadline, "persist" when PERSIST removed one. Whether there was a
// deadline to remove is looked up before the change, and only when the event is wanted.
class GetExEvent {
 public:
  GetExEvent(CommandContext& context, const GetExOptions& options)
      : context_(context), options_(options) {
    if (options.action == GetExOptions::Action::kPersist &&
        KeyspaceEventWanted(context.server, kNotifyGeneric)) {
      int64_t expire_at = -1;
      Status status =
          context.server->storage().keyspace().GetExpire(Db(context), context.args[1], &expire_at);
      had_deadline_ = status.ok() && expire_at >= 0;
    }
  }

  void Notify(bool deleted) {
    const std::string& key = context_.args[1];
    if (deleted) {
      NotifyKeyspaceEvent(context_, kNotifyGeneric, "del", key);
    } else if (options_.action == GetExOptions::Action::kSetAt) {
      NotifyKeyspaceEvent(context_, kNotifyGeneric, "expire", key);
    } else if (had_deadline_) {
      NotifyKeyspaceEvent(context_, kNotifyGeneric, "persist", key);
    }
  }

 private:
  CommandContext& context_;
  const GetExOptions& options_;
  bool had_deadline_ = false;
};

// Redis looks the key up before it validates the expire time: a missing key is a nil reply
// and a key of another type WRONGTYPE even when the time is bad.
void GetEx(CommandContext& context) {
  ExtendedOptions parsed;
  if (!ParseExtendedOptions(context.args, ExtendedCommand::kGetEx, &parsed)) {
    context.reply->Error(kErrSyntax);
    return;
  }
  GetExOptions options;
  if (parsed.persist) options.action = GetExOptions::Action::kPersist;
  std::string expire_error;
  if (parsed.expire.kind != ExpireKind::kNone &&
      ExpireDeadline(context, parsed.expire, &options.expire_at_ms, &expire_error)) {
    options.action = GetExOptions::Action::kSetAt;
  }
  const std::string& key = context.args[1];
  std::string value;
  Strings& strings = StringsOf(context);
  GetExEvent event(context, options);
  Status status = expire_error.empty() ? strings.GetEx(Db(context), key, options, &value)
                                       : strings.Get(Db(context), key, &value);
  bool deleted = status.ok() && options.action == GetExOptions::Action::kSetAt &&
                 options.expire_at_ms <= NowMs(context);
  CountRead(context, key, Found(status), deleted);
  if (status.IsNotFound()) {
    context.reply->Null();
  } else if (ReplyIfError(status, context.reply)) {
    return;
  } else if (!expire_error.empty()) {
    context.reply->Error(expire_error);
  } else {
    event.Notify(deleted);
    context.reply->Bulk(value);
  }
}

void MGet(CommandContext& context) {
  std::span<const std::string> keys(context.args.begin() + 1, context.args.end());
  std::vector<std::optional<std::string>> values;
  Status status = StringsOf(context).MGet(Db(context), keys, &values);
  if (ReplyIfError(status, context.reply)) return;
  context.reply->ArrayHeader(values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    CountRead(context, keys[i], values[i].has_value());
    ReplyOptionalBulk(context.reply, values[i]);
  }
}

// --- MSET, MSETNX -----------------------------------------------------------------------

// The pairs after the command name, or nullopt (with Redis's arity error sent) when a key
// has no value.
std::optional<std::span<const std::string>> KeyValuePairs(CommandContext& context) {
  if (context.args.size() % 2 == 0) {
    context.reply->Error("ERR wrong number of arguments for '" + ToLower(context.args[0]) +
                         "' command");
    return std::nullopt;
  }
  return std::span<const std::string>(context.args.begin() + 1, context.args.end());
}

void ProbeKeys(NewKeyEvents& created, std::span<const std::string> pairs) {
  for (size_t i = 0; i < pairs.size(); i += 2) created.Probe(pairs[i]);
}

// Access records, then the events of Redis's msetGenericCommand, key by key ("new", "set").
void NoteWrites(CommandContext& context, std::span<const std::string> pairs,
                NewKeyEvents& created) {
  for (size_t i = 0; i < pairs.size(); i += 2) NoteWrite(context, pairs[i]);
  for (size_t i = 0; i < pairs.size(); i += 2) {
    NotifySet(context, pairs[i], created, /*with_deadline=*/false, /*deleted=*/false);
  }
}

void MSet(CommandContext& context) {
  std::optional<std::span<const std::string>> pairs = KeyValuePairs(context);
  if (!pairs.has_value()) return;
  NewKeyEvents created(context);
  ProbeKeys(created, *pairs);
  Status status = StringsOf(context).MSet(Db(context), *pairs);
  if (ReplyIfError(status, context.reply)) return;
  NoteWrites(context, *pairs, created);
  context.reply->Ok();
}

void MSetNx(CommandContext& context) {
  std::optional<std::span<const std::string>> pairs = KeyValuePairs(context);
  if (!pairs.has_value()) return;
  NewKeyEvents created(context);
  ProbeKeys(created, *pairs);
  bool written = false;
  Status status = StringsOf(context).MSetNX(Db(context), *pairs, &written);
  if (ReplyIfError(status, context.reply)) return;
  if (written) NoteWrites(context, *pairs, created);
  context.reply->Integer(written ? 1 : 0);
}

// --- Byte ranges: APPEND, SETRANGE, GETRANGE/SUBSTR, STRLEN ----------------------------------

// The events of a write that stored key: "new" if it created it, then `event` (class $).
void NotifyStringWrite(CommandContext& context, NewKeyEvents& created, std::string_view event) {
  created.Stored(context.args[1]);
  NotifyKeyspaceEvent(context, kNotifyString, event, context.args[1]);
}

void Append(CommandContext& context) {
  NewKeyEvents created(context);
  created.Probe(context.args[1]);
  int64_t length = 0;
  Status status = StringsOf(context).Append(Db(context), context.args[1], context.args[2], &length,
                                            MaxStringSize(context));
  if (ReplyIfError(status, context.reply)) return;
  NoteWrite(context, context.args[1]);
  NotifyStringWrite(context, created, "append");
  context.reply->Integer(length);
}

void SetRange(CommandContext& context) {
  int64_t offset = 0;
  if (!ParseInt64(context.args[2], &offset)) {
    context.reply->Error(kErrNotInteger);
    return;
  }
  const std::string& value = context.args[3];
  NewKeyEvents created(context);
  created.Probe(context.args[1]);
  int64_t length = 0;
  Status status = StringsOf(context).SetRange(Db(context), context.args[1], offset, value, &length,
                                              MaxStringSize(context));
  if (ReplyIfError(status, context.reply)) return;
  // An empty value on a missing key creates nothing.
  if (!value.empty() || length > 0) NoteWrite(context, context.args[1]);
  // An empty value changes nothing, so Redis emits nothing.
  if (!value.empty()) NotifyStringWrite(context, created, "setrange");
  context.reply->Integer(length);
}

// GETRANGE and its alias SUBSTR.
void GetRange(CommandContext& context) {
  int64_t start = 0;
  int64_t end = 0;
  if (!ParseInt64(context.args[2], &start) || !ParseInt64(context.args[3], &end)) {
    context.reply->Error(kErrNotInteger);
    return;
  }
  std::string range;
  Status status = StringsOf(context).GetRange(Db(context), context.args[1], start, end, &range);
  // The engine answers "" for a missing key, so an empty range is taken for a miss.
  CountRead(context, context.args[1], status.IsWrongType() || !range.empty());
  if (!ReplyIfError(status, context.reply)) context.reply->Bulk(range);
}

void Strlen(CommandContext& context) {
  int64_t length = 0;
  Status status = StringsOf(context).Strlen(Db(context), context.args[1], &length);
  // The engine answers 0 for a missing key, so an empty string is taken for a miss.
  CountRead(context, context.args[1], status.IsWrongType() || length > 0);
  if (!ReplyIfError(status, context.reply)) context.reply->Integer(length);
}

// --- Counters -------------------------------------------------------------------------------

void ApplyIncrement(CommandContext& context, int64_t delta) {
  NewKeyEvents created(context);
  created.Probe(context.args[1]);
  int64_t result = 0;
  Status status = StringsOf(context).IncrBy(Db(context), context.args[1], delta, &result);
  if (ReplyIfError(status, context.reply)) return;
  NoteWrite(context, context.args[1]);
  NotifyStringWrite(context, created, "incrby");
  context.reply->Integer(result);
}

void Incr(CommandContext& context) { ApplyIncrement(context, 1); }
void Decr(CommandContext& context) { ApplyIncrement(context, -1); }

void IncrBy(CommandContext& context) {
  int64_t delta = 0;
  if (!ParseInt64(context.args[2], &delta)) {
    context.reply->Error(kErrNotInteger);
    return;
  }
  ApplyIncrement(context, delta);
}

void DecrBy(CommandContext& context) {
  int64_t delta = 0;
  if (!ParseInt64(context.args[2], &delta)) {
    context.reply->Error(kErrNotInteger);
  } else if (delta == std::numeric_limits<int64_t>::min()) {
    context.reply->Error("ERR decrement would overflow");  // -delta does not exist
  } else {
    ApplyIncrement(context, -delta);
  }
}

// Redis checks the key's type before it parses the increment: a bad increment on a key of
// another type is WRONGTYPE.
void IncrByFloat(CommandContext& context) {
  const std::string& key = context.args[1];
  long double increment = 0;
  if (!ParseLongDouble(context.args[2], &increment)) {
    std::string ignored;
    Status status = StringsOf(context).Get(Db(context), key, &ignored);
    if (status.ok() || status.IsNotFound() || !ReplyIfError(status, context.reply)) {
      context.reply->Error(kErrNotFloat);
    }
    return;
  }
  NewKeyEvents created(context);
  created.Probe(key);
  std::string stored;
  Status status = StringsOf(context).IncrByFloat(Db(context), key, increment, &stored);
  if (ReplyIfError(status, context.reply)) return;
  NoteWrite(context, key);
  NotifyStringWrite(context, created, "incrbyfloat");
  context.reply->Bulk(stored);
}

}  // namespace

void RegisterStringCommands(CommandRegistry& registry) {
  registry.Add("APPEND", &Append);
  registry.Add("DECR", &Decr);
  registry.Add("DECRBY", &DecrBy);
  registry.Add("GET", &Get);
  registry.Add("GETDEL", &GetDel);
  registry.Add("GETEX", &GetEx);
  registry.Add("GETRANGE", &GetRange);
  registry.Add("GETSET", &GetSet);
  registry.Add("INCR", &Incr);
  registry.Add("INCRBY", &IncrBy);
  registry.Add("INCRBYFLOAT", &IncrByFloat);
  registry.Add("LCS", &LcsCommand);
  registry.Add("MGET", &MGet);
  registry.Add("MSET", &MSet);
  registry.Add("MSETNX", &MSetNx);
  registry.Add("PSETEX", &PSetEx);
  registry.Add("SET", &Set);
  registry.Add("SETEX", &SetEx);
  registry.Add("SETNX", &SetNx);
  registry.Add("SETRANGE", &SetRange);
  registry.Add("STRLEN", &Strlen);
  registry.Add("SUBSTR", &GetRange);
}

}  // namespace cairn
