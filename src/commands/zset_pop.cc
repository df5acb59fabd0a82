// Sorted-set group, pops: ZPOPMIN, ZPOPMAX, ZMPOP, and the reply/event/argument helpers the
// blocking variants share (zset_pop.h).
#include "src/commands/zset_pop.h"

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "engine/status.h"
#include "engine/storage.h"
#include "engine/zset.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/commands/zset_internal.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {

void ReplyPopped(CommandContext& context, std::string_view key, bool max,
                 const std::vector<ScoredMember>& popped, bool with_key, bool pairs) {
  ReplyBuilder* reply = context.reply;
  if (with_key) {
    if (popped.empty()) {
      reply->NullArray();
      return;
    }
    reply->ArrayHeader(2);
    reply->Bulk(key);
    pairs = true;
  }
  reply->ArrayHeader(pairs ? popped.size() : popped.size() * 2);
  for (const ScoredMember& entry : popped) {
    if (pairs) reply->ArrayHeader(2);
    reply->Bulk(entry.member);
    reply->Double(entry.score);
  }
  if (!popped.empty()) NotifyRemoved(context, key, max ? "zpopmax" : "zpopmin");
}

bool ParseZMPopArguments(CommandContext& context, size_t numkeys_index, ZMPopArguments* parsed) {
  const std::vector<std::string>& args = context.args;
  int64_t numkeys = 0;
  if (!ParseInt64(args[numkeys_index], &numkeys) || numkeys < 1) {
    context.reply->Error("ERR numkeys should be greater than 0");
    return false;
  }
  // Past the arguments (also when numkeys is absurdly large): Redis's syntax error.
  size_t available = args.size() - numkeys_index - 1;
  if (static_cast<uint64_t>(numkeys) >= available) {
    context.reply->Error(kErrSyntax);
    return false;
  }
  size_t where = numkeys_index + 1 + static_cast<size_t>(numkeys);
  if (EqualsIgnoreCase(args[where], "MIN") || EqualsIgnoreCase(args[where], "MAX")) {
    parsed->max = EqualsIgnoreCase(args[where], "MAX");
  } else {
    context.reply->Error(kErrSyntax);
    return false;
  }
  bool counted = false;
  for (size_t j = where + 1; j < args.size(); ++j) {
    if (!counted && EqualsIgnoreCase(args[j], "COUNT") && j + 1 < args.size()) {
      int64_t count = 0;
      if (!ParseInt64(args[++j], &count) || count < 1) {
        context.reply->Error("ERR count should be greater than 0");
        return false;
      }
      parsed->count = static_cast<uint64_t>(count);
      counted = true;
    } else {
      context.reply->Error(kErrSyntax);
      return false;
    }
  }
  parsed->keys =
      std::span<const std::string>(args).subspan(numkeys_index + 1, static_cast<size_t>(numkeys));
  return true;
}

bool PopFirstNonEmptyZSetAndReply(CommandContext& context, std::span<const std::string> keys,
                                  bool max, uint64_t count) {
  for (const std::string& key : keys) {
    std::vector<ScoredMember> popped;
    Status status = ZSetsOf(context).Pop(context.client->db(), key, max, count, &popped);
    if (ReplyIfError(status, context.reply)) return true;
    if (popped.empty()) continue;
    ReplyPopped(context, key, max, popped, /*with_key=*/true);
    return true;
  }
  return false;
}

namespace {

// ZPOPMIN/ZPOPMAX key [count].
void PopGeneric(CommandContext& context, bool max) {
  const std::vector<std::string>& args = context.args;
  if (args.size() > 3) {
    context.reply->Error(kErrSyntax);
    return;
  }
  int64_t count = 1;
  if (args.size() == 3 && (!ParseInt64(args[2], &count) || count < 0)) {
    context.reply->Error("ERR value is out of range, must be positive");
    return;
  }
  std::vector<ScoredMember> popped;
  Status status = ZSetsOf(context).Pop(context.client->db(), args[1], max,
                                       static_cast<uint64_t>(count), &popped);
  if (ReplyIfError(status, context.reply)) return;
  // RESP3 nests [member, score] pairs only when a count was given.
  bool pairs = args.size() == 3 && context.reply->protocol() > 2;
  ReplyPopped(context, args[1], max, popped, /*with_key=*/false, pairs);
}

void ZPopMin(CommandContext& context) { PopGeneric(context, false); }
void ZPopMax(CommandContext& context) { PopGeneric(context, true); }

void ZMPop(CommandContext& context) {
  ZMPopArguments parsed;
  if (!ParseZMPopArguments(context, 1, &parsed)) return;
  if (!PopFirstNonEmptyZSetAndReply(context, parsed.keys, parsed.max, parsed.count)) {
    context.reply->NullArray();
  }
}

}  // namespace

void RegisterZSetPopCommands(CommandRegistry& registry) {
  registry.Add("ZMPOP", &ZMPop);
  registry.Add("ZPOPMAX", &ZPopMax);
  registry.Add("ZPOPMIN", &ZPopMin);
}

}  // namespace cairn
