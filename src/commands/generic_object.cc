// Generic (keyspace) group, introspection: OBJECT ENCODING, FREQ, IDLETIME, REFCOUNT, HELP.
// Cairn stores bytes, not Redis objects, so ENCODING and REFCOUNT report what Redis 7.0
// would for the same value, and IDLETIME/FREQ come from the engine's access tracker.
#include <cstdint>
#include <string>
#include <string_view>

#include "encoding/collection_layout.h"
#include "encoding/metadata.h"
#include "engine/keyspace.h"
#include "engine/storage.h"
#include "engine/string.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/arguments.h"
#include "src/commands/generic_internal.h"
#include "src/config/config.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

// Redis's OBJ_ENCODING_EMBSTR_SIZE_LIMIT and OBJ_SHARED_INTEGERS.
constexpr size_t kEmbstrSizeLimit = 44;
constexpr int64_t kSharedIntegers = 10000;
// The refcount Redis reports for its shared (immortal) objects: OBJ_SHARED_REFCOUNT.
constexpr int64_t kSharedRefcount = 2147483647;

// Redis's tryObjectEncoding: an integer that fits a long in at most 20 chars is "int",
// a short string "embstr", anything else "raw".
bool IsIntEncoded(std::string_view value, int64_t* number) {
  return value.size() <= 20 && ParseInt64(value, number);
}

std::string_view StringEncoding(std::string_view value) {
  int64_t number = 0;
  if (IsIntEncoded(value, &number)) return "int";
  return value.size() <= kEmbstrSizeLimit ? "embstr" : "raw";
}

// Collections: Redis 7.0 always uses quicklist for lists and stream for streams. Hashes,
// sets and sorted sets keep their compact encoding (listpack, intset) until a write takes
// them past the *-max-* limits; the type's engine then sets kMetaFlagLargeEncoding for good.
std::string_view CollectionEncoding(const Metadata& meta) {
  bool large = (meta.flags & kMetaFlagLargeEncoding) != 0;
  switch (meta.type) {
    case ValueType::kHash:
      return large ? "hashtable" : "listpack";
    case ValueType::kList:
      return "quicklist";
    case ValueType::kSet:
      return large ? "hashtable" : "intset";
    case ValueType::kZSet:
      return large ? "skiplist" : "listpack";
    case ValueType::kStream:
      return "stream";
    case ValueType::kString:
      break;
  }
  return "raw";
}

bool PolicyIsLfu(const std::string& policy) { return policy.find("lfu") != std::string::npos; }

// Redis shares the integers 0..9999 unless maxmemory is set with an LRU/LFU policy (those
// need a per-object access clock).
bool SharesSmallIntegers(Config& config) {
  std::string policy = config.maxmemory_policy();
  bool needs_own_clock = PolicyIsLfu(policy) || policy.find("lru") != std::string::npos;
  return config.maxmemory() == 0 || !needs_own_clock;
}

// OBJECT's lookup: counts a keyspace hit or miss without counting as an access (Redis's
// LOOKUP_NOTOUCH), and replies null for a missing key. Returns true when the key exists.
bool LookupOrReplyNull(CommandContext& context, Metadata* meta) {
  Status status =
      context.server->storage().keyspace().Describe(context.client->db(), context.args[2], meta);
  if (status.IsNotFound()) {
    CountLookupWithoutTouch(context, 0, 1);
    context.reply->Null();
    return false;
  }
  if (ReplyIfError(status, context.reply)) return false;
  CountLookupWithoutTouch(context, 1, 0);
  return true;
}

// The string value of the key OBJECT names, for ENCODING and REFCOUNT. Replies (null for a
// key that vanished meanwhile, or the error) and returns false on failure.
bool ReadStringOrReply(CommandContext& context, std::string* value) {
  Status status =
      context.server->storage().strings().Get(context.client->db(), context.args[2], value);
  if (status.IsNotFound()) {
    context.reply->Null();
    return false;
  }
  return !ReplyIfError(status, context.reply);
}

void ObjectEncoding(CommandContext& context) {
  Metadata meta;
  if (!LookupOrReplyNull(context, &meta)) return;
  if (meta.type != ValueType::kString) {
    context.reply->Bulk(CollectionEncoding(meta));
    return;
  }
  std::string value;
  if (ReadStringOrReply(context, &value)) context.reply->Bulk(StringEncoding(value));
}

void ObjectRefcount(CommandContext& context) {
  Metadata meta;
  if (!LookupOrReplyNull(context, &meta)) return;
  if (meta.type != ValueType::kString) {
    context.reply->Integer(1);
    return;
  }
  std::string value;
  if (!ReadStringOrReply(context, &value)) return;
  int64_t number = 0;
  bool shared = IsIntEncoded(value, &number) && number >= 0 && number < kSharedIntegers &&
                SharesSmallIntegers(context.server->config());
  context.reply->Integer(shared ? kSharedRefcount : 1);
}

void ObjectIdleTime(CommandContext& context) {
  Metadata meta;
  if (!LookupOrReplyNull(context, &meta)) return;
  if (PolicyIsLfu(context.server->config().maxmemory_policy())) {
    context.reply->Error(
        "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
        "switching between policies at runtime LRU and LFU data will take some time to adjust.");
    return;
  }
  uint64_t idle_ms = context.server->storage().IdleMs(context.client->db(), context.args[2]);
  context.reply->Integer(static_cast<int64_t>(idle_ms / 1000));
}

void ObjectFreq(CommandContext& context) {
  Metadata meta;
  if (!LookupOrReplyNull(context, &meta)) return;
  if (!PolicyIsLfu(context.server->config().maxmemory_policy())) {
    context.reply->Error(
        "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
        "that when switching between policies at runtime LRU and LFU data will take some time "
        "to adjust.");
    return;
  }
  context.reply->Integer(
      context.server->storage().AccessFrequency(context.client->db(), context.args[2]));
}

void ObjectHelp(CommandContext& context) {
  ReplyHelp(context.reply, "OBJECT",
            {
                "ENCODING <key>",
                "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>",
                "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>",
                "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>",
                "    Return the number of references of the value associated with the specified",
                "    <key>.",
            });
}

}  // namespace

void RegisterGenericObjectCommands(CommandRegistry& registry) {
  registry.Add("OBJECT ENCODING", ObjectEncoding);
  registry.Add("OBJECT REFCOUNT", ObjectRefcount);
  registry.Add("OBJECT IDLETIME", ObjectIdleTime);
  registry.Add("OBJECT FREQ", ObjectFreq);
  registry.Add("OBJECT HELP", ObjectHelp);
}

}  // namespace cairn
