// Sorted-set group, blocking: BZPOPMIN BZPOPMAX BZMPOP. Each first tries its non-blocking
// form (zset_pop.h, so replies and keyspace events are the same); when every key is empty it
// parks the client (src/blocking.h), or inside MULTI/EXEC replies a null array.
#include <span>
#include <string>
#include <vector>

#include "encoding/metadata.h"
#include "engine/status.h"
#include "engine/zset.h"
#include "src/blocking.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/all_commands.h"
#include "src/commands/arguments.h"
#include "src/commands/zset_internal.h"
#include "src/commands/zset_pop.h"
#include "src/protocol/reply_builder.h"

namespace cairn {
namespace {

// On a retry only the keys still missing or holding a sorted set are looked at.
std::span<const std::string> Candidates(CommandContext& context, std::span<const std::string> keys,
                                        std::vector<std::string>* storage) {
  if (!IsBlockedRetry(context)) return keys;
  *storage = KeysToRetry(context, keys, ValueType::kZSet);
  return *storage;
}

// Pops the lowest/highest member of the first non-empty sorted set and replies
// [key, member, score]; false, having replied nothing, when all are empty.
bool PopOneAndReply(CommandContext& context, std::span<const std::string> keys, bool max) {
  for (const std::string& key : keys) {
    std::vector<ScoredMember> popped;
    Status status = ZSetsOf(context).Pop(context.client->db(), key, max, 1, &popped);
    if (ReplyIfError(status, context.reply)) return true;
    if (popped.empty()) continue;
    context.reply->ArrayHeader(3);
    context.reply->Bulk(key);
    context.reply->Bulk(popped.front().member);
    context.reply->Double(popped.front().score);
    NotifyRemoved(context, key, max ? "zpopmax" : "zpopmin");
    return true;
  }
  return false;
}

void BlockOrReplyEmpty(CommandContext& context, std::span<const std::string> keys,
                       int64_t deadline_ms) {
  if (MayBlock(context)) {
    BlockForKeys(context, keys, deadline_ms);
  } else {
    context.reply->NullArray();
  }
}

// BZPOPMIN/BZPOPMAX key [key ...] timeout
void BlockingZPop(CommandContext& context, bool max) {
  const std::vector<std::string>& args = context.args;
  int64_t deadline_ms = 0;
  if (!ParseBlockingTimeout(context, args.back(), &deadline_ms)) return;
  std::span<const std::string> keys(args.begin() + 1, args.size() - 2);
  std::vector<std::string> retry_keys;
  if (PopOneAndReply(context, Candidates(context, keys, &retry_keys), max)) return;
  BlockOrReplyEmpty(context, keys, deadline_ms);
}

void BZPopMin(CommandContext& context) { BlockingZPop(context, false); }
void BZPopMax(CommandContext& context) { BlockingZPop(context, true); }

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
void BZMPop(CommandContext& context) {
  int64_t deadline_ms = 0;
  if (!ParseBlockingTimeout(context, context.args[1], &deadline_ms)) return;
  ZMPopArguments parsed;
  if (!ParseZMPopArguments(context, 2, &parsed)) return;
  std::vector<std::string> retry_keys;
  std::span<const std::string> candidates = Candidates(context, parsed.keys, &retry_keys);
  if (PopFirstNonEmptyZSetAndReply(context, candidates, parsed.max, parsed.count)) return;
  BlockOrReplyEmpty(context, parsed.keys, deadline_ms);
}

}  // namespace

void RegisterZSetBlockingCommands(CommandRegistry& registry) {
  registry.Add("BZPOPMIN", &BZPopMin);
  registry.Add("BZPOPMAX", &BZPopMax);
  registry.Add("BZMPOP", &BZMPop);
}

}  // namespace cairn
