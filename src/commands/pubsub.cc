// Pub/sub group: SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, PUNSUBSCRIBE, SSUBSCRIBE, SUNSUBSCRIBE,
// PUBLISH, SPUBLISH and PUBSUB CHANNELS/NUMSUB/NUMPAT/SHARDCHANNELS/SHARDNUMSUB/HELP.
#include "src/pubsub.h"

#include "src/client.h"
#include "src/command.h"
#include "src/commands/all_commands.h"
#include "src/commands/arguments.h"
#include "src/protocol/reply_builder.h"
#include "src/server.h"

namespace cairn {
namespace {

// The names a kind's confirmations carry.
struct KindVerbs {
  const char* subscribe;
  const char* unsubscribe;
};

KindVerbs VerbsOf(PubSubKind kind) {
  switch (kind) {
    case PubSubKind::kChannel:
      return {"subscribe", "unsubscribe"};
    case PubSubKind::kPattern:
      return {"psubscribe", "punsubscribe"};
    case PubSubKind::kShardChannel:
      break;
  }
  return {"ssubscribe", "sunsubscribe"};
}

// The count a confirmation carries: like Redis, channels and patterns are counted together
// and shard channels on their own.
int64_t ConfirmationCount(const Client& client, PubSubKind kind) {
  if (kind == PubSubKind::kShardChannel) {
    return static_cast<int64_t>(SubscriptionCount(client, kind));
  }
  return static_cast<int64_t>(SubscriptionCount(client, PubSubKind::kChannel) +
                              SubscriptionCount(client, PubSubKind::kPattern));
}

// One confirmation: [verb, name (null when there was nothing to unsubscribe), count], a
// RESP2 array or a RESP3 push.
void Confirm(CommandContext& context, PubSubKind kind, const char* verb, const std::string* name) {
  ReplyBuilder* reply = context.reply;
  reply->PushHeader(3);
  reply->Bulk(verb);
  if (name != nullptr) {
    reply->Bulk(*name);
  } else {
    reply->Null();
  }
  reply->Integer(ConfirmationCount(*context.client, kind));
}

void SubscribeTo(CommandContext& context, PubSubKind kind) {
  PubSub& pubsub = context.server->pubsub();
  for (size_t j = 1; j < context.args.size(); ++j) {
    pubsub.Subscribe(context.client, kind, context.args[j]);
    Confirm(context, kind, VerbsOf(kind).subscribe, &context.args[j]);
  }
}

// With names: one confirmation per name, subscribed or not. Without: one per subscription
// dropped, or a single one with a null name when there was none.
void UnsubscribeFrom(CommandContext& context, PubSubKind kind) {
  PubSub& pubsub = context.server->pubsub();
  const char* verb = VerbsOf(kind).unsubscribe;
  if (context.args.size() > 1) {
    for (size_t j = 1; j < context.args.size(); ++j) {
      pubsub.Unsubscribe(context.client, kind, context.args[j]);
      Confirm(context, kind, verb, &context.args[j]);
    }
    return;
  }
  std::vector<std::string> names = pubsub.SubscriptionsOf(*context.client, kind);
  if (names.empty()) Confirm(context, kind, verb, nullptr);
  for (const std::string& name : names) {
    pubsub.Unsubscribe(context.client, kind, name);
    Confirm(context, kind, verb, &name);
  }
}

void Subscribe(CommandContext& context) { SubscribeTo(context, PubSubKind::kChannel); }
void PSubscribe(CommandContext& context) { SubscribeTo(context, PubSubKind::kPattern); }
void SSubscribe(CommandContext& context) {
  if (context.client->transaction.executing()) {
    context.reply->Error("ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client");
    return;
  }
  SubscribeTo(context, PubSubKind::kShardChannel);
}
void Unsubscribe(CommandContext& context) { UnsubscribeFrom(context, PubSubKind::kChannel); }
void PUnsubscribe(CommandContext& context) { UnsubscribeFrom(context, PubSubKind::kPattern); }
void SUnsubscribe(CommandContext& context) { UnsubscribeFrom(context, PubSubKind::kShardChannel); }

void Publish(CommandContext& context) {
  size_t receivers = context.server->pubsub().Publish(context.args[1], context.args[2]);
  context.reply->Integer(static_cast<int64_t>(receivers));
}

void SPublish(CommandContext& context) {
  size_t receivers = context.server->pubsub().PublishShard(context.args[1], context.args[2]);
  context.reply->Integer(static_cast<int64_t>(receivers));
}

// PUBSUB CHANNELS / SHARDCHANNELS [pattern]
void ListChannels(CommandContext& context, PubSubKind kind) {
  if (context.args.size() > 3) {
    ReplySubcommandSyntaxError(context);
    return;
  }
  const std::string* pattern = context.args.size() == 3 ? &context.args[2] : nullptr;
  std::vector<std::string> names = context.server->pubsub().ActiveChannels(kind, pattern);
  context.reply->BulkArray(names.data(), names.size());
}

// PUBSUB NUMSUB / SHARDNUMSUB [channel ...]: a flat array of channel, count.
void CountSubscribers(CommandContext& context, PubSubKind kind) {
  const auto& args = context.args;
  PubSub& pubsub = context.server->pubsub();
  context.reply->ArrayHeader((args.size() - 2) * 2);
  for (size_t j = 2; j < args.size(); ++j) {
    context.reply->Bulk(args[j]);
    context.reply->Integer(static_cast<int64_t>(pubsub.SubscriberCount(kind, args[j])));
  }
}

void PubSubChannels(CommandContext& context) { ListChannels(context, PubSubKind::kChannel); }
void PubSubShardChannels(CommandContext& context) {
  ListChannels(context, PubSubKind::kShardChannel);
}
void PubSubNumSub(CommandContext& context) { CountSubscribers(context, PubSubKind::kChannel); }
void PubSubShardNumSub(CommandContext& context) {
  CountSubscribers(context, PubSubKind::kShardChannel);
}

void PubSubNumPat(CommandContext& context) {
  context.reply->Integer(
      static_cast<int64_t>(context.server->pubsub().Count(PubSubKind::kPattern)));
}

void PubSubHelp(CommandContext& context) {
  ReplyHelp(context.reply, "PUBSUB",
            {"CHANNELS [<pattern>]",
             "    Return the currently active channels matching a <pattern> (default: '*').",
             "NUMPAT", "    Return number of subscriptions to patterns.", "NUMSUB [<channel> ...]",
             "    Return the number of subscribers for the specified channels, excluding",
             "    pattern subscriptions(default: no channels).", "SHARDCHANNELS [<pattern>]",
             "    Return the currently active shard level channels matching a <pattern> (default: "
             "'*').",
             "SHARDNUMSUB [<shardchannel> ...]",
             "    Return the number of subscribers for the specified shard level channel(s)"});
}

}  // namespace

void RegisterPubSubCommands(CommandRegistry& registry) {
  registry.Add("SUBSCRIBE", &Subscribe);
  registry.Add("PSUBSCRIBE", &PSubscribe);
  registry.Add("SSUBSCRIBE", &SSubscribe);
  registry.Add("UNSUBSCRIBE", &Unsubscribe);
  registry.Add("PUNSUBSCRIBE", &PUnsubscribe);
  registry.Add("SUNSUBSCRIBE", &SUnsubscribe);
  registry.Add("PUBLISH", &Publish);
  registry.Add("SPUBLISH", &SPublish);
  registry.Add("PUBSUB CHANNELS", &PubSubChannels);
  registry.Add("PUBSUB NUMSUB", &PubSubNumSub);
  registry.Add("PUBSUB NUMPAT", &PubSubNumPat);
  registry.Add("PUBSUB SHARDCHANNELS", &PubSubShardChannels);
  registry.Add("PUBSUB SHARDNUMSUB", &PubSubShardNumSub);
  registry.Add("PUBSUB HELP", &PubSubHelp);
}

}  // namespace cairn
