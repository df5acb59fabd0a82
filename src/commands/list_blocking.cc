// List group, blocking: BLPOP BRPOP BLMPOP BLMOVE BRPOPLPUSH. Each first tries its
// non-blocking form (list_pop.h, so replies and keyspace events are the same); when every
// key is empty it parks the client (src/blocking.h), or inside MULTI/EXEC replies what the
// non-blocking form replies on empty lists.
#include <span>
#include <string>
#include <vector>

#include "encoding/metadata.h"
#include "src/blocking.h"
#include "src/command.h"
#include "src/commands/all_commands.h"
#include "src/commands/arguments.h"
#include "src/commands/list_pop.h"
#include "src/protocol/reply_builder.h"

namespace cairn {
namespace {

// Pops from the first non-empty list of `keys`, or parks the client on all of them.
void PopOrBlock(CommandContext& context, std::span<const std::string> keys, ListEnd end,
                uint64_t count, PopReplyShape shape, int64_t deadline_ms) {
  std::vector<std::string> retry_keys;
  std::span<const std::string> candidates = keys;
  if (IsBlockedRetry(context)) {
    retry_keys = KeysToRetry(context, keys, ValueType::kList);
    candidates = retry_keys;
  }
  if (PopFirstNonEmptyAndReply(context, candidates, end, count, shape)) return;
  if (!MayBlock(context)) {
    context.reply->NullArray();
    return;
  }
  BlockForKeys(context, keys, deadline_ms);
}

// BLPOP/BRPOP key [key ...] timeout
void BlockingPop(CommandContext& context, ListEnd end) {
  const std::vector<std::string>& args = context.args;
  int64_t deadline_ms = 0;
  if (!ParseBlockingTimeout(context, args.back(), &deadline_ms)) return;
  std::span<const std::string> keys(args.begin() + 1, args.size() - 2);
  PopOrBlock(context, keys, end, 1, PopReplyShape::kKeyAndElement, deadline_ms);
}

void BLPop(CommandContext& context) { BlockingPop(context, ListEnd::kLeft); }
void BRPop(CommandContext& context) { BlockingPop(context, ListEnd::kRight); }

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
void BLMPop(CommandContext& context) {
  int64_t deadline_ms = 0;
  if (!ParseBlockingTimeout(context, context.args[1], &deadline_ms)) return;
  MultiPopArguments parsed;
  if (!ParseMultiPopArguments(context, 2, &parsed)) return;
  PopOrBlock(context, parsed.keys, parsed.end, parsed.count, PopReplyShape::kKeyAndElements,
             deadline_ms);
}

// Moves one element (one WriteBatch: the reliable-queue pattern), or parks the client on
// the source. A missing source parks whatever the destination holds, as in Redis 7.0; a
// destination of another type is found once the source has an element.
void MoveOrBlock(CommandContext& context, ListEnd from, ListEnd to, int64_t deadline_ms) {
  const std::string& source = context.args[1];
  std::span<const std::string> source_key(&source, 1);
  bool source_usable =
      !IsBlockedRetry(context) || !KeysToRetry(context, source_key, ValueType::kList).empty();
  if (source_usable && MoveAndReply(context, source, context.args[2], from, to)) return;
  if (!MayBlock(context)) {
    context.reply->Null();  // LMOVE's reply on a missing source
    return;
  }
  BlockForKeys(context, source_key, deadline_ms);
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
void BLMove(CommandContext& context) {
  const std::vector<std::string>& args = context.args;
  ListEnd from = ListEnd::kLeft;
  ListEnd to = ListEnd::kLeft;
  if (!ParseListEnd(args[3], &from) || !ParseListEnd(args[4], &to)) {
    context.reply->Error(kErrSyntax);
    return;
  }
  int64_t deadline_ms = 0;
  if (!ParseBlockingTimeout(context, args[5], &deadline_ms)) return;
  MoveOrBlock(context, from, to, deadline_ms);
}

// BRPOPLPUSH source destination timeout
void BRPopLPush(CommandContext& context) {
  int64_t deadline_ms = 0;
  if (!ParseBlockingTimeout(context, context.args[3], &deadline_ms)) return;
  MoveOrBlock(context, ListEnd::kRight, ListEnd::kLeft, deadline_ms);
}

}  // namespace

void RegisterListBlockingCommands(CommandRegistry& registry) {
  registry.Add("BLPOP", &BLPop);
  registry.Add("BRPOP", &BRPop);
  registry.Add("BLMPOP", &BLMPop);
  registry.Add("BLMOVE", &BLMove);
  registry.Add("BRPOPLPUSH", &BRPopLPush);
}

}  // namespace cairn
