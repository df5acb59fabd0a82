// Sorted-set group, member commands: ZADD (NX XX GT LT CH INCR), ZINCRBY, ZREM, ZCARD,
// ZSCORE, ZMSCORE, ZRANK, ZREVRANK, ZRANDMEMBER, plus what the group's files share (range
// parsing, reply shapes) and RegisterZSetCommands. Ranges are in zset_range.cc, the set
// algebra in zset_store.cc, pops in zset_pop.cc. Arguments are checked in the order Redis
// 7.0 (t_zset.c) checks them; events are the ones Redis emits.
#include "engine/zset.h"

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/status.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/all_commands.h"
#include "src/commands/arguments.h"
#include "src/commands/zset_internal.h"
#include "src/config/options.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {

// --- Shared by the group ------------------------------------------------------------------

ZSets& ZSetsOf(CommandContext& context) { return context.server->storage().zsets(); }

bool ParseScoreBound(const std::string& text, ScoreBound* bound) {
  const char* start = text.c_str();
  bound->exclusive = start[0] == '(';
  if (bound->exclusive) ++start;
  char* end = nullptr;
  double value = strtod(start, &end);
  if (end[0] != '\0' || std::isnan(value)) return false;
  // -0 and 0 are one score, and the order index knows only 0.
  bound->value = value == 0 ? 0.0 : value;
  return true;
}

bool ParseLexBound(const std::string& text, LexBound* bound) {
  // C-string rules, as in Redis: "+" and "-" must end at the first NUL.
  switch (text.empty() ? '\0' : text[0]) {
    case '+':
    case '-':
      if (text.size() > 1 && text[1] != '\0') return false;
      bound->kind = text[0] == '+' ? LexBound::Kind::kPlusInfinity : LexBound::Kind::kMinusInfinity;
      return true;
    case '(':
    case '[':
      bound->kind = text[0] == '(' ? LexBound::Kind::kExclusive : LexBound::Kind::kInclusive;
      bound->value = text.substr(1);
      return true;
    default:
      return false;
  }
}

void ReplyScoredMembers(ReplyBuilder* reply, const std::vector<ScoredMember>& members,
                        bool with_scores) {
  const bool pairs = with_scores && reply->protocol() > 2;
  reply->ArrayHeader(with_scores && !pairs ? members.size() * 2 : members.size());
  for (const ScoredMember& entry : members) {
    if (pairs) reply->ArrayHeader(2);
    reply->Bulk(entry.member);
    if (with_scores) reply->Double(entry.score);
  }
}

Status CountZSetRead(CommandContext& context, std::string_view key) {
  uint64_t size = 0;
  Status s = ZSetsOf(context).Card(context.client->db(), key, &size);
  CountLookup(context, key, s.IsWrongType() || (s.ok() && size > 0));
  return s;
}

void NotifyRemoved(CommandContext& context, std::string_view key, std::string_view event) {
  NotifyKeyspaceEvent(context, kNotifyZset, event, key);
  uint64_t left = 0;
  Status s = ZSetsOf(context).Card(context.client->db(), key, &left);
  if (s.ok() && left == 0) {
    NotifyKeyspaceEvent(context, kNotifyGeneric, "del", key);
  } else {
    context.server->storage().RecordAccess(context.client->db(), key);
  }
}

namespace {

int Db(const CommandContext& context) { return context.client->db(); }
const std::string& Key(const CommandContext& context) { return context.args[1]; }

// --- ZADD / ZINCRBY -------------------------------------------------------------------------

struct AddFlags {
  bool nx = false;
  bool xx = false;
  bool gt = false;
  bool lt = false;
  bool ch = false;
  bool incr = false;
};

// Redis's zaddGenericCommand option loop: keywords until the first other word. Returns the
// index of the first score.
size_t ParseAddFlags(const std::vector<std::string>& args, AddFlags* flags) {
  size_t index = 2;
  for (; index < args.size(); ++index) {
    const std::string& word = args[index];
    bool* flag = EqualsIgnoreCase(word, "NX")     ? &flags->nx
                 : EqualsIgnoreCase(word, "XX")   ? &flags->xx
                 : EqualsIgnoreCase(word, "CH")   ? &flags->ch
                 : EqualsIgnoreCase(word, "INCR") ? &flags->incr
                 : EqualsIgnoreCase(word, "GT")   ? &flags->gt
                 : EqualsIgnoreCase(word, "LT")   ? &flags->lt
                                                  : nullptr;
    if (flag == nullptr) break;
    *flag = true;
  }
  return index;
}

// The option errors Redis checks before any score is parsed; empty when the flags are fine.
std::string AddFlagsError(const AddFlags& flags, size_t elements) {
  if (flags.nx && flags.xx) return "ERR XX and NX options at the same time are not compatible";
  if ((flags.gt && flags.nx) || (flags.lt && flags.nx) || (flags.gt && flags.lt)) {
    return "ERR GT, LT, and/or NX options at the same time are not compatible";
  }
  if (flags.incr && elements > 1) return "ERR INCR option supports a single increment-element pair";
  return {};
}

void AddGeneric(CommandContext& context, bool zincrby) {
  const std::vector<std::string>& args = context.args;
  AddFlags flags;
  flags.incr = zincrby;
  size_t first = ParseAddFlags(args, &flags);
  size_t elements = args.size() - first;
  if (elements % 2 != 0 || elements == 0) {
    context.reply->Error(kErrSyntax);
    return;
  }
  elements /= 2;
  if (std::string error = AddFlagsError(flags, elements); !error.empty()) {
    context.reply->Error(error);
    return;
  }
  std::vector<ScoredMember> members(elements);
  for (size_t i = 0; i < elements; ++i) {
    if (!ParseDouble(args[first + 2 * i], &members[i].score)) {
      context.reply->Error(kErrNotFloat);
      return;
    }
    members[i].member = args[first + 2 * i + 1];
  }
  ZAddOptions options;
  using Condition = ZAddOptions::Condition;
  using Compare = ZAddOptions::Compare;
  options.condition = flags.nx   ? Condition::kIfAbsent
                      : flags.xx ? Condition::kIfPresent
                                 : Condition::kAlways;
  options.compare = flags.gt ? Compare::kGreater : flags.lt ? Compare::kLess : Compare::kAny;
  options.increment = flags.incr;
  NewKeyEvents created(context);
  created.Probe(Key(context));
  ZAddResult result;
  Status status = ZSetsOf(context).Add(Db(context), Key(context), options, members, &result);
  if (ReplyIfError(status, context.reply)) return;
  if (result.added + result.updated > 0) {
    context.server->storage().RecordAccess(Db(context), Key(context));
    created.Stored(Key(context));
    NotifyKeyspaceEvent(context, kNotifyZset, flags.incr ? "zincr" : "zadd", Key(context));
  }
  if (flags.incr) {
    if (result.processed > 0) {
      context.reply->Double(result.score);
    } else {
      context.reply->Null();
    }
  } else {
    uint64_t count = flags.ch ? result.added + result.updated : result.added;
    context.reply->Integer(static_cast<int64_t>(count));
  }
}

void ZAdd(CommandContext& context) { AddGeneric(context, false); }
void ZIncrBy(CommandContext& context) { AddGeneric(context, true); }

void ZRem(CommandContext& context) {
  std::vector<std::string> members(context.args.begin() + 2, context.args.end());
  uint64_t removed = 0;
  Status status = ZSetsOf(context).Remove(Db(context), Key(context), members, &removed);
  if (ReplyIfError(status, context.reply)) return;
  if (removed > 0) NotifyRemoved(context, Key(context), "zrem");
  context.reply->Integer(static_cast<int64_t>(removed));
}

// --- Point reads ----------------------------------------------------------------------------

void ZCard(CommandContext& context) {
  uint64_t size = 0;
  Status status = ZSetsOf(context).Card(Db(context), Key(context), &size);
  CountLookup(context, Key(context), status.IsWrongType() || (status.ok() && size > 0));
  if (ReplyIfError(status, context.reply)) return;
  context.reply->Integer(static_cast<int64_t>(size));
}

void ZScore(CommandContext& context) {
  Status status = CountZSetRead(context, Key(context));
  std::optional<double> score;
  if (status.ok())
    status = ZSetsOf(context).Score(Db(context), Key(context), context.args[2], &score);
  if (ReplyIfError(status, context.reply)) return;
  if (score.has_value()) {
    context.reply->Double(*score);
  } else {
    context.reply->Null();
  }
}

void ZMScore(CommandContext& context) {
  Status status = CountZSetRead(context, Key(context));
  std::vector<std::string> members(context.args.begin() + 2, context.args.end());
  std::vector<std::optional<double>> scores;
  if (status.ok()) status = ZSetsOf(context).Scores(Db(context), Key(context), members, &scores);
  if (ReplyIfError(status, context.reply)) return;
  context.reply->ArrayHeader(scores.size());
  for (const std::optional<double>& score : scores) {
    if (score.has_value()) {
      context.reply->Double(*score);
    } else {
      context.reply->Null();
    }
  }
}

void RankGeneric(CommandContext& context, bool reverse) {
  Status status = CountZSetRead(context, Key(context));
  std::optional<uint64_t> rank;
  if (status.ok()) {
    status = ZSetsOf(context).Rank(Db(context), Key(context), context.args[2], reverse, &rank);
  }
  if (ReplyIfError(status, context.reply)) return;
  if (rank.has_value()) {
    context.reply->Integer(static_cast<int64_t>(*rank));
  } else {
    context.reply->Null();
  }
}

void ZRank(CommandContext& context) { RankGeneric(context, false); }
void ZRevRank(CommandContext& context) { RankGeneric(context, true); }

// ZRANDMEMBER key [count [WITHSCORES]].
void ZRandMember(CommandContext& context) {
  const std::vector<std::string>& args = context.args;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  int64_t count = 1;
  bool with_scores = false;
  if (args.size() >= 3) {
    if (!ParseInt64(args[2], &count)) {
      context.reply->Error(kErrNotInteger);
      return;
    }
    if (count < -kMax) {
      context.reply->Error(
          "ERR value is out of range, value must between -9223372036854775807 and "
          "9223372036854775807");
      return;
    }
    if (args.size() > 4 || (args.size() == 4 && !EqualsIgnoreCase(args[3], "WITHSCORES"))) {
      context.reply->Error(kErrSyntax);
      return;
    }
    with_scores = args.size() == 4;
    if (with_scores && (count < -kMax / 2 || count > kMax / 2)) {
      context.reply->Error("ERR value is out of range");
      return;
    }
  }
  Status status = CountZSetRead(context, Key(context));
  std::vector<ScoredMember> members;
  if (status.ok())
    status = ZSetsOf(context).RandomMembers(Db(context), Key(context), count, &members);
  if (ReplyIfError(status, context.reply)) return;
  if (args.size() >= 3) {
    ReplyScoredMembers(context.reply, members, with_scores);
  } else if (members.empty()) {
    context.reply->Null();
  } else {
    context.reply->Bulk(members.front().member);
  }
}

}  // namespace

void RegisterZSetCommands(CommandRegistry& registry) {
  registry.Add("ZADD", &ZAdd);
  registry.Add("ZCARD", &ZCard);
  registry.Add("ZINCRBY", &ZIncrBy);
  registry.Add("ZMSCORE", &ZMScore);
  registry.Add("ZRANDMEMBER", &ZRandMember);
  registry.Add("ZRANK", &ZRank);
  registry.Add("ZREM", &ZRem);
  registry.Add("ZREVRANK", &ZRevRank);
  registry.Add("ZSCORE", &ZScore);
  RegisterZSetRangeCommands(registry);
  RegisterZSetStoreCommands(registry);
  RegisterZSetPopCommands(registry);
}

}  // namespace cairn
