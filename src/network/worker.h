// Worker: one thread with its own libevent loop. It owns the connections handed to it,
// reads their requests, runs their commands and writes their replies. Other threads talk to
// a worker only through Post(), which runs a task on the worker's own thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

struct event;
struct event_base;

namespace cairn {

class Client;
class Server;

class Worker {
 public:
  Worker(Server* server, int index);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  int index() const { return index_; }
  void Start();
  // Finishes the command in progress, writes what can be written, closes every connection
  // and joins the thread.
  void Stop();

  // Runs task on this worker's thread. Safe from any thread.
  void Post(std::function<void()> task);
  // Takes ownership of an accepted socket. Safe from any thread.
  void AdoptConnection(int fd, std::string address, std::string local_address);

  // Called on the worker thread: append bytes to a client's output and send them.
  void SendToClient(uint64_t client_id, const std::string& bytes);
  void CloseClientById(uint64_t client_id);
  // Called on the worker thread: the client with this id, or null once it is closed.
  Client* FindClient(uint64_t client_id);
  // Called on the worker thread once a parked blocking command has replied: runs the
  // client's pipelined commands and sends the output.
  void ResumeInput(Client* client) { ProcessInput(client); }

 private:
  static void OnReadable(int fd, short events, void* arg);
  static void OnWritable(int fd, short events, void* arg);
  static void OnTasks(int fd, short events, void* arg);
  static void OnTimer(int fd, short events, void* arg);

  void Adopt(int fd, const std::string& address, const std::string& local_address);
  void ReadFrom(Client* client);
  // Parses and runs every complete command in the client's query buffer.
  void ProcessInput(Client* client);
  // Runs one parsed command; false when CLIENT PAUSE holds it back.
  bool RunCommand(Client* client);
  // Before a pipelined command runs: starts the memory reads the next two commands waiting
  // in the client's input will make for their first key (Storage::PrefetchKey).
  void PrefetchUpcoming(Client* client);
  void Flush(Client* client);
  // Like Redis's beforeSleep: once per event-loop pass, the replies of every client that ran
  // commands in it are sent, after one WAL flush has made all their writes durable.
  void QueueFlush(Client* client);
  void FlushQueued();
  void RunLoop();
  bool OutputOverLimits(Client* client);
  void CloseClient(Client* client);
  void RunTasks();
  void Tick();

  Server* const server_;
  const int index_;
  struct event_base* base_ = nullptr;
  struct event* tasks_event_ = nullptr;
  struct event* timer_event_ = nullptr;
  std::thread thread_;
  std::unordered_map<uint64_t, std::unique_ptr<Client>> clients_;
  std::vector<uint64_t> paused_clients_;  // waiting for CLIENT PAUSE to end
  std::vector<uint64_t> flush_queue_;     // clients with replies to send this pass
  std::unique_ptr<char[]> read_buffer_;   // one read's bytes, before they join a query buffer
  std::atomic<bool> stopping_{false};
  uint64_t ticks_ = 0;

  std::mutex tasks_mutex_;
  std::vector<std::function<void()>> tasks_;
};

}  // namespace cairn
