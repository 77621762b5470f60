// Private to the transport library: Node's state, shared by node.cc (API surface),
// node_dispatch.cc (input handling) and stdio_loop.cc (the real event loop).
#pragma once

#include <deque>
#include <map>
#include <unordered_map>

#include "transport/node.h"

namespace maelstrom {

struct Node::Impl {
  explicit Impl(NodeOptions opts);

  struct PendingRpc {
    RpcCallback callback;
    TimerId timeout_timer;
  };
  struct QueuedSend {
    std::string dest;
    json body;
  };

  // ---- input (node_dispatch.cc)
  void on_line(std::string_view line);
  void on_message(Message msg);
  void dispatch(const Message& msg);
  void deliver_reply(std::int64_t in_reply_to, const Message& msg);
  void handle_init(const Message& msg);
  void finish_init(const Message& msg);
  void run_guarded(const Message& msg, const Handler& handler);
  void answer_error(const Message& msg, int code, std::string_view text);

  // ---- output (node.cc)
  void send(std::string_view dest, json body);
  void emit(std::string_view src, std::string_view dest, const json& body);
  void on_rpc_timeout(std::int64_t msg_id);

  NodeOptions options;
  SteadyClock steady_clock;
  Clock* clock;                 // options.clock or &steady_clock
  LineSink output;
  bool output_failed = false;   // the default stdout sink hit a permanent write error
  LineFramer framer;
  TimerQueue timers;
  InputStats stats;

  std::map<std::string, Handler, std::less<>> handlers;
  std::vector<std::function<void()>> init_hooks;

  bool initialized = false;
  std::string id;
  std::vector<std::string> node_ids;
  std::deque<Message> held_before_init;
  std::vector<QueuedSend> queued_before_init;

  std::int64_t next_msg_id = 1;
  std::unordered_map<std::int64_t, PendingRpc> pending_rpcs;
};

}  // namespace maelstrom
