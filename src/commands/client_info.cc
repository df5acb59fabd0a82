// CLIENT LIST line formatting.
#include "src/commands/client_info.h"

#include "src/client.h"
#include "src/pubsub.h"

namespace cairn {

bool IsValidClientName(std::string_view name) {
  for (char c : name) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

std::string FormatClientInfo(const Client& client, int64_t now_ms) {
  std::string flags;
  if (client.is_monitor()) flags += 'O';
  if (InPubSubMode(client)) flags += 'P';
  if (client.blocked.load(std::memory_order_relaxed)) flags += 'b';
  if (client.no_evict()) flags += 'e';
  if (flags.empty()) flags = "N";
  std::string command = client.last_command();
  size_t query = client.query_buffer_size();
  size_t output = client.output_buffer_size();
  std::string line;
  line.reserve(320);
  line += "id=" + std::to_string(client.id());
  line += " addr=" + client.address();
  line += " laddr=" + client.local_address();
  line += " fd=" + std::to_string(client.fd());
  line += " name=" + client.name();
  line += " age=" + std::to_string((now_ms - client.created_ms()) / 1000);
  line += " idle=" + std::to_string((now_ms - client.last_interaction_ms()) / 1000);
  line += " flags=" + flags;
  line += " db=" + std::to_string(client.db());
  line += " sub=" + std::to_string(SubscriptionCount(client, PubSubKind::kChannel));
  line += " psub=" + std::to_string(SubscriptionCount(client, PubSubKind::kPattern));
  line += " ssub=" + std::to_string(SubscriptionCount(client, PubSubKind::kShardChannel));
  line += " multi=-1";
  line += " qbuf=" + std::to_string(query);
  line += " qbuf-free=0 argv-mem=0 multi-mem=0 rbs=" + std::to_string(query) + " rbp=0";
  line += " obl=" + std::to_string(output) + " oll=0 omem=" + std::to_string(output);
  line += " tot-mem=" + std::to_string(query + output);
  line += output > 0 ? " events=rw" : " events=r";
  line += " cmd=" + (command.empty() ? std::string("NULL") : command);
  line += " user=default redir=-1 resp=" + std::to_string(client.protocol());
  line += "\n";
  return line;
}

}  // namespace cairn
