// The CLIENT LIST / CLIENT INFO line of a client, and client name validation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cairn {

class Client;

inline constexpr char kErrInvalidClientName[] =
    "ERR Client names cannot contain spaces, newlines or special characters.";

// Names are printable ASCII without spaces ('!' to '~'), as in Redis.
bool IsValidClientName(std::string_view name);
// One line of CLIENT LIST, in Redis 7.0's field order, ending with "\n".
std::string FormatClientInfo(const Client& client, int64_t now_ms);

}  // namespace cairn
