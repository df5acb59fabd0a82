// List group, non-blocking: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LMPOP LMOVE RPOPLPUSH LLEN
// LINDEX LRANGE LPOS LINSERT LSET LREM LTRIM. Arguments are checked in the order Redis 7.0
// checks them (some commands look the key up before parsing numbers, most after), so a bad
// command gets the same error as from Redis. The pop/move tails live in list_pop.cc.
#include "engine/list.h"

#include <cstdint>
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
#include "src/commands/list_pop.h"
#include "src/config/options.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

Lists& ListsOf(CommandContext& context) { return context.server->storage().lists(); }
int Db(const CommandContext& context) { return context.client->db(); }
const std::string& Key(const CommandContext& context) { return context.args[1]; }

// A write that leaves the key in place counts as a use for OBJECT IDLETIME/FREQ.
void NoteWrite(CommandContext& context) {
  context.server->storage().RecordAccess(Db(context), Key(context));
}

// The key's length, for commands whose reply or error depends on whether it exists before
// anything else is checked. WrongType for a key of another type.
Status LengthOf(CommandContext& context, uint64_t* length) {
  return ListsOf(context).Length(Db(context), Key(context), length);
}

// The keyspace hit/miss of a read that may not have learned whether the key exists (an empty
// answer from a missing key and from a live list look alike): asks only in that case.
void CountRead(CommandContext& context, const Status& status, bool answered) {
  bool found = status.IsWrongType() || answered;
  if (status.ok() && !answered) {
    uint64_t length = 0;
    found = LengthOf(context, &length).ok() && length > 0;
  }
  CountLookup(context, Key(context), found);
}

// --- Pushes ------------------------------------------------------------------------------

void Push(CommandContext& context, ListEnd end, bool only_if_exists) {
  const std::string& key = Key(context);
  NewKeyEvents created(context);
  if (!only_if_exists) created.Probe(key);
  std::span<const std::string> elements(context.args.begin() + 2, context.args.end());
  uint64_t length = 0;
  Status status = ListsOf(context).Push(Db(context), key, end, elements, only_if_exists, &length);
  if (ReplyIfError(status, context.reply)) return;
  if (length > 0) {
    NoteWrite(context);
    created.Stored(key);
    NotifyKeyspaceEvent(context, kNotifyList, end == ListEnd::kLeft ? "lpush" : "rpush", key);
  }
  context.reply->Integer(static_cast<int64_t>(length));
}

void LPush(CommandContext& context) { Push(context, ListEnd::kLeft, false); }
void RPush(CommandContext& context) { Push(context, ListEnd::kRight, false); }
void LPushX(CommandContext& context) { Push(context, ListEnd::kLeft, true); }
void RPushX(CommandContext& context) { Push(context, ListEnd::kRight, true); }

// --- Pops and moves ----------------------------------------------------------------------

// LPOP/RPOP key 0: an empty array for a list, a null array for a missing key.
void PopNothing(CommandContext& context) {
  uint64_t length = 0;
  Status status = LengthOf(context, &length);
  if (ReplyIfError(status, context.reply)) return;
  if (length == 0) {
    context.reply->NullArray();
  } else {
    context.reply->ArrayHeader(0);
  }
}

void Pop(CommandContext& context, ListEnd end) {
  if (context.args.size() > 3) {
    context.reply->Error("ERR wrong number of arguments for '" + ToLower(context.args[0]) +
                         "' command");
    return;
  }
  bool has_count = context.args.size() == 3;
  int64_t count = 1;
  if (has_count && (!ParseInt64(context.args[2], &count) || count < 0)) {
    context.reply->Error("ERR value is out of range, must be positive");
    return;
  }
  if (count == 0) {
    PopNothing(context);
    return;
  }
  const std::string& key = Key(context);
  std::vector<std::string> popped;
  uint64_t remaining = 0;
  Status status = ListsOf(context).Pop(Db(context), key, end, static_cast<uint64_t>(count), &popped,
                                       &remaining);
  if (ReplyIfError(status, context.reply)) return;
  if (popped.empty()) {
    if (has_count) {
      context.reply->NullArray();
    } else {
      context.reply->Null();
    }
    return;
  }
  if (remaining > 0) NoteWrite(context);
  NotifyPopped(context, key, end, remaining == 0);
  if (has_count) {
    context.reply->BulkArray(popped.data(), popped.size());
  } else {
    context.reply->Bulk(popped.front());
  }
}

void LPop(CommandContext& context) { Pop(context, ListEnd::kLeft); }
void RPop(CommandContext& context) { Pop(context, ListEnd::kRight); }

void LMPop(CommandContext& context) {
  MultiPopArguments parsed;
  if (!ParseMultiPopArguments(context, 1, &parsed)) return;
  if (!PopFirstNonEmptyAndReply(context, parsed.keys, parsed.end, parsed.count,
                                PopReplyShape::kKeyAndElements)) {
    context.reply->NullArray();
  }
}

void Move(CommandContext& context, ListEnd from, ListEnd to) {
  if (!MoveAndReply(context, context.args[1], context.args[2], from, to)) context.reply->Null();
}

void LMove(CommandContext& context) {
  ListEnd from = ListEnd::kLeft;
  ListEnd to = ListEnd::kLeft;
  if (!ParseListEnd(context.args[3], &from) || !ParseListEnd(context.args[4], &to)) {
    context.reply->Error(kErrSyntax);
    return;
  }
  Move(context, from, to);
}

void RPopLPush(CommandContext& context) { Move(context, ListEnd::kRight, ListEnd::kLeft); }

// --- Reads -------------------------------------------------------------------------------

void LLen(CommandContext& context) {
  uint64_t length = 0;
  Status status = LengthOf(context, &length);
  CountLookup(context, Key(context), status.IsWrongType() || length > 0);
  if (ReplyIfError(status, context.reply)) return;
  context.reply->Integer(static_cast<int64_t>(length));
}

// Redis's LINDEX looks the key up before it parses the index.
void LIndex(CommandContext& context) {
  int64_t index = 0;
  if (!ParseInt64(context.args[2], &index)) {
    uint64_t length = 0;
    Status status = LengthOf(context, &length);
    CountLookup(context, Key(context), status.IsWrongType() || length > 0);
    if (ReplyIfError(status, context.reply)) return;
    if (length == 0) {
      context.reply->Null();
    } else {
      context.reply->Error(kErrNotInteger);
    }
    return;
  }
  std::optional<std::string> element;
  Status status = ListsOf(context).Index(Db(context), Key(context), index, &element);
  CountRead(context, status, element.has_value());
  if (ReplyIfError(status, context.reply)) return;
  if (element.has_value()) {
    context.reply->Bulk(*element);
  } else {
    context.reply->Null();
  }
}

// Parses args[first] and args[first + 1] as integers, replying the error if one is not.
bool ParseTwoIntegers(CommandContext& context, size_t first, int64_t* a, int64_t* b) {
  if (ParseInt64(context.args[first], a) && ParseInt64(context.args[first + 1], b)) return true;
  context.reply->Error(kErrNotInteger);
  return false;
}

void LRange(CommandContext& context) {
  int64_t start = 0;
  int64_t stop = 0;
  if (!ParseTwoIntegers(context, 2, &start, &stop)) return;
  std::vector<std::string> elements;
  Status status = ListsOf(context).Range(Db(context), Key(context), start, stop, &elements);
  CountRead(context, status, !elements.empty());
  if (ReplyIfError(status, context.reply)) return;
  context.reply->BulkArray(elements.data(), elements.size());
}

// LPOS's options; false when one is bad (the error has been replied).
bool ParsePosOptions(CommandContext& context, ListPosOptions* options, bool* has_count) {
  const std::vector<std::string>& args = context.args;
  for (size_t j = 3; j < args.size(); ++j) {
    const std::string& option = args[j];
    bool more = j + 1 < args.size();
    int64_t value = 0;
    if (EqualsIgnoreCase(option, "RANK") && more) {
      if (!ParseInt64(args[++j], &value)) {
        context.reply->Error(kErrNotInteger);
        return false;
      }
      if (value == 0) {
        context.reply->Error(
            "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list");
        return false;
      }
      options->rank = value;
    } else if ((EqualsIgnoreCase(option, "COUNT") || EqualsIgnoreCase(option, "MAXLEN")) && more) {
      bool is_count = EqualsIgnoreCase(option, "COUNT");
      if (!ParseInt64(args[++j], &value) || value < 0) {
        context.reply->Error(is_count ? "ERR COUNT can't be negative"
                                      : "ERR MAXLEN can't be negative");
        return false;
      }
      (is_count ? options->count : options->max_len) = static_cast<uint64_t>(value);
      if (is_count) *has_count = true;
    } else {
      context.reply->Error(kErrSyntax);
      return false;
    }
  }
  return true;
}

void LPos(CommandContext& context) {
  ListPosOptions options;
  bool has_count = false;
  if (!ParsePosOptions(context, &options, &has_count)) return;
  std::vector<int64_t> positions;
  Status status =
      ListsOf(context).Positions(Db(context), Key(context), context.args[2], options, &positions);
  CountRead(context, status, !positions.empty());
  if (ReplyIfError(status, context.reply)) return;
  if (has_count) {
    context.reply->ArrayHeader(positions.size());
    for (int64_t position : positions) context.reply->Integer(position);
  } else if (positions.empty()) {
    context.reply->Null();
  } else {
    context.reply->Integer(positions.front());
  }
}

// --- Writes in the middle ----------------------------------------------------------------

void LInsert(CommandContext& context) {
  const std::string& where = context.args[2];
  bool after = EqualsIgnoreCase(where, "AFTER");
  if (!after && !EqualsIgnoreCase(where, "BEFORE")) {
    context.reply->Error(kErrSyntax);
    return;
  }
  int64_t length = 0;
  Status status = ListsOf(context).Insert(Db(context), Key(context), after, context.args[3],
                                          context.args[4], &length);
  if (ReplyIfError(status, context.reply)) return;
  if (length > 0) {
    NoteWrite(context);
    NotifyKeyspaceEvent(context, kNotifyList, "linsert", Key(context));
  }
  context.reply->Integer(length);
}

// Redis's LSET checks the key (missing, wrong type) before it parses the index.
void LSet(CommandContext& context) {
  int64_t index = 0;
  if (!ParseInt64(context.args[2], &index)) {
    uint64_t length = 0;
    Status status = LengthOf(context, &length);
    if (ReplyIfError(status, context.reply)) return;
    context.reply->Error(length == 0 ? kErrNoSuchKey : kErrNotInteger);
    return;
  }
  Status status = ListsOf(context).Set(Db(context), Key(context), index, context.args[3]);
  if (ReplyIfError(status, context.reply)) return;
  NoteWrite(context);
  NotifyKeyspaceEvent(context, kNotifyList, "lset", Key(context));
  context.reply->Ok();
}

// The events of a write that may empty the list: `event`, then "del" if it is gone.
void NotifyShrunk(CommandContext& context, const char* event, uint64_t remaining) {
  NotifyKeyspaceEvent(context, kNotifyList, event, Key(context));
  if (remaining == 0) {
    NotifyKeyspaceEvent(context, kNotifyGeneric, "del", Key(context));
  } else {
    NoteWrite(context);
  }
}

void LRem(CommandContext& context) {
  int64_t count = 0;
  if (!ParseInt64(context.args[2], &count)) {
    context.reply->Error(kErrNotInteger);
    return;
  }
  uint64_t removed = 0;
  uint64_t remaining = 0;
  Status status = ListsOf(context).Remove(Db(context), Key(context), count, context.args[3],
                                          &removed, &remaining);
  if (ReplyIfError(status, context.reply)) return;
  if (removed > 0) NotifyShrunk(context, "lrem", remaining);
  context.reply->Integer(static_cast<int64_t>(removed));
}

void LTrim(CommandContext& context) {
  int64_t start = 0;
  int64_t stop = 0;
  if (!ParseTwoIntegers(context, 2, &start, &stop)) return;
  uint64_t remaining = 0;
  Status status = ListsOf(context).Trim(Db(context), Key(context), start, stop, &remaining);
  if (status.IsNotFound()) {
    context.reply->Ok();
    return;
  }
  if (ReplyIfError(status, context.reply)) return;
  NotifyShrunk(context, "ltrim", remaining);
  context.reply->Ok();
}

}  // namespace

void RegisterListCommands(CommandRegistry& registry) {
  registry.Add("LPUSH", LPush);
  registry.Add("RPUSH", RPush);
  registry.Add("LPUSHX", LPushX);
  registry.Add("RPUSHX", RPushX);
  registry.Add("LPOP", LPop);
  registry.Add("RPOP", RPop);
  registry.Add("LMPOP", LMPop);
  registry.Add("LMOVE", LMove);
  registry.Add("RPOPLPUSH", RPopLPush);
  registry.Add("LLEN", LLen);
  registry.Add("LINDEX", LIndex);
  registry.Add("LRANGE", LRange);
  registry.Add("LPOS", LPos);
  registry.Add("LINSERT", LInsert);
  registry.Add("LSET", LSet);
  registry.Add("LREM", LRem);
  registry.Add("LTRIM", LTrim);
}

}  // namespace cairn
