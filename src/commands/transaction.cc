// Transaction group: MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queuing happens in the
// dispatcher; EXEC's work is ExecuteTransaction (src/transaction.h).
#include "src/transaction.h"

#include "engine/keyspace.h"
#include "engine/storage.h"
#include "src/client.h"
#include "src/command.h"
#include "src/commands/all_commands.h"
#include "src/commands/arguments.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

void Multi(CommandContext& context) {
  ClientTransaction& transaction = context.client->transaction;
  if (transaction.in_multi()) {
    context.reply->Error("ERR MULTI calls can not be nested");
    return;
  }
  transaction.Begin();
  context.reply->Ok();
}

void Exec(CommandContext& context) { ExecuteTransaction(context); }

void Discard(CommandContext& context) {
  ClientTransaction& transaction = context.client->transaction;
  if (!transaction.in_multi()) {
    context.reply->Error("ERR DISCARD without MULTI");
    return;
  }
  transaction.Discard();
  context.reply->Ok();
}

// The dispatcher holds the locks of the keys, so each key's counter and deadline are read
// together.
void Watch(CommandContext& context) {
  Client* client = context.client;
  ClientTransaction& transaction = client->transaction;
  if (transaction.in_multi()) {
    context.reply->Error("ERR WATCH inside MULTI is not allowed");
    return;
  }
  int db = client->db();
  Server* server = context.server;
  for (size_t i = 1; i < context.args.size(); i++) {
    const std::string& key = context.args[i];
    // Watching a key twice keeps the first watch, changes since then included.
    if (transaction.IsWatching(db, key)) continue;
    int64_t expire_at_ms = 0;
    Status s = server->storage().keyspace().GetExpire(db, key, &expire_at_ms);
    if (ReplyIfError(s, context.reply)) return;
    uint64_t version = server->watches().Version(db, key);
    transaction.Watch(&server->watches(), {db, key, version, expire_at_ms > 0 ? expire_at_ms : 0});
  }
  context.reply->Ok();
}

void Unwatch(CommandContext& context) {
  context.client->transaction.Unwatch();
  context.reply->Ok();
}

}  // namespace

void RegisterTransactionCommands(CommandRegistry& registry) {
  registry.Add("MULTI", &Multi);
  registry.Add("EXEC", &Exec);
  registry.Add("DISCARD", &Discard);
  registry.Add("WATCH", &Watch);
  registry.Add("UNWATCH", &Unwatch);
}

}  // namespace cairn
