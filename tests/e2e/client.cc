// Client (hiredis, with RespReader taking over after HELLO 3) and RawConnection.
#include "tests/e2e/client.h"

#include <arpa/inet.h>
#include <hiredis/hiredis.h>
#include <netinet/in.h>
#include <poll.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <mutex>

namespace cairn::test {

namespace {

using Clock = std::chrono::steady_clock;

// A peer that closes while we write must give an error, not kill the test process.
void IgnoreSigpipe() {
  static std::once_flag once;
  std::call_once(once, [] { std::signal(SIGPIPE, SIG_IGN); });
}

timeval ToTimeval(std::chrono::milliseconds ms) {
  timeval tv;
  tv.tv_sec = static_cast<time_t>(ms.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((ms.count() % 1000) * 1000);
  return tv;
}

enum class Received { kData, kClosed, kTimeout };

// Waits until `fd` is readable (or the deadline passes), then reads everything available
// without blocking, so a reply is decoded once per burst rather than once per segment.
Received ReceiveAvailable(int fd, Clock::time_point deadline, std::string* out) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  pollfd p{fd, POLLIN, 0};
  int ready;
  do {
    ready = poll(&p, 1, static_cast<int>(std::max<long long>(0, left.count())));
  } while (ready < 0 && errno == EINTR);
  if (ready <= 0) return ready == 0 ? Received::kTimeout : Received::kClosed;
  bool got_data = false;
  char chunk[65536];
  while (true) {
    ssize_t n = recv(fd, chunk, sizeof(chunk), MSG_DONTWAIT);
    if (n > 0) {
      out->append(chunk, static_cast<size_t>(n));
      got_data = true;
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return Received::kData;
    // EOF or a reset: hand over what arrived first; the next call reports the close.
    return got_data ? Received::kData : Received::kClosed;
  }
}

Reply FromHiredis(const redisReply* r) {
  switch (r->type) {
    case REDIS_REPLY_STRING:
      return Reply::String(std::string(r->str, r->len));
    case REDIS_REPLY_STATUS:
      return Reply::Status(std::string(r->str, r->len));
    case REDIS_REPLY_ERROR:
      return Reply::Error(std::string(r->str, r->len));
    case REDIS_REPLY_INTEGER:
      return Reply::Integer(r->integer);
    case REDIS_REPLY_NIL:
      return Reply::Nil();
    case REDIS_REPLY_ARRAY: {
      std::vector<Reply> elements;
      elements.reserve(r->elements);
      for (size_t i = 0; i < r->elements; ++i) elements.push_back(FromHiredis(r->element[i]));
      return Reply::Array(std::move(elements));
    }
    default:
      return Reply::IoError("hiredis reply of unknown type " + std::to_string(r->type));
  }
}

bool IsHello3(const std::vector<std::string>& args) {
  return args.size() >= 2 && strcasecmp(args[0].c_str(), "HELLO") == 0 && args[1] == "3";
}

}  // namespace

void Client::ContextDeleter::operator()(redisContext* context) const { redisFree(context); }

Client::Client() = default;
Client::~Client() = default;
Client::Client(Client&&) noexcept = default;
Client& Client::operator=(Client&&) noexcept = default;

::testing::AssertionResult Client::Connect(int port, const std::string& host) {
  IgnoreSigpipe();
  Close();
  redisContext* raw = redisConnectWithTimeout(host.c_str(), port, ToTimeval(timeout_));
  if (raw == nullptr) return ::testing::AssertionFailure() << "hiredis could not allocate";
  if (raw->err != 0) {
    std::string why = raw->errstr;
    redisFree(raw);
    return ::testing::AssertionFailure()
           << "cannot connect to " << host << ":" << port << ": " << why;
  }
  context_.reset(raw);
  redisSetTimeout(raw, ToTimeval(timeout_));
  return ::testing::AssertionSuccess();
}

void Client::Close() {
  context_.reset();
  reader_.reset();
  resp3_ = false;
}

void Client::SetTimeout(std::chrono::milliseconds timeout) {
  timeout_ = timeout;
  if (context_) redisSetTimeout(context_.get(), ToTimeval(timeout_));
}

int Client::fd() const { return context_ ? context_->fd : -1; }

Reply Client::Fail(const std::string& what) {
  std::string why = what;
  if (context_ && context_->err != 0) why += ": " + std::string(context_->errstr);
  Close();
  return Reply::IoError(why);
}

void Client::NoteHello(const std::vector<std::string>& args) {
  if (!IsHello3(args)) return;
  resp3_ = true;
  if (reader_) return;
  // hiredis may have read ahead; those bytes belong to replies still to come.
  reader_ = std::make_unique<RespReader>();
  redisReader* hiredis_reader = context_->reader;
  if (hiredis_reader->buf != nullptr && hiredis_reader->len > hiredis_reader->pos) {
    reader_->Feed(std::string_view(hiredis_reader->buf + hiredis_reader->pos,
                                   hiredis_reader->len - hiredis_reader->pos));
    hiredis_reader->pos = hiredis_reader->len;
  }
}

void Client::Append(const std::vector<std::string>& args) {
  if (!context_) return;
  std::vector<const char*> argv;
  std::vector<size_t> lengths;
  for (const auto& a : args) {
    argv.push_back(a.data());
    lengths.push_back(a.size());
  }
  redisAppendCommandArgv(context_.get(), static_cast<int>(args.size()), argv.data(),
                         lengths.data());
  NoteHello(args);
}

void Client::AppendRaw(std::string_view bytes) {
  if (context_) redisAppendFormattedCommand(context_.get(), bytes.data(), bytes.size());
}

bool Client::Flush() {
  if (!context_) return false;
  int done = 0;
  do {
    if (redisBufferWrite(context_.get(), &done) != REDIS_OK) {
      Fail("write failed");
      return false;
    }
  } while (!done);
  return true;
}

Reply Client::GetReply() {
  if (!context_) return Reply::IoError("not connected");
  if (reader_) return ReadWithResp3Reader();
  void* raw = nullptr;
  if (redisGetReply(context_.get(), &raw) != REDIS_OK || raw == nullptr) {
    return Fail("no reply");
  }
  Reply reply = FromHiredis(static_cast<redisReply*>(raw));
  freeReplyObject(raw);
  return reply;
}

Reply Client::ReadWithResp3Reader() {
  if (!Flush()) return Reply::IoError("write failed");
  Clock::time_point deadline = Clock::now() + timeout_;
  while (true) {
    Reply reply;
    switch (reader_->Next(&reply)) {
      case RespReader::Result::kReply:
        return reply;
      case RespReader::Result::kProtocolError:
        return Fail("protocol error: " + reader_->error());
      case RespReader::Result::kNeedMore:
        break;
    }
    std::string chunk;
    Received got = ReceiveAvailable(context_->fd, deadline, &chunk);
    if (got == Received::kTimeout) return Fail("timed out waiting for a reply");
    if (got == Received::kClosed) return Fail("connection closed by the server");
    reader_->Feed(chunk);
  }
}

Reply Client::Command(const std::vector<std::string>& args) {
  Append(args);
  return GetReply();
}

std::vector<Reply> Client::Pipeline(const std::vector<std::vector<std::string>>& commands) {
  for (const auto& c : commands) Append(c);
  std::vector<Reply> replies;
  for (size_t i = 0; i < commands.size(); ++i) replies.push_back(GetReply());
  return replies;
}

// ---------------------------------------------------------------------------------------------

RawConnection::~RawConnection() { Close(); }

::testing::AssertionResult RawConnection::Connect(int port, const std::string& host) {
  IgnoreSigpipe();
  Close();
  sockaddr_storage address{};
  socklen_t length;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address);
  if (inet_pton(AF_INET, host.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    length = sizeof(*v4);
  } else if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    length = sizeof(*v6);
  } else {
    return ::testing::AssertionFailure() << "not a numeric address: " << host;
  }
  fd_ = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return ::testing::AssertionFailure() << "socket: " << std::strerror(errno);
  // A server that neither reads nor closes must not block a Send forever.
  timeval send_timeout = ToTimeval(kDefaultWait);
  setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &send_timeout, sizeof(send_timeout));
  if (connect(fd_, reinterpret_cast<sockaddr*>(&address), length) != 0) {
    int error = errno;
    Close();
    return ::testing::AssertionFailure()
           << "cannot connect to " << host << ":" << port << ": " << std::strerror(error);
  }
  return ::testing::AssertionSuccess();
}

void RawConnection::Close() {
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  peer_closed_ = false;
  buffer_.clear();
}

void RawConnection::ShutdownWrite() {
  if (fd_ >= 0) shutdown(fd_, SHUT_WR);
}

bool RawConnection::Send(std::string_view bytes) {
  while (fd_ >= 0 && !bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return fd_ >= 0;
}

bool RawConnection::Receive(Clock::time_point deadline) {
  if (fd_ < 0 || peer_closed_) return false;
  Received got = ReceiveAvailable(fd_, deadline, &buffer_);
  if (got == Received::kClosed) peer_closed_ = true;
  return got == Received::kData;
}

std::string RawConnection::Take(size_t count) {
  count = std::min(count, buffer_.size());
  std::string taken = buffer_.substr(0, count);
  buffer_.erase(0, count);
  return taken;
}

std::string RawConnection::ReadBytes(size_t count, std::chrono::milliseconds wait) {
  Clock::time_point deadline = Clock::now() + wait;
  while (buffer_.size() < count && Receive(deadline)) {
  }
  return Take(count);
}

std::string RawConnection::ReadLine(std::chrono::milliseconds wait) {
  Clock::time_point deadline = Clock::now() + wait;
  while (buffer_.find("\r\n") == std::string::npos && Receive(deadline)) {
  }
  size_t end = buffer_.find("\r\n");
  if (end == std::string::npos) return Take(buffer_.size());
  std::string line = Take(end);
  Take(2);
  return line;
}

std::string RawConnection::ReadLines(size_t count, std::chrono::milliseconds wait) {
  Clock::time_point deadline = Clock::now() + wait;
  auto end_of_lines = [&]() -> size_t {
    size_t pos = 0;
    for (size_t i = 0; i < count; ++i) {
      size_t found = buffer_.find("\r\n", pos);
      if (found == std::string::npos) return std::string::npos;
      pos = found + 2;
    }
    return pos;
  };
  while (end_of_lines() == std::string::npos && Receive(deadline)) {
  }
  size_t end = end_of_lines();
  return Take(end == std::string::npos ? buffer_.size() : end);
}

std::string RawConnection::ReadUntilClosed(std::chrono::milliseconds wait) {
  Clock::time_point deadline = Clock::now() + wait;
  while (Receive(deadline)) {
  }
  return Take(buffer_.size());
}

Reply RawConnection::ReadReply(std::chrono::milliseconds wait) {
  Clock::time_point deadline = Clock::now() + wait;
  while (true) {
    RespReader reader;
    reader.Feed(buffer_);
    Reply reply;
    switch (reader.Next(&reply)) {
      case RespReader::Result::kReply:
        buffer_ = reader.TakeBuffered();
        return reply;
      case RespReader::Result::kProtocolError:
        return Reply::IoError(reader.error());
      case RespReader::Result::kNeedMore:
        break;
    }
    if (!Receive(deadline)) {
      return Reply::IoError(peer_closed_ ? "connection closed by the server"
                                         : "timed out waiting for a reply");
    }
  }
}

}  // namespace cairn::test
