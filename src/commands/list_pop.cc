// The shared tail of the list pops and moves (see list_pop.h): LMPOP's argument grammar, the
// pop/move replies and the keyspace events of Redis 7.0's listPopRangeAndReplyWithKey and
// lmoveHandlePush, in Redis's order.
#include "src/commands/list_pop.h"

#include <optional>
#include <vector>

#include "engine/list.h"
#include "engine/status.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/config/options.h"
#include "src/notifications.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {

namespace {

const char* PopEvent(ListEnd end) { return end == ListEnd::kLeft ? "lpop" : "rpop"; }
const char* PushEvent(ListEnd end) { return end == ListEnd::kLeft ? "lpush" : "rpush"; }

// Whether `key` is gone after a write, asked only when a "del" event would be published.
bool GoneIfDelWanted(CommandContext& context, std::string_view key) {
  if (!KeyspaceEventWanted(context.server, kNotifyGeneric)) return false;
  uint64_t length = 0;
  Status status = context.server->storage().lists().Length(context.client->db(), key, &length);
  return status.ok() && length == 0;
}

void NotifyMoveEvents(CommandContext& context, std::string_view source,
                      std::string_view destination, ListEnd from, ListEnd to, NewKeyEvents* created,
                      bool source_deleted) {
  if (created != nullptr) created->Stored(destination);
  NotifyKeyspaceEvent(context, kNotifyList, PushEvent(to), destination);
  NotifyPopped(context, source, from, source_deleted);
}

// getRangeLongFromObjectOrReply(1, LONG_MAX, message): one error for both a bad number and
// one out of range.
bool ParsePositive(std::string_view text, int64_t* value) {
  return ParseInt64(text, value) && *value >= 1;
}

}  // namespace

bool ParseListEnd(std::string_view word, ListEnd* end) {
  if (EqualsIgnoreCase(word, "LEFT")) {
    *end = ListEnd::kLeft;
  } else if (EqualsIgnoreCase(word, "RIGHT")) {
    *end = ListEnd::kRight;
  } else {
    return false;
  }
  return true;
}

void NotifyPopped(CommandContext& context, std::string_view key, ListEnd end, bool key_deleted) {
  NotifyKeyspaceEvent(context, kNotifyList, PopEvent(end), key);
  if (key_deleted) NotifyKeyspaceEvent(context, kNotifyGeneric, "del", key);
}

void NotifyPopped(CommandContext& context, std::string_view key, ListEnd end) {
  NotifyPopped(context, key, end, GoneIfDelWanted(context, key));
}

void NotifyMoved(CommandContext& context, std::string_view source, std::string_view destination,
                 ListEnd from, ListEnd to, NewKeyEvents* created) {
  NotifyMoveEvents(context, source, destination, from, to, created,
                   GoneIfDelWanted(context, source));
}

bool MoveAndReply(CommandContext& context, std::string_view source, std::string_view destination,
                  ListEnd from, ListEnd to) {
  NewKeyEvents created(context);
  created.Probe(destination);
  int db = context.client->db();
  Storage& storage = context.server->storage();
  std::optional<std::string> moved;
  uint64_t source_remaining = 0;
  Status status =
      storage.lists().Move(db, source, destination, from, to, &moved, &source_remaining);
  if (ReplyIfError(status, context.reply)) return true;
  if (!moved.has_value()) return false;
  storage.RecordAccess(db, destination);
  if (source_remaining > 0) storage.RecordAccess(db, source);
  NotifyMoveEvents(context, source, destination, from, to, &created, source_remaining == 0);
  context.reply->Bulk(*moved);
  return true;
}

bool ParseMultiPopArguments(CommandContext& context, size_t numkeys_index,
                            MultiPopArguments* parsed) {
  const std::vector<std::string>& args = context.args;
  int64_t numkeys = 0;
  if (!ParsePositive(args[numkeys_index], &numkeys)) {
    context.reply->Error("ERR numkeys should be greater than 0");
    return false;
  }
  // The direction must follow the keys: Redis's where_idx >= argc check.
  if (static_cast<uint64_t>(numkeys) >= args.size() - numkeys_index - 1) {
    context.reply->Error(kErrSyntax);
    return false;
  }
  size_t where_index = numkeys_index + static_cast<size_t>(numkeys) + 1;
  if (!ParseListEnd(args[where_index], &parsed->end)) {
    context.reply->Error(kErrSyntax);
    return false;
  }
  parsed->keys =
      std::span<const std::string>(args.begin() + numkeys_index + 1, static_cast<size_t>(numkeys));
  bool has_count = false;
  for (size_t j = where_index + 1; j < args.size(); ++j) {
    if (has_count || !EqualsIgnoreCase(args[j], "COUNT") || j + 1 >= args.size()) {
      context.reply->Error(kErrSyntax);
      return false;
    }
    int64_t count = 0;
    if (!ParsePositive(args[++j], &count)) {
      context.reply->Error("ERR count should be greater than 0");
      return false;
    }
    parsed->count = static_cast<uint64_t>(count);
    has_count = true;
  }
  return true;
}

bool PopFirstNonEmptyAndReply(CommandContext& context, std::span<const std::string> keys,
                              ListEnd end, uint64_t count, PopReplyShape shape) {
  int db = context.client->db();
  Storage& storage = context.server->storage();
  for (const std::string& key : keys) {
    std::vector<std::string> popped;
    uint64_t remaining = 0;
    Status status = storage.lists().Pop(db, key, end, count, &popped, &remaining);
    if (ReplyIfError(status, context.reply)) return true;
    if (popped.empty()) continue;
    if (remaining > 0) storage.RecordAccess(db, key);
    NotifyPopped(context, key, end, remaining == 0);
    ReplyBuilder* reply = context.reply;
    reply->ArrayHeader(2);
    reply->Bulk(key);
    if (shape == PopReplyShape::kKeyAndElement) {
      reply->Bulk(popped.front());
    } else {
      reply->BulkArray(popped.data(), popped.size());
    }
    return true;
  }
  return false;
}

}  // namespace cairn
