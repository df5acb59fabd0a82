// HSCAN, SSCAN and ZSCAN: cursor iteration over the members of one hash, set or sorted set.
// Cursors and their guarantees are the engine's (engine/member_scan.h); this file parses the
// arguments in Redis 7.0's order and shapes the reply as Redis does.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "encoding/metadata.h"
#include "encoding/number_text.h"
#include "engine/keyspace.h"
#include "engine/member_scan.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/all_commands.h"
#include "src/commands/arguments.h"
#include "src/commands/generic_internal.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

// Redis's double2ll range: a listpack stores a score that is a whole number within it as an
// integer, and scans print it that way ("123456789012345680", not "1.2345678901234568e+17").
constexpr double kListpackIntegerLimit = static_cast<double>(INT64_MAX / 2);

std::string ScoreText(double score, bool compact) {
  if (compact && score >= -kListpackIntegerLimit && score <= kListpackIntegerLimit) {
    auto whole = static_cast<int64_t>(score);
    if (static_cast<double>(whole) == score) return FormatInt64(whole);
  }
  return FormatDouble(score);
}

void ReplyEmptyScan(ReplyBuilder* reply) {
  reply->ArrayHeader(2);
  reply->Bulk("0");
  reply->ArrayHeader(0);
}

void ReplyScan(ReplyBuilder* reply, ValueType type, const MemberScanResult& result) {
  reply->ArrayHeader(2);
  reply->Bulk(std::to_string(result.next_cursor));
  bool pairs = type != ValueType::kSet;
  reply->ArrayHeader(result.members.size() * (pairs ? 2 : 1));
  for (const ScannedMember& member : result.members) {
    reply->Bulk(member.member);
    if (type == ValueType::kHash) reply->Bulk(member.value);
    if (type == ValueType::kZSet) reply->Bulk(ScoreText(member.score, result.compact));
  }
}

// Redis looks the key up (an empty scan for a missing key, WRONGTYPE) before it reads the
// options, so a bad option only shows once the key is known to be scannable.
void ReplyOptionError(CommandContext& context, ValueType type, std::string_view error) {
  ValueType found;
  Status status =
      context.server->storage().keyspace().Type(context.client->db(), context.args[1], &found);
  CountLookup(context, context.args[1], status.ok());
  if (status.IsNotFound()) return ReplyEmptyScan(context.reply);
  if (ReplyIfError(status, context.reply)) return;
  if (found != type) return context.reply->Error(kErrWrongType);
  context.reply->Raw(error);
}

void ScanCollection(CommandContext& context, ValueType type) {
  uint64_t cursor = 0;
  if (!ParseCursorOrReply(context, context.args[2], &cursor)) return;
  std::string option_error;
  ReplyBuilder option_reply(&option_error, context.reply->protocol());
  CommandContext option_context{context.server, context.client, context.args, &option_reply};
  ScanOptions options;
  if (!ParseScanOptionsOrReply(option_context, 3, false, &options)) {
    return ReplyOptionError(context, type, option_error);
  }
  std::optional<std::string_view> pattern;
  if (options.pattern) pattern = *options.pattern;
  MemberScanResult result;
  Status status = context.server->storage().member_scans().Scan(
      context.client->db(), context.args[1], type, cursor, pattern,
      static_cast<size_t>(options.count), &result);
  CountLookup(context, context.args[1], !status.IsNotFound());
  if (status.IsNotFound()) return ReplyEmptyScan(context.reply);
  if (ReplyIfError(status, context.reply)) return;
  ReplyScan(context.reply, type, result);
}

void HScan(CommandContext& context) { ScanCollection(context, ValueType::kHash); }
void SScan(CommandContext& context) { ScanCollection(context, ValueType::kSet); }
void ZScan(CommandContext& context) { ScanCollection(context, ValueType::kZSet); }

}  // namespace

void RegisterCollectionScanCommands(CommandRegistry& registry) {
  registry.Add("HSCAN", HScan);
  registry.Add("SSCAN", SScan);
  registry.Add("ZSCAN", ZScan);
}

}  // namespace cairn
