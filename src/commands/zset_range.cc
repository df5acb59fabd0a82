// Sorted-set group, ranges: ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES), ZRANGESTORE,
// ZRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGE, ZREVRANGEBYSCORE, ZREVRANGEBYLEX, ZCOUNT,
// ZLEXCOUNT, ZREMRANGEBYRANK, ZREMRANGEBYSCORE, ZREMRANGEBYLEX. One parser, Redis's
// zrangeGenericCommand, serves every ZRANGE form so they share its checks and their order.
#include <cstdint>
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

enum class RangeKind { kAuto, kRank, kScore, kLex };
enum class Direction { kAuto, kForward, kReverse };

struct RangeCommand {
  size_t key_index;  // the source key; min and max follow it
  bool store;
  RangeKind kind;
  Direction direction;
};

struct ParsedRange {
  ZRangeSpec spec;
  bool with_scores = false;
};

// Step 1 of zrangeGenericCommand: the options after <key> <min> <max>. Replies and returns
// false on a bad option.
bool ParseRangeOptions(CommandContext& context, RangeCommand* command, ParsedRange* parsed) {
  const std::vector<std::string>& args = context.args;
  for (size_t j = command->key_index + 3; j < args.size(); ++j) {
    const std::string& word = args[j];
    size_t left = args.size() - j - 1;
    if (!command->store && EqualsIgnoreCase(word, "WITHSCORES")) {
      parsed->with_scores = true;
    } else if (EqualsIgnoreCase(word, "LIMIT") && left >= 2) {
      if (!ParseInt64(args[j + 1], &parsed->spec.offset) ||
          !ParseInt64(args[j + 2], &parsed->spec.limit)) {
        context.reply->Error(kErrNotInteger);
        return false;
      }
      j += 2;
    } else if (command->direction == Direction::kAuto && EqualsIgnoreCase(word, "REV")) {
      command->direction = Direction::kReverse;
    } else if (command->kind == RangeKind::kAuto && EqualsIgnoreCase(word, "BYLEX")) {
      command->kind = RangeKind::kLex;
    } else if (command->kind == RangeKind::kAuto && EqualsIgnoreCase(word, "BYSCORE")) {
      command->kind = RangeKind::kScore;
    } else {
      context.reply->Error(kErrSyntax);
      return false;
    }
  }
  return true;
}

// Redis's zrangeGenericCommand up to the key lookup: options, conflicts, then the range.
bool ParseRange(CommandContext& context, RangeCommand command, ParsedRange* parsed) {
  parsed->spec.limit = -1;
  if (!ParseRangeOptions(context, &command, parsed)) return false;
  if (command.kind == RangeKind::kAuto) command.kind = RangeKind::kRank;
  ZRangeSpec& spec = parsed->spec;
  spec.reverse = command.direction == Direction::kReverse;
  // As in Redis, "LIMIT x -1" is no limit, so it passes here too.
  if (spec.limit != -1 && command.kind == RangeKind::kRank) {
    context.reply->Error(
        "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
    return false;
  }
  if (parsed->with_scores && command.kind == RangeKind::kLex) {
    context.reply->Error("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
    return false;
  }
  const std::string* min = &context.args[command.key_index + 1];
  const std::string* max = &context.args[command.key_index + 2];
  // Reverse score and lex ranges are written max first.
  if (spec.reverse && command.kind != RangeKind::kRank) std::swap(min, max);
  switch (command.kind) {
    case RangeKind::kAuto:
    case RangeKind::kRank:
      spec.by = ZRangeSpec::By::kRank;
      if (ParseInt64(*min, &spec.start) && ParseInt64(*max, &spec.stop)) return true;
      context.reply->Error(kErrNotInteger);
      return false;
    case RangeKind::kScore:
      spec.by = ZRangeSpec::By::kScore;
      if (ParseScoreBound(*min, &spec.score.min) && ParseScoreBound(*max, &spec.score.max)) {
        return true;
      }
      context.reply->Error(kErrScoreRange);
      return false;
    case RangeKind::kLex:
      break;
  }
  spec.by = ZRangeSpec::By::kLex;
  if (ParseLexBound(*min, &spec.lex.min) && ParseLexBound(*max, &spec.lex.max)) return true;
  context.reply->Error(kErrLexRange);
  return false;
}

void RangeGeneric(CommandContext& context, RangeCommand command) {
  ParsedRange parsed;
  if (!ParseRange(context, command, &parsed)) return;
  const std::string& source = context.args[command.key_index];
  Status status = CountZSetRead(context, source);
  if (ReplyIfError(status, context.reply)) return;
  if (!command.store) {
    std::vector<ScoredMember> members;
    status = ZSetsOf(context).Range(Db(context), source, parsed.spec, &members);
    if (ReplyIfError(status, context.reply)) return;
    ReplyScoredMembers(context.reply, members, parsed.with_scores);
    return;
  }
  const std::string& destination = context.args[1];
  NewKeyEvents created(context);
  created.Probe(destination);
  bool existed = !ExistingKeysIfWanted(context, kNotifyGeneric, {&destination, 1}).empty();
  uint64_t stored = 0;
  status = ZSetsOf(context).RangeStore(Db(context), destination, source, parsed.spec, &stored);
  if (ReplyIfError(status, context.reply)) return;
  if (stored > 0) {
    context.server->storage().RecordAccess(Db(context), destination);
    created.Stored(destination);
    NotifyKeyspaceEvent(context, kNotifyZset, "zrangestore", destination);
  } else if (existed) {
    NotifyKeyspaceEvent(context, kNotifyGeneric, "del", destination);
  }
  context.reply->Integer(static_cast<int64_t>(stored));
}

void ZRange(CommandContext& context) {
  RangeGeneric(context, {1, false, RangeKind::kAuto, Direction::kAuto});
}
void ZRangeStore(CommandContext& context) {
  RangeGeneric(context, {2, true, RangeKind::kAuto, Direction::kAuto});
}
void ZRangeByScore(CommandContext& context) {
  RangeGeneric(context, {1, false, RangeKind::kScore, Direction::kForward});
}
void ZRevRangeByScore(CommandContext& context) {
  RangeGeneric(context, {1, false, RangeKind::kScore, Direction::kReverse});
}
void ZRangeByLex(CommandContext& context) {
  RangeGeneric(context, {1, false, RangeKind::kLex, Direction::kForward});
}
void ZRevRangeByLex(CommandContext& context) {
  RangeGeneric(context, {1, false, RangeKind::kLex, Direction::kReverse});
}
void ZRevRange(CommandContext& context) {
  RangeGeneric(context, {1, false, RangeKind::kRank, Direction::kReverse});
}

// --- Counts ---------------------------------------------------------------------------------

void ZCount(CommandContext& context) {
  ScoreRange range;
  if (!ParseScoreBound(context.args[2], &range.min) ||
      !ParseScoreBound(context.args[3], &range.max)) {
    context.reply->Error(kErrScoreRange);
    return;
  }
  Status status = CountZSetRead(context, context.args[1]);
  uint64_t count = 0;
  if (status.ok()) status = ZSetsOf(context).Count(Db(context), context.args[1], range, &count);
  if (ReplyIfError(status, context.reply)) return;
  context.reply->Integer(static_cast<int64_t>(count));
}

void ZLexCount(CommandContext& context) {
  LexRange range;
  if (!ParseLexBound(context.args[2], &range.min) || !ParseLexBound(context.args[3], &range.max)) {
    context.reply->Error(kErrLexRange);
    return;
  }
  Status status = CountZSetRead(context, context.args[1]);
  uint64_t count = 0;
  if (status.ok()) status = ZSetsOf(context).LexCount(Db(context), context.args[1], range, &count);
  if (ReplyIfError(status, context.reply)) return;
  context.reply->Integer(static_cast<int64_t>(count));
}

// --- ZREMRANGEBY* ---------------------------------------------------------------------------

// Parses min/max (args[2], args[3]) as `by` wants them; replies and returns false if bad.
bool ParseRemoveRange(CommandContext& context, ZRangeSpec::By by, ZRangeSpec* spec) {
  const std::string& min = context.args[2];
  const std::string& max = context.args[3];
  spec->by = by;
  switch (by) {
    case ZRangeSpec::By::kRank:
      if (ParseInt64(min, &spec->start) && ParseInt64(max, &spec->stop)) return true;
      context.reply->Error(kErrNotInteger);
      return false;
    case ZRangeSpec::By::kScore:
      if (ParseScoreBound(min, &spec->score.min) && ParseScoreBound(max, &spec->score.max)) {
        return true;
      }
      context.reply->Error(kErrScoreRange);
      return false;
    case ZRangeSpec::By::kLex:
      break;
  }
  if (ParseLexBound(min, &spec->lex.min) && ParseLexBound(max, &spec->lex.max)) return true;
  context.reply->Error(kErrLexRange);
  return false;
}

void RemoveRangeGeneric(CommandContext& context, ZRangeSpec::By by, std::string_view event) {
  ZRangeSpec spec;
  if (!ParseRemoveRange(context, by, &spec)) return;
  uint64_t removed = 0;
  Status status = ZSetsOf(context).RemoveRange(Db(context), context.args[1], spec, &removed);
  if (ReplyIfError(status, context.reply)) return;
  if (removed > 0) NotifyRemoved(context, context.args[1], event);
  context.reply->Integer(static_cast<int64_t>(removed));
}

void ZRemRangeByRank(CommandContext& context) {
  RemoveRangeGeneric(context, ZRangeSpec::By::kRank, "zremrangebyrank");
}
void ZRemRangeByScore(CommandContext& context) {
  RemoveRangeGeneric(context, ZRangeSpec::By::kScore, "zremrangebyscore");
}
void ZRemRangeByLex(CommandContext& context) {
  RemoveRangeGeneric(context, ZRangeSpec::By::kLex, "zremrangebylex");
}

}  // namespace

void RegisterZSetRangeCommands(CommandRegistry& registry) {
  registry.Add("ZCOUNT", &ZCount);
  registry.Add("ZLEXCOUNT", &ZLexCount);
  registry.Add("ZRANGE", &ZRange);
  registry.Add("ZRANGEBYLEX", &ZRangeByLex);
  registry.Add("ZRANGEBYSCORE", &ZRangeByScore);
  registry.Add("ZRANGESTORE", &ZRangeStore);
  registry.Add("ZREMRANGEBYLEX", &ZRemRangeByLex);
  registry.Add("ZREMRANGEBYRANK", &ZRemRangeByRank);
  registry.Add("ZREMRANGEBYSCORE", &ZRemRangeByScore);
  registry.Add("ZREVRANGE", &ZRevRange);
  registry.Add("ZREVRANGEBYLEX", &ZRevRangeByLex);
  registry.Add("ZREVRANGEBYSCORE", &ZRevRangeByScore);
}

}  // namespace cairn
