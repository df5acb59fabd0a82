// PubSub: the subscription registry and the per-worker fan-out of published messages.
#include "src/pubsub.h"

#include <memory>
#include <mutex>
#include <string_view>
#include <utility>

#include "encoding/glob.h"
#include "src/client.h"
#include "src/command_table/command_spec.h"
#include "src/network/worker.h"
#include "src/protocol/reply_builder.h"

namespace cairn {
namespace {

// One formatted message (both protocols, made on first use) and the subscription it was
// sent for.
struct Message {
  PubSubKind kind;
  std::string name;      // the channel, or the pattern that matched
  std::string bytes[2];  // RESP2, RESP3; empty until needed
};

struct Delivery {
  uint64_t client_id;
  uint64_t epoch;  // the client's pubsub_epoch when the message was published
  bool resp3;
  std::shared_ptr<Message> message;
};

// The messages of one publish, grouped by the workers of their receivers so that each
// worker gets one task.
class Fanout {
 public:
  explicit Fanout(const PubSub* pubsub) : pubsub_(pubsub) {}

  // Queues the message made of parts ("message", channel, payload) for every subscriber of
  // the subscription (kind, name).
  void Add(const std::unordered_map<uint64_t, Client*>& subscribers, PubSubKind kind,
           const std::string& name, std::initializer_list<std::string_view> parts) {
    auto message = std::make_shared<Message>();
    message->kind = kind;
    message->name = name;
    for (const auto& [id, client] : subscribers) {
      bool resp3 = client->protocol() == 3;
      std::string& bytes = message->bytes[resp3 ? 1 : 0];
      if (bytes.empty()) Format(resp3 ? 3 : 2, parts, &bytes);
      QueueFor(client->worker()).push_back({id, client->pubsub_epoch.load(), resp3, message});
      ++receivers_;
    }
  }

  // Hands every worker its deliveries, in the order they were added.
  void Post() {
    for (auto& [worker, deliveries] : by_worker_) {
      worker->Post([pubsub = pubsub_, worker = worker, deliveries = std::move(deliveries)] {
        for (const Delivery& delivery : deliveries) Deliver(pubsub, worker, delivery);
      });
    }
  }

  size_t receivers() const { return receivers_; }

 private:
  // On the subscriber's worker. A client that unsubscribed since the publish (its epoch
  // moved) gets the message only if it still holds the subscription, so no message follows
  // the confirmation of an UNSUBSCRIBE.
  static void Deliver(const PubSub* pubsub, Worker* worker, const Delivery& delivery) {
    Client* client = worker->FindClient(delivery.client_id);
    if (client == nullptr) return;
    const Message& message = *delivery.message;
    if (client->pubsub_epoch.load() != delivery.epoch &&
        !pubsub->IsSubscribed(*client, message.kind, message.name)) {
      return;
    }
    worker->SendToClient(delivery.client_id, message.bytes[delivery.resp3 ? 1 : 0]);
  }

  static void Format(int protocol, std::initializer_list<std::string_view> parts,
                     std::string* out) {
    ReplyBuilder builder(out, protocol);
    builder.PushHeader(parts.size());
    for (std::string_view part : parts) builder.Bulk(part);
  }

  std::vector<Delivery>& QueueFor(Worker* worker) {
    for (auto& entry : by_worker_) {
      if (entry.first == worker) return entry.second;
    }
    by_worker_.emplace_back(worker, std::vector<Delivery>());
    return by_worker_.back().second;
  }

  const PubSub* pubsub_;
  std::vector<std::pair<Worker*, std::vector<Delivery>>> by_worker_;  // few: a linear search
  size_t receivers_ = 0;
};

}  // namespace

PubSub::PubSub() = default;
PubSub::~PubSub() = default;

bool PubSub::Subscribe(Client* client, PubSubKind kind, const std::string& name) {
  std::unique_lock lock(mutex_);
  std::set<std::string>& names = clients_[client->id()].names[static_cast<int>(kind)];
  if (!names.insert(name).second) return false;
  IndexOf(kind)[name].emplace(client->id(), client);
  client->pubsub_counts[static_cast<int>(kind)].store(names.size());
  return true;
}

bool PubSub::Unsubscribe(Client* client, PubSubKind kind, const std::string& name) {
  std::unique_lock lock(mutex_);
  auto entry = clients_.find(client->id());
  if (entry == clients_.end()) return false;
  std::set<std::string>& names = entry->second.names[static_cast<int>(kind)];
  if (names.erase(name) == 0) return false;
  client->pubsub_counts[static_cast<int>(kind)].store(names.size());
  client->pubsub_epoch.fetch_add(1);
  Index& index = IndexOf(kind);
  auto subscribers = index.find(name);
  subscribers->second.erase(client->id());
  if (subscribers->second.empty()) index.erase(subscribers);
  const auto& all = entry->second.names;
  if (all[0].empty() && all[1].empty() && all[2].empty()) clients_.erase(entry);
  return true;
}

bool PubSub::IsSubscribed(const Client& client, PubSubKind kind, const std::string& name) const {
  std::shared_lock lock(mutex_);
  auto entry = clients_.find(client.id());
  return entry != clients_.end() && entry->second.names[static_cast<int>(kind)].count(name) > 0;
}

std::vector<std::string> PubSub::SubscriptionsOf(const Client& client, PubSubKind kind) const {
  std::shared_lock lock(mutex_);
  auto entry = clients_.find(client.id());
  if (entry == clients_.end()) return {};
  const std::set<std::string>& names = entry->second.names[static_cast<int>(kind)];
  return std::vector<std::string>(names.begin(), names.end());
}

void PubSub::RemoveClient(Client* client) {
  if (!InPubSubMode(*client)) return;  // the common case: no lock taken
  std::unique_lock lock(mutex_);
  auto entry = clients_.find(client->id());
  if (entry == clients_.end()) return;
  for (int kind = 0; kind < 3; ++kind) {
    Index& index = indexes_[kind];
    for (const std::string& name : entry->second.names[kind]) {
      auto subscribers = index.find(name);
      subscribers->second.erase(client->id());
      if (subscribers->second.empty()) index.erase(subscribers);
    }
    client->pubsub_counts[kind].store(0);
  }
  client->pubsub_epoch.fetch_add(1);
  clients_.erase(entry);
}

// Like Redis's pubsubPublishMessage: channel subscribers first, then every matching pattern;
// a client subscribed both ways receives (and counts) the message twice. The deliveries are
// posted under the lock so that no worker in the registry can go away meanwhile.
size_t PubSub::Publish(const std::string& channel, const std::string& message) {
  std::shared_lock lock(mutex_);
  Fanout fanout(this);
  const Index& channels = IndexOf(PubSubKind::kChannel);
  auto subscribers = channels.find(channel);
  if (subscribers != channels.end()) {
    fanout.Add(subscribers->second, PubSubKind::kChannel, channel, {"message", channel, message});
  }
  for (const auto& [pattern, pattern_subscribers] : IndexOf(PubSubKind::kPattern)) {
    if (GlobMatch(pattern, channel)) {
      fanout.Add(pattern_subscribers, PubSubKind::kPattern, pattern,
                 {"pmessage", pattern, channel, message});
    }
  }
  fanout.Post();
  return fanout.receivers();
}

size_t PubSub::PublishShard(const std::string& channel, const std::string& message) {
  std::shared_lock lock(mutex_);
  Fanout fanout(this);
  const Index& channels = IndexOf(PubSubKind::kShardChannel);
  auto subscribers = channels.find(channel);
  if (subscribers != channels.end()) {
    fanout.Add(subscribers->second, PubSubKind::kShardChannel, channel,
               {"smessage", channel, message});
  }
  fanout.Post();
  return fanout.receivers();
}

std::vector<std::string> PubSub::ActiveChannels(PubSubKind kind, const std::string* pattern) const {
  std::shared_lock lock(mutex_);
  std::vector<std::string> names;
  for (const auto& entry : IndexOf(kind)) {
    if (pattern == nullptr || GlobMatch(*pattern, entry.first)) names.push_back(entry.first);
  }
  return names;
}

size_t PubSub::SubscriberCount(PubSubKind kind, const std::string& name) const {
  std::shared_lock lock(mutex_);
  const Index& index = IndexOf(kind);
  auto subscribers = index.find(name);
  return subscribers == index.end() ? 0 : subscribers->second.size();
}

size_t PubSub::Count(PubSubKind kind) const {
  std::shared_lock lock(mutex_);
  return IndexOf(kind).size();
}

size_t SubscriptionCount(const Client& client, PubSubKind kind) {
  return client.pubsub_counts[static_cast<int>(kind)].load(std::memory_order_relaxed);
}

bool InPubSubMode(const Client& client) {
  for (const auto& count : client.pubsub_counts) {
    if (count.load(std::memory_order_relaxed) > 0) return true;
  }
  return false;
}

bool AllowedInPubSubMode(const Client& client, const CommandSpec& spec, std::string* error) {
  if (client.protocol() != 2 || !InPubSubMode(client)) return true;
  for (std::string_view allowed : {"ping", "subscribe", "ssubscribe", "unsubscribe", "sunsubscribe",
                                   "psubscribe", "punsubscribe", "quit", "reset"}) {
    if (spec.full_name == allowed) return true;
  }
  *error = "ERR Can't execute '" + spec.full_name +
           "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this "
           "context";
  return false;
}

}  // namespace cairn
