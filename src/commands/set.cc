// Set group: SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS, SMOVE, SPOP, SRANDMEMBER,
// SINTER, SINTERCARD, SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE (SSCAN lives with
// the other member scans). Arguments are checked in Redis 7.0's order, replies have its RESP3
// shapes (sets for SMEMBERS, the algebra and SPOP with a count; an array for SRANDMEMBER),
// and each write emits the keyspace events Redis emits, in its order.
#include "engine/set.h"

#include <cstdint>
#include <limits>
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

constexpr char kErrNotPositive[] = "ERR value is out of range, must be positive";

Sets& SetsOf(CommandContext& context) { return context.server->storage().sets(); }
int Db(const CommandContext& context) { return context.client->db(); }

// A write that leaves the key in place counts as a use for OBJECT IDLETIME/FREQ.
void NoteWrite(CommandContext& context, std::string_view key) {
  context.server->storage().RecordAccess(Db(context), key);
}

// Redis's lookupKeyRead finds keys of any type, so WRONGTYPE still counts as a hit.
void CountRead(CommandContext& context, std::string_view key, const Status& status, bool exists) {
  CountLookup(context, key, exists || status.IsWrongType());
}

// One hit or miss per key an algebra command looked up, in its order.
void CountReads(CommandContext& context, std::span<const std::string> keys,
                const KeyLookups& lookups) {
  for (size_t i = 0; i < lookups.size() && i < keys.size(); ++i) {
    CountLookup(context, keys[i], lookups[i]);
  }
}

void ReplyMembers(ReplyBuilder* reply, const std::vector<std::string>& members, bool as_set) {
  if (as_set) {
    reply->SetHeader(members.size());
  } else {
    reply->ArrayHeader(members.size());
  }
  for (const std::string& member : members) reply->Bulk(member);
}

// The keys from args[first] to the end.
std::span<const std::string> KeysFrom(const CommandContext& context, size_t first) {
  return std::span<const std::string>(context.args).subspan(first);
}

// --- Single-key writes -------------------------------------------------------------------

void SAdd(CommandContext& context) {
  const std::string& key = context.args[1];
  uint64_t added = 0;
  bool created = false;
  Status status = SetsOf(context).Add(Db(context), key, KeysFrom(context, 2), &added, &created);
  if (ReplyIfError(status, context.reply)) return;
  NoteWrite(context, key);
  if (created) NotifyKeyspaceEvent(context, kNotifyNew, "new", key);
  if (added > 0) NotifyKeyspaceEvent(context, kNotifySet, "sadd", key);
  context.reply->Integer(static_cast<int64_t>(added));
}

void SRem(CommandContext& context) {
  const std::string& key = context.args[1];
  uint64_t removed = 0;
  bool deleted = false;
  Status status =
      SetsOf(context).Remove(Db(context), key, KeysFrom(context, 2), &removed, &deleted);
  if (ReplyIfError(status, context.reply)) return;
  if (removed > 0 && !deleted) NoteWrite(context, key);
  if (removed > 0) NotifyKeyspaceEvent(context, kNotifySet, "srem", key);
  if (deleted) NotifyKeyspaceEvent(context, kNotifyGeneric, "del", key);
  context.reply->Integer(static_cast<int64_t>(removed));
}

// Redis answers 0 for a missing source without looking at the destination's type, and a
// move within one key changes nothing.
void SMove(CommandContext& context) {
  const std::string& source = context.args[1];
  const std::string& destination = context.args[2];
  SetMoveResult result;
  Status status = SetsOf(context).Move(Db(context), source, destination, context.args[3], &result);
  if (ReplyIfError(status, context.reply)) return;
  if (result.moved && source != destination) {
    if (!result.source_deleted) NoteWrite(context, source);
    NoteWrite(context, destination);
    NotifyKeyspaceEvent(context, kNotifySet, "srem", source);
    if (result.source_deleted) NotifyKeyspaceEvent(context, kNotifyGeneric, "del", source);
    if (result.destination_created) NotifyKeyspaceEvent(context, kNotifyNew, "new", destination);
    if (result.added) NotifyKeyspaceEvent(context, kNotifySet, "sadd", destination);
  }
  context.reply->Integer(result.moved ? 1 : 0);
}

// The optional count argument of SPOP and SRANDMEMBER (args[2]); false once the error is
// replied: a syntax error for more arguments, `invalid_count` for a count that does not parse.
bool ParseOptionalCount(CommandContext& context, const char* invalid_count, bool* with_count,
                        int64_t* count) {
  if (context.args.size() > 3) {
    context.reply->Error(kErrSyntax);
    return false;
  }
  *with_count = context.args.size() == 3;
  if (*with_count && !ParseInt64(context.args[2], count)) {
    context.reply->Error(invalid_count);
    return false;
  }
  return true;
}

// SPOP key [count]: without a count a bulk (or nil), with one a set. The count is checked
// before the key's type.
void SPop(CommandContext& context) {
  const std::string& key = context.args[1];
  bool with_count = false;
  int64_t count = 1;
  if (!ParseOptionalCount(context, kErrNotPositive, &with_count, &count)) return;
  if (count < 0) {
    context.reply->Error(kErrNotPositive);
    return;
  }
  std::vector<std::string> popped;
  bool deleted = false;
  Status status =
      SetsOf(context).Pop(Db(context), key, static_cast<uint64_t>(count), &popped, &deleted);
  if (ReplyIfError(status, context.reply)) return;
  if (!popped.empty()) {
    if (!deleted) NoteWrite(context, key);
    NotifyKeyspaceEvent(context, kNotifySet, "spop", key);
    if (deleted) NotifyKeyspaceEvent(context, kNotifyGeneric, "del", key);
  }
  if (with_count) {
    ReplyMembers(context.reply, popped, /*as_set=*/true);
  } else if (popped.empty()) {
    context.reply->Null();
  } else {
    context.reply->Bulk(popped.front());
  }
}

// --- Single-key reads --------------------------------------------------------------------

void SCard(CommandContext& context) {
  uint64_t size = 0;
  Status status = SetsOf(context).Card(Db(context), context.args[1], &size);
  CountRead(context, context.args[1], status, size > 0);
  if (!ReplyIfError(status, context.reply)) context.reply->Integer(static_cast<int64_t>(size));
}

// SISMEMBER replies one integer, SMISMEMBER an array of them.
void ReplyMembership(CommandContext& context, bool as_array) {
  const std::string& key = context.args[1];
  std::vector<bool> flags;
  bool exists = false;
  Status status = SetsOf(context).IsMember(Db(context), key, KeysFrom(context, 2), &flags, &exists);
  CountRead(context, key, status, exists);
  if (ReplyIfError(status, context.reply)) return;
  if (as_array) context.reply->ArrayHeader(flags.size());
  for (bool flag : flags) context.reply->Integer(flag ? 1 : 0);
}

void SIsMember(CommandContext& context) { ReplyMembership(context, /*as_array=*/false); }
void SMIsMember(CommandContext& context) { ReplyMembership(context, /*as_array=*/true); }

// SRANDMEMBER key [count]: without a count a bulk (or nil), with one an array; a negative
// count allows repeats, and -2^63 has no positive counterpart.
void SRandMember(CommandContext& context) {
  const std::string& key = context.args[1];
  bool with_count = false;
  int64_t count = 1;
  if (!ParseOptionalCount(context, kErrNotInteger, &with_count, &count)) return;
  if (count == std::numeric_limits<int64_t>::min()) {
    context.reply->Error(
        "ERR value is out of range, value must between -9223372036854775807 and "
        "9223372036854775807");
    return;
  }
  std::vector<std::string> members;
  bool exists = false;
  Status status = SetsOf(context).RandomMembers(Db(context), key, count, &members, &exists);
  CountRead(context, key, status, exists);
  if (ReplyIfError(status, context.reply)) return;
  if (with_count) {
    ReplyMembers(context.reply, members, /*as_set=*/false);
  } else if (members.empty()) {
    context.reply->Null();
  } else {
    context.reply->Bulk(members.front());
  }
}

// --- Algebra -----------------------------------------------------------------------------

void ReplyCombination(CommandContext& context, SetOperation op, size_t first_key) {
  std::span<const std::string> keys = KeysFrom(context, first_key);
  std::vector<std::string> members;
  KeyLookups lookups;
  Status status = SetsOf(context).Combine(Db(context), op, keys, &members, &lookups);
  CountReads(context, keys, lookups);
  if (!ReplyIfError(status, context.reply)) ReplyMembers(context.reply, members, /*as_set=*/true);
}

void SMembers(CommandContext& context) { ReplyCombination(context, SetOperation::kUnion, 1); }
void SInter(CommandContext& context) { ReplyCombination(context, SetOperation::kInter, 1); }
void SUnion(CommandContext& context) { ReplyCombination(context, SetOperation::kUnion, 1); }
void SDiff(CommandContext& context) { ReplyCombination(context, SetOperation::kDiff, 1); }

// The *STORE commands: "new" and the command's event when the destination got members,
// "del" when an empty result removed an existing destination.
void StoreCombination(CommandContext& context, SetOperation op, std::string_view event) {
  const std::string& destination = context.args[1];
  std::span<const std::string> keys = KeysFrom(context, 2);
  SetStoreResult result;
  KeyLookups lookups;
  Status status = SetsOf(context).Store(Db(context), op, destination, keys, &result, &lookups);
  CountReads(context, keys, lookups);
  if (ReplyIfError(status, context.reply)) return;
  if (result.size > 0) {
    NoteWrite(context, destination);
    if (!result.destination_existed) {
      NotifyKeyspaceEvent(context, kNotifyNew, "new", destination);
    }
    NotifyKeyspaceEvent(context, kNotifySet, event, destination);
  } else if (result.destination_existed) {
    NotifyKeyspaceEvent(context, kNotifyGeneric, "del", destination);
  }
  context.reply->Integer(static_cast<int64_t>(result.size));
}

void SInterStore(CommandContext& context) {
  StoreCombination(context, SetOperation::kInter, "sinterstore");
}
void SUnionStore(CommandContext& context) {
  StoreCombination(context, SetOperation::kUnion, "sunionstore");
}
void SDiffStore(CommandContext& context) {
  StoreCombination(context, SetOperation::kDiff, "sdiffstore");
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]. A bad numkeys is reported before anything
// else (the dispatcher then locked no keys, so no key may be read).
void SInterCard(CommandContext& context) {
  const std::vector<std::string>& args = context.args;
  int64_t numkeys = 0;
  if (!ParseInt64(args[1], &numkeys) || numkeys < 1) {
    context.reply->Error("ERR numkeys should be greater than 0");
    return;
  }
  if (numkeys > static_cast<int64_t>(args.size()) - 2) {
    context.reply->Error("ERR Number of keys can't be greater than number of args");
    return;
  }
  int64_t limit = 0;
  for (size_t j = 2 + static_cast<size_t>(numkeys); j < args.size(); ++j) {
    bool has_value = j + 1 < args.size();
    if (!EqualsIgnoreCase(args[j], "LIMIT") || !has_value) {
      context.reply->Error(kErrSyntax);
      return;
    }
    if (!ParseInt64(args[++j], &limit) || limit < 0) {
      context.reply->Error("ERR LIMIT can't be negative");
      return;
    }
  }
  std::span<const std::string> keys = KeysFrom(context, 2).first(static_cast<size_t>(numkeys));
  uint64_t cardinality = 0;
  KeyLookups lookups;
  Status status = SetsOf(context).InterCard(Db(context), keys, static_cast<uint64_t>(limit),
                                            &cardinality, &lookups);
  CountReads(context, keys, lookups);
  if (!ReplyIfError(status, context.reply)) {
    context.reply->Integer(static_cast<int64_t>(cardinality));
  }
}

}  // namespace

void RegisterSetCommands(CommandRegistry& registry) {
  registry.Add("SADD", &SAdd);
  registry.Add("SCARD", &SCard);
  registry.Add("SDIFF", &SDiff);
  registry.Add("SDIFFSTORE", &SDiffStore);
  registry.Add("SINTER", &SInter);
  registry.Add("SINTERCARD", &SInterCard);
  registry.Add("SINTERSTORE", &SInterStore);
  registry.Add("SISMEMBER", &SIsMember);
  registry.Add("SMEMBERS", &SMembers);
  registry.Add("SMISMEMBER", &SMIsMember);
  registry.Add("SMOVE", &SMove);
  registry.Add("SPOP", &SPop);
  registry.Add("SRANDMEMBER", &SRandMember);
  registry.Add("SREM", &SRem);
  registry.Add("SUNION", &SUnion);
  registry.Add("SUNIONSTORE", &SUnionStore);
}

}  // namespace cairn
