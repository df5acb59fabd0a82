// Client: a hiredis connection for e2e tests (commands, pipelining, RESP3 after HELLO 3).
// RawConnection: a bare TCP socket for protocol tests that send hand-made bytes.
//
// Every wait is bounded by a timeout so a hung server fails a test instead of hanging it; the
// timeout only bounds the wait and is never what a test asserts on.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "tests/e2e/reply.h"

struct redisContext;

namespace cairn::test {

inline constexpr std::chrono::milliseconds kDefaultWait{30000};

class Client {
 public:
  Client();
  ~Client();
  Client(Client&&) noexcept;
  Client& operator=(Client&&) noexcept;
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  ::testing::AssertionResult Connect(int port, const std::string& host = "127.0.0.1");
  void Close();
  bool connected() const { return context_ != nullptr; }
  // Bounds every later send and receive.
  void SetTimeout(std::chrono::milliseconds timeout);

  // Sends one command (binary safe) and waits for its reply. A broken connection, a timeout
  // or a protocol violation gives a Reply of type kIoError and closes the connection.
  Reply Command(const std::vector<std::string>& args);

  // Pipelining: Append queues commands (sent on the next GetReply or Flush), GetReply reads
  // replies in order. GetReply also returns out-of-band pushes (pub/sub, RESP3 >).
  void Append(const std::vector<std::string>& args);
  void AppendRaw(std::string_view bytes);  // already encoded bytes, e.g. an inline command
  bool Flush();
  Reply GetReply();
  std::vector<Reply> Pipeline(const std::vector<std::vector<std::string>>& commands);

  // True once HELLO 3 was sent; replies are then decoded by RespReader.
  bool resp3() const { return resp3_; }
  int fd() const;

 private:
  void NoteHello(const std::vector<std::string>& args);
  Reply ReadWithResp3Reader();
  Reply Fail(const std::string& what);

  struct ContextDeleter {
    void operator()(redisContext* context) const;
  };
  std::unique_ptr<redisContext, ContextDeleter> context_;
  std::chrono::milliseconds timeout_ = kDefaultWait;
  bool resp3_ = false;
  std::unique_ptr<RespReader> reader_;  // set once RESP3 is on
};

class RawConnection {
 public:
  RawConnection() = default;
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  ::testing::AssertionResult Connect(int port, const std::string& host = "127.0.0.1");
  void Close();
  void ShutdownWrite();  // half-close: the server sees EOF on its read side
  bool Send(std::string_view bytes);

  // Each read returns what arrived before the condition held, the peer closed, or `wait`
  // passed; peer_closed() tells which. Bytes read past the condition stay buffered.
  std::string ReadBytes(size_t count, std::chrono::milliseconds wait = kDefaultWait);
  std::string ReadLine(std::chrono::milliseconds wait = kDefaultWait);  // without the CRLF
  std::string ReadLines(size_t count, std::chrono::milliseconds wait = kDefaultWait);  // raw
  std::string ReadUntilClosed(std::chrono::milliseconds wait = kDefaultWait);
  // Decodes one RESP2/RESP3 reply; kIoError if the peer closed or the bytes are not RESP.
  Reply ReadReply(std::chrono::milliseconds wait = kDefaultWait);
  bool peer_closed() const { return peer_closed_; }
  int fd() const { return fd_; }

 private:
  // Reads whatever arrives within the deadline; false once the peer closed or time is up.
  bool Receive(std::chrono::steady_clock::time_point deadline);
  std::string Take(size_t count);

  int fd_ = -1;
  bool peer_closed_ = false;
  std::string buffer_;
};

}  // namespace cairn::test
