// Sorted-set group, algebra: ZUNION, ZINTER, ZDIFF (WITHSCORES), ZUNIONSTORE, ZINTERSTORE,
// ZDIFFSTORE (WEIGHTS, AGGREGATE SUM|MIN|MAX) and ZINTERCARD (LIMIT), parsed as Redis's
// zunionInterDiffGenericCommand does: numkeys, the keys' types, then the options.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "engine/storage.h"
#include "engine/zset.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/commands/zset_internal.h"
#include "src/config/options.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

int Db(const CommandContext& context) { return context.client->db(); }

enum class Output { kReply, kStore, kCardinality };

struct AlgebraCommand {
  ZSetOp op;
  Output output;
  const char* store_event;  // kStore only
};

struct ParsedAlgebra {
  ZCombineSpec spec;
  bool with_scores = false;
  uint64_t limit = 0;  // ZINTERCARD
};

// numkeys and the key list; replies and returns false when they are bad.
bool ParseKeys(CommandContext& context, size_t numkeys_index, ParsedAlgebra* parsed) {
  const std::vector<std::string>& args = context.args;
  int64_t numkeys = 0;
  if (!ParseInt64(args[numkeys_index], &numkeys)) {
    context.reply->Error(kErrNotInteger);
    return false;
  }
  if (numkeys < 1) {
    context.reply->Error("ERR at least 1 input key is needed for '" + ToLower(args[0]) +
                         "' command");
    return false;
  }
  if (static_cast<uint64_t>(numkeys) > args.size() - (numkeys_index + 1)) {
    context.reply->Error(kErrSyntax);
    return false;
  }
  parsed->spec.keys =
      std::span<const std::string>(args).subspan(numkeys_index + 1, static_cast<size_t>(numkeys));
  return true;
}

// The options after the keys, in Redis's loop; replies and returns false when bad.
bool ParseAlgebraOptions(CommandContext& context, const AlgebraCommand& command, size_t index,
                         ParsedAlgebra* parsed) {
  const std::vector<std::string>& args = context.args;
  const size_t keys = parsed->spec.keys.size();
  const bool scored = command.op != ZSetOp::kDiff && command.output != Output::kCardinality;
  while (index < args.size()) {
    const std::string& word = args[index];
    const size_t remaining = args.size() - index;
    if (scored && remaining >= keys + 1 && EqualsIgnoreCase(word, "WEIGHTS")) {
      parsed->spec.weights.assign(keys, 1.0);
      for (size_t i = 0; i < keys; ++i) {
        if (!ParseDouble(args[index + 1 + i], &parsed->spec.weights[i])) {
          context.reply->Error("ERR weight value is not a float");
          return false;
        }
      }
      index += keys + 1;
    } else if (scored && remaining >= 2 && EqualsIgnoreCase(word, "AGGREGATE")) {
      const std::string& how = args[index + 1];
      if (EqualsIgnoreCase(how, "SUM")) {
        parsed->spec.aggregate = ZAggregate::kSum;
      } else if (EqualsIgnoreCase(how, "MIN")) {
        parsed->spec.aggregate = ZAggregate::kMin;
      } else if (EqualsIgnoreCase(how, "MAX")) {
        parsed->spec.aggregate = ZAggregate::kMax;
      } else {
        context.reply->Error(kErrSyntax);
        return false;
      }
      index += 2;
    } else if (command.output == Output::kReply && EqualsIgnoreCase(word, "WITHSCORES")) {
      parsed->with_scores = true;
      index += 1;
    } else if (command.output == Output::kCardinality && remaining >= 2 &&
               EqualsIgnoreCase(word, "LIMIT")) {
      int64_t limit = 0;
      if (!ParseInt64(args[index + 1], &limit) || limit < 0) {
        context.reply->Error("ERR LIMIT can't be negative");
        return false;
      }
      parsed->limit = static_cast<uint64_t>(limit);
      index += 2;
    } else {
      context.reply->Error(kErrSyntax);
      return false;
    }
  }
  return true;
}

void StoreAndReply(CommandContext& context, const AlgebraCommand& command,
                   const ParsedAlgebra& parsed) {
  const std::string& destination = context.args[1];
  NewKeyEvents created(context);
  created.Probe(destination);
  bool existed = !ExistingKeysIfWanted(context, kNotifyGeneric, {&destination, 1}).empty();
  uint64_t stored = 0;
  Status status = ZSetsOf(context).CombineStore(Db(context), destination, parsed.spec, &stored);
  if (ReplyIfError(status, context.reply)) return;
  if (stored > 0) {
    context.server->storage().RecordAccess(Db(context), destination);
    created.Stored(destination);
    NotifyKeyspaceEvent(context, kNotifyZset, command.store_event, destination);
  } else if (existed) {
    NotifyKeyspaceEvent(context, kNotifyGeneric, "del", destination);
  }
  context.reply->Integer(static_cast<int64_t>(stored));
}

void AlgebraGeneric(CommandContext& context, const AlgebraCommand& command) {
  const size_t numkeys_index = command.output == Output::kStore ? 2 : 1;
  ParsedAlgebra parsed;
  parsed.spec.op = command.op;
  if (!ParseKeys(context, numkeys_index, &parsed)) return;
  std::vector<bool> found;
  Status status = ZSetsOf(context).CheckCombineSources(Db(context), parsed.spec.keys, &found);
  // The STORE forms look their inputs up for writing, which counts no hits or misses.
  if (command.output != Output::kStore) {
    for (size_t i = 0; i < found.size(); ++i) CountLookup(context, parsed.spec.keys[i], found[i]);
  }
  if (ReplyIfError(status, context.reply)) return;
  if (!ParseAlgebraOptions(context, command, numkeys_index + 1 + parsed.spec.keys.size(),
                           &parsed)) {
    return;
  }
  if (command.output == Output::kStore) {
    StoreAndReply(context, command, parsed);
    return;
  }
  if (command.output == Output::kCardinality) {
    uint64_t cardinality = 0;
    status = ZSetsOf(context).InterCard(Db(context), parsed.spec.keys, parsed.limit, &cardinality);
    if (ReplyIfError(status, context.reply)) return;
    context.reply->Integer(static_cast<int64_t>(cardinality));
    return;
  }
  std::vector<ScoredMember> result;
  status = ZSetsOf(context).Combine(Db(context), parsed.spec, &result);
  if (ReplyIfError(status, context.reply)) return;
  ReplyScoredMembers(context.reply, result, parsed.with_scores);
}

void ZUnion(CommandContext& context) {
  AlgebraGeneric(context, {ZSetOp::kUnion, Output::kReply, nullptr});
}
void ZInter(CommandContext& context) {
  AlgebraGeneric(context, {ZSetOp::kInter, Output::kReply, nullptr});
}
void ZDiff(CommandContext& context) {
  AlgebraGeneric(context, {ZSetOp::kDiff, Output::kReply, nullptr});
}
void ZUnionStore(CommandContext& context) {
  AlgebraGeneric(context, {ZSetOp::kUnion, Output::kStore, "zunionstore"});
}
void ZInterStore(CommandContext& context) {
  AlgebraGeneric(context, {ZSetOp::kInter, Output::kStore, "zinterstore"});
}
void ZDiffStore(CommandContext& context) {
  AlgebraGeneric(context, {ZSetOp::kDiff, Output::kStore, "zdiffstore"});
}
void ZInterCard(CommandContext& context) {
  AlgebraGeneric(context, {ZSetOp::kInter, Output::kCardinality, nullptr});
}

}  // namespace

void RegisterZSetStoreCommands(CommandRegistry& registry) {
  registry.Add("ZDIFF", &ZDiff);
  registry.Add("ZDIFFSTORE", &ZDiffStore);
  registry.Add("ZINTER", &ZInter);
  registry.Add("ZINTERCARD", &ZInterCard);
  registry.Add("ZINTERSTORE", &ZInterStore);
  registry.Add("ZUNION", &ZUnion);
  registry.Add("ZUNIONSTORE", &ZUnionStore);
}

}  // namespace cairn
