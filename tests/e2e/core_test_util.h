// Helpers shared by the server-core e2e tests (connection, client, server, INFO, CONFIG,
// COMMAND, protocol, limits, start-up and durability): reading INFO fields and CLIENT LIST
// lines, and waiting for a condition without asserting on time.
#pragma once

#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/generic_test_util.h"
#include "tests/e2e/server_fixture.h"

namespace cairn::test {

// The value of "name:value" in an INFO text, or nullopt when the field is absent.
inline std::optional<std::string> InfoField(const std::string& info, const std::string& name) {
  std::istringstream lines(info);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.size() > name.size() && line.compare(0, name.size(), name) == 0 &&
        line[name.size()] == ':') {
      return line.substr(name.size() + 1);
    }
  }
  return std::nullopt;
}

// INFO <section> through `client`, as text ("" with a test failure if the reply is not text).
inline std::string InfoText(Client& client, const std::string& section) {
  Reply reply = client.Command({"INFO", section});
  EXPECT_TRUE(reply.type() == ReplyType::kString || reply.type() == ReplyType::kVerbatim) << reply;
  return reply.text();
}

// A numeric INFO field, or -1 (with a test failure) when it is missing.
inline long long InfoNumber(Client& client, const std::string& section, const std::string& name) {
  std::optional<std::string> value = InfoField(InfoText(client, section), name);
  EXPECT_TRUE(value.has_value()) << "INFO " << section << " has no field " << name;
  return value ? std::stoll(*value) : -1;
}

// The "key=value" fields of one CLIENT LIST / CLIENT INFO line.
inline std::map<std::string, std::string> ClientFields(const std::string& line) {
  std::map<std::string, std::string> fields;
  std::istringstream words(line);
  std::string word;
  while (words >> word) {
    size_t equals = word.find('=');
    if (equals != std::string::npos) fields[word.substr(0, equals)] = word.substr(equals + 1);
  }
  return fields;
}

// The lines of a CLIENT LIST reply, one per client.
inline std::vector<std::map<std::string, std::string>> ClientList(
    Client& client, const std::vector<std::string>& filter = {}) {
  std::vector<std::string> command = {"CLIENT", "LIST"};
  command.insert(command.end(), filter.begin(), filter.end());
  Reply reply = client.Command(command);
  EXPECT_TRUE(reply.type() == ReplyType::kString || reply.type() == ReplyType::kVerbatim) << reply;
  std::vector<std::map<std::string, std::string>> clients;
  std::istringstream lines(reply.text());
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty()) clients.push_back(ClientFields(line));
  }
  return clients;
}

// The number of clients the server reports as connected.
inline long long ConnectedClients(Client& client) {
  return InfoNumber(client, "clients", "connected_clients");
}

}  // namespace cairn::test
