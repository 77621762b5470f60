// One test run: spawns the nodes, initialises them, drives the workload and the nemesis
// through the simulated network, and records the history. A single-threaded event loop:
// poll() over every child's pipes and a self-pipe for signals, woken at the next deadline
// (message delivery, client timeout, next operation, next fault, progress tick).
#pragma once

#include <deque>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tests/workbench/src/child.h"
#include "tests/workbench/src/line_buffer.h"
#include "tests/workbench/src/nemesis.h"
#include "tests/workbench/src/network.h"
#include "tests/workbench/src/progress.h"
#include "tests/workbench/src/run_result.h"
#include "tests/workbench/src/services.h"
#include "tests/workbench/src/stagger.h"
#include "tests/workbench/src/workload.h"

namespace workbench {

class Runner {
 public:
  // store_dir must exist; node logs and workbench.log are written there.
  Runner(Options options, std::uint64_t seed, std::string store_dir);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  RunResult run();

  static constexpr std::size_t kMaxLine = 1 << 20;  // longer stdout lines are violations

 private:
  struct Node {
    std::string name;
    std::optional<Child> child;
    LineBuffer out{kMaxLine};
    LineBuffer err{kMaxLine};
    std::string pending_in;           // bytes waiting for the node to read its stdin
    bool reader_broken = false;       // after a bad line Maelstrom ignores the node's stdout
    bool up = false;                  // running and reachable (not killed by the nemesis)
    bool exit_reported = false;
    bool killed_by_us = false;        // SIGKILL from the workbench: a cut-off line is ours
    std::deque<std::string> last_err; // recent stderr lines, quoted when it crashes
    std::ofstream log;
  };
  struct Client {
    std::string name;
    std::string server;
    std::int64_t next_msg_id = 1;
    std::optional<std::int64_t> waiting_for;
    Nanos deadline = 0;
    int thread = -1;         // worker thread, or -1 for an init client
    int init_node = -1;      // node index an init client initialises
  };
  struct ThreadState {
    bool busy = false;
    std::string client;                // its current network client ("" before the first op)
    std::int64_t client_process = -1;  // the process that client was opened for
    Invocation inv;
    std::int64_t invoke_index = -1;
  };

  // runner.cc: the loop
  void loop_until(const std::function<bool()>& done, Nanos hard_deadline);
  void poll_once(Nanos deadline);
  void on_timers(Nanos now);
  Nanos next_deadline(Nanos now) const;
  Nanos rel(Nanos now) const { return now - workload_start_; }
  Nanos since_start(Nanos now) const { return now - run_start_; }
  void log(const std::string& line);
  void draw_progress(Nanos now);

  // runner_nodes.cc: processes and their pipes
  bool spawn_node(std::size_t i);
  void read_stdout(Node& n, Nanos now);
  void read_stderr(Node& n);
  void flush_stdin(Node& n);
  void handle_line(Node& n, std::string_view line, Nanos now);
  void violation(const std::string& node, std::string_view line, const std::string& reason, Nanos now);
  void check_exits(Nanos now);
  bool deliver(NetMessage&& m, Nanos now);
  void kill_node(std::size_t i, Nanos now);
  void drain_dead(Node& n, Nanos now);
  void shutdown_nodes(Nanos now);
  std::size_t node_index(const std::string& name) const;

  // runner_clients.cc: init, operations, replies, timeouts
  std::string open_client(const std::string& server);
  void close_client(const std::string& name);
  void send_init(std::size_t node, Nanos now);
  void on_client_message(Client& c, NetMessage&& m, Nanos now);
  void on_init_reply(Client& c, const NetMessage& m, Nanos now);
  void on_init_timeout(Client& c, Nanos now);
  void issue_ops(Nanos now);
  void issue(Invocation inv, Nanos at);
  void complete(int thread, Op completion, Nanos now);
  void on_worker_reply(Client& c, const NetMessage& m, Nanos now);
  void on_worker_timeout(Client& c, Nanos now);
  void expire_clients(Nanos now);
  bool ops_in_flight() const;
  bool ops_due_before_cutoff() const;

  // runner_nemesis.cc
  void run_nemesis(Nanos now);
  void apply(const NemesisAction& a, Nanos now);
  std::string current_fault() const;

  Options o_;
  std::uint64_t seed_;
  std::string dir_;
  Network net_;
  Services services_;
  std::unique_ptr<Workload> workload_;
  Threads threads_;
  std::vector<ThreadState> thread_state_;
  Nemesis nemesis_;
  Stagger stagger_;
  Progress progress_;
  std::ofstream wlog_;

  std::vector<Node> nodes_;
  std::map<std::string, Client> clients_;
  std::int64_t next_client_ = 0;
  Nanos op_timeout_;
  Nanos init_timeout_;
  Nanos run_start_ = 0;          // the nodes were spawned: workbench.log's clock
  Nanos workload_start_ = 0;     // time 0 of the history
  bool workload_running_ = false;
  Nanos cutoff_ = 0;             // no operation is issued at or after this time
  std::int64_t invoked_ = 0, ok_ = 0, fail_ = 0, info_ = 0;
  int inits_pending_ = 0;
  bool init_failed_ = false;
  RunResult result_;
};

}  // namespace workbench
