// PubSub: the server-wide registry of pub/sub subscriptions (channels, patterns and shard
// channels) and the fan-out of published messages to the subscribers' workers.
//
// A subscriber is a client, reached through its worker: Publish formats the message for the
// client's protocol (RESP2 array or RESP3 push) and posts it to the worker that owns the
// client, one task per worker and publish, so the messages of one publisher reach every
// subscriber in publish order. When the task runs, a client closed meanwhile is skipped, and
// so is one that dropped the subscription meanwhile: no message follows the confirmation of
// an UNSUBSCRIBE (a RESP2 client may be back to ordinary replies by then).
//
// Subscribe, Unsubscribe and RemoveClient run on the client's own worker (its commands,
// RESET, disconnect); Publish and the queries are safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace cairn {

class Client;
struct CommandSpec;

enum class PubSubKind { kChannel = 0, kPattern = 1, kShardChannel = 2 };

class PubSub {
 public:
  PubSub();
  ~PubSub();
  PubSub(const PubSub&) = delete;
  PubSub& operator=(const PubSub&) = delete;

  // False when the client already had (Subscribe) or did not have (Unsubscribe) it.
  bool Subscribe(Client* client, PubSubKind kind, const std::string& name);
  bool Unsubscribe(Client* client, PubSubKind kind, const std::string& name);
  bool IsSubscribed(const Client& client, PubSubKind kind, const std::string& name) const;
  // The client's subscriptions of one kind, sorted.
  std::vector<std::string> SubscriptionsOf(const Client& client, PubSubKind kind) const;
  // Drops every subscription of the client without replies (RESET, disconnect).
  void RemoveClient(Client* client);

  // Delivers message to every subscriber of channel and every matching pattern on every
  // worker; returns the number of receivers. Safe from any thread.
  size_t Publish(const std::string& channel, const std::string& message);
  // SPUBLISH: the subscribers of the shard channel only.
  size_t PublishShard(const std::string& channel, const std::string& message);

  // PUBSUB CHANNELS / SHARDCHANNELS: the channels with subscribers, those matching pattern
  // when it is not null.
  std::vector<std::string> ActiveChannels(PubSubKind kind, const std::string* pattern) const;
  // PUBSUB NUMSUB / SHARDNUMSUB: subscribers of one channel, patterns not counted.
  size_t SubscriberCount(PubSubKind kind, const std::string& name) const;
  // Distinct channels, patterns or shard channels with subscribers (NUMPAT, INFO stats).
  size_t Count(PubSubKind kind) const;

 private:
  using Subscribers = std::unordered_map<uint64_t, Client*>;  // by client id
  using Index = std::unordered_map<std::string, Subscribers>;
  struct ClientSubscriptions {
    std::set<std::string> names[3];  // by PubSubKind
  };

  Index& IndexOf(PubSubKind kind) { return indexes_[static_cast<int>(kind)]; }
  const Index& IndexOf(PubSubKind kind) const { return indexes_[static_cast<int>(kind)]; }

  mutable std::shared_mutex mutex_;  // shared for publishes and queries
  Index indexes_[3];                 // by PubSubKind
  std::unordered_map<uint64_t, ClientSubscriptions> clients_;
};

// The counters a client's pub/sub state shows: subscriptions of one kind, and whether it is
// in Redis's pub/sub mode (any subscription: CLIENT LIST flag P, client type "pubsub").
size_t SubscriptionCount(const Client& client, PubSubKind kind);
bool InPubSubMode(const Client& client);

// Redis 7.0's rule for a RESP2 client in pub/sub mode: only (P|S)SUBSCRIBE,
// (P|S)UNSUBSCRIBE, PING, QUIT and RESET run. False, with Redis's error in *error, for any
// other command.
bool AllowedInPubSubMode(const Client& client, const CommandSpec& spec, std::string* error);

}  // namespace cairn
