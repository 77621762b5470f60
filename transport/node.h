// The Maelstrom node API: write a Maelstrom node by registering a handler per message type.
//
//     #include "transport/maelstrom.h"
//
//     int main(int argc, char** argv) {
//       maelstrom::init_logging_from_args(argc, argv);   // --log-level, logs on stderr
//       maelstrom::Node node;
//       node.handle("echo", [&](const maelstrom::Message& req) {
//         node.reply(req, {{"type", "echo_ok"}, {"echo", req.at("echo")}});
//       });
//       return node.run();   // serves stdin/stdout until EOF, then returns 0
//     }
//
// What the node does for you
// - Answers `init` with `init_ok` and records node_id / node_ids; hooks registered with
//   on_init() run once, right before init_ok is sent. Messages other than init that arrive
//   before init are held and dispatched in order right after it; sends made before init
//   (say, from a timer) are queued and go out right after it. So the node never messages a
//   peer before it knows its own name.
// - Answers a request of an unregistered type with error 10 (not-supported).
// - Turns a maelstrom::Error thrown by a handler into an error reply with its code, and any
//   other exception into error 13 (crash, indefinite) plus a log line. Message::get<T>()
//   throws Error 12 (malformed-request) naming the missing or mistyped field, so typed
//   field access needs no checking code in handlers.
// - Error replies are only ever sent to requests carrying a msg_id and no in_reply_to:
//   a message without msg_id expects no answer, and answering replies could loop forever.
// - Skips (and logs on stderr) input lines that are not JSON, lack src/dest/body, have a
//   body without a string type, or exceed the line limit; then keeps serving.
// - Matches replies to rpc() calls by in_reply_to and reports a timeout when none came.
// - Writes each output line whole with write(2), newline-terminated, never anything else
//   on stdout. Logs go to stderr through spdlog.
//
// Threading: everything runs on one thread, inside run(): handlers, rpc callbacks and
// timers never run concurrently, so node state needs no locks. Do not block in a handler
// (no sleeping, no waiting for a reply): use rpc() with a callback, or after().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "transport/clock.h"
#include "transport/error.h"
#include "transport/line_framer.h"
#include "transport/message.h"
#include "transport/timer_queue.h"

namespace maelstrom {

// Handles one incoming message of a registered type. Reply now with node.reply(), later
// from a copy of the message, or not at all (Maelstrom then sees a timeout).
using Handler = std::function<void(const Message& request)>;

// The outcome of rpc(): exactly one of a reply (which may be an "error" body) or a timeout.
class RpcResult {
 public:
  static RpcResult timeout() { return RpcResult(std::nullopt); }
  static RpcResult replied(Message reply) { return RpcResult(std::move(reply)); }

  // No reply arrived within the timeout. For writes, this means "unknown", not "failed".
  [[nodiscard]] bool timed_out() const { return !reply_.has_value(); }
  // A reply arrived and it is not an error.
  [[nodiscard]] bool ok() const { return reply_ && reply_->type() != "error"; }
  // A reply arrived and it is {"type":"error",...}.
  [[nodiscard]] bool is_error() const { return reply_ && reply_->type() == "error"; }
  // The error reply's code; ErrorCode::timeout (0) on timeout; -1 for a non-error reply
  // or an error reply whose code is missing or not an integer.
  [[nodiscard]] int error_code() const;
  // The reply. Precondition: !timed_out().
  [[nodiscard]] const Message& reply() const { return *reply_; }

 private:
  explicit RpcResult(std::optional<Message> reply) : reply_(std::move(reply)) {}
  std::optional<Message> reply_;
};

using RpcCallback = std::function<void(const RpcResult& result)>;

// Default wait for an rpc() reply. Maelstrom's clients give up after about 1 s, so a node
// relaying a client request has no use for a longer wait.
inline constexpr Duration kDefaultRpcTimeout = std::chrono::seconds(1);

// Receives each output line, complete and ending in '\n'. The default writes it to stdout.
using LineSink = std::function<void(std::string_view line)>;

struct NodeOptions {
  // Time source for timers and rpc timeouts; nullptr means the real monotonic clock.
  // Not owned; must outlive the node.
  Clock* clock = nullptr;
  // Where output lines go; empty means stdout (write(2), whole lines).
  LineSink output;
  // Longer input lines are dropped (and logged), the node keeps serving.
  std::size_t max_line_bytes = kDefaultMaxLineBytes;
  // Lines nesting arrays/objects deeper than this are refused; a request among them (a
  // usable envelope with a msg_id) is answered with error 12. See message.h.
  std::size_t max_json_depth = kDefaultMaxJsonDepth;
  // At most this many non-init messages are held while waiting for init; more are dropped.
  std::size_t max_held_before_init = 10000;
};

// Counters of what the input side saw; tests and debug logging use them.
struct InputStats {
  std::uint64_t lines = 0;             // complete lines (oversized ones excluded)
  std::uint64_t messages = 0;          // lines that parsed as messages
  std::uint64_t bad_lines = 0;         // skipped: not JSON / bad envelope / no type
  std::uint64_t oversized_lines = 0;   // skipped: over max_line_bytes
  std::uint64_t unmatched_replies = 0; // in_reply_to matching no pending rpc (e.g. late)
  std::uint64_t dropped_before_init = 0;
};

class Node {
 public:
  explicit Node(NodeOptions options = {});
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  // ---- Setup (call before run) -----------------------------------------------------------

  // Registers the handler for messages whose body type is `type`, including your own
  // inter-node types ("raft_append", ...). One handler per type; registering a type twice,
  // or "init", throws std::logic_error.
  void handle(std::string type, Handler handler);

  // Runs `hook` once, when init arrives, after id() and node_ids() are set and before
  // init_ok is sent: the place to create per-cluster state and start periodic timers.
  void on_init(std::function<void()> hook);

  // ---- Identity (valid once initialized) ---------------------------------------------------

  [[nodiscard]] bool initialized() const;
  // This node's name ("n1"); empty before init.
  [[nodiscard]] const std::string& id() const;
  // Every server node, in the same order on every node, including this one.
  [[nodiscard]] const std::vector<std::string>& node_ids() const;
  // node_ids() without this node.
  [[nodiscard]] std::vector<std::string> peers() const;

  // ---- Sending -----------------------------------------------------------------------------
  // Every body must be a JSON object with a string "type"; anything else is a programming
  // error and throws std::invalid_argument.

  // Sends `body` to `dest` as is, expecting no reply (no msg_id is added).
  void send(std::string_view dest, json body);

  // Answers `request`: sends `body` to request.src with in_reply_to = request's msg_id (if
  // it had one). May be called long after the handler returned, from a copy of the request.
  void reply(const Message& request, json body);

  // Answers `request` with {"type":"error","code":code,"text":text}.
  void reply_error(const Message& request, ErrorCode code, std::string_view text);
  void reply_error(const Message& request, int code, std::string_view text);

  // Sends `body` to `dest` with a fresh msg_id and calls `callback` exactly once: with the
  // reply whose in_reply_to matches, or with a timeout after `timeout`. A reply arriving
  // after the timeout is dropped (and counted in stats().unmatched_replies). Returns the
  // msg_id used.
  std::int64_t rpc(std::string_view dest, json body, RpcCallback callback,
                   Duration timeout = kDefaultRpcTimeout);

  // Forgets a pending rpc: its callback will never run. Returns false if it already
  // completed or timed out.
  bool cancel_rpc(std::int64_t msg_id);

  // ---- Timers ------------------------------------------------------------------------------
  // Callbacks run on the loop thread, between messages. An exception escaping one is
  // logged and swallowed.

  // Runs `fn` once after `delay` (e.g. "wait briefly for a leader").
  TimerId after(Duration delay, std::function<void()> fn);
  // Runs `fn` every `interval` (e.g. the Raft tick), first one interval from now.
  TimerId every(Duration interval, std::function<void()> fn);
  // Stops a timer; false if it already fired (one-shot) or was cancelled.
  bool cancel(TimerId id);
  // The node's clock.
  [[nodiscard]] TimePoint now() const;

  // ---- Running -----------------------------------------------------------------------------

  // The event loop: polls stdin (or `input_fd`) with the next timer deadline as timeout,
  // feeds input to the node, fires due timers. Returns 0 at end of input, 1 if reading or
  // writing failed for good (e.g. stdout closed).
  int run();
  int run(int input_fd);

  // ---- Driving the node by hand (what run() does; tests use these directly) --------------

  // Feeds raw input bytes; complete lines are handled immediately.
  void receive_bytes(std::string_view chunk);
  // Handles one input line (without '\n').
  void receive_line(std::string_view line);
  // End of input: a final line without '\n' is still handled.
  void receive_eof();
  // Fires timers (and rpc timeouts) due at now().
  void run_due_timers();
  // Earliest pending timer or rpc deadline.
  [[nodiscard]] std::optional<TimePoint> next_deadline() const;
  [[nodiscard]] const InputStats& stats() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace maelstrom
