// Node's public surface: setup, identity, sending, rpc and timers. Input handling lives in
// node_dispatch.cc, the stdio event loop in stdio_loop.cc.
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

#include <spdlog/spdlog.h>

#include "transport/fd_io.h"
#include "transport/logging.h"
#include "transport/node_impl.h"

namespace maelstrom {
namespace {

void require_typed_body(const json& body, const char* what) {
  if (!body.is_object()) {
    throw std::invalid_argument(std::string(what) + ": body must be a JSON object");
  }
  const auto type = body.find("type");
  if (type == body.end() || !type->is_string()) {
    throw std::invalid_argument(std::string(what) + ": body needs a string \"type\"");
  }
}

// Wraps a timer callback so that an exception is logged instead of unwinding the loop.
std::function<void()> guarded_timer(std::function<void()> fn) {
  return [fn = std::move(fn)] {
    try {
      fn();
    } catch (const std::exception& e) {
      spdlog::error("timer callback failed: {}", e.what());
    }
  };
}

}  // namespace

int RpcResult::error_code() const {
  if (!reply_) return static_cast<int>(ErrorCode::timeout);
  if (!is_error()) return -1;
  const auto code = reply_->body.find("code");
  if (code == reply_->body.end() || !code->is_number_integer()) return -1;
  return code->get<int>();
}

Node::Impl::Impl(NodeOptions opts)
    : options(std::move(opts)),
      clock(options.clock != nullptr ? options.clock : &steady_clock),
      output(std::move(options.output)),
      framer(options.max_line_bytes,
             LineFramer::Sinks{
                 [this](std::string_view line) { on_line(line); },
                 [this](std::size_t bytes) {
                   ++stats.oversized_lines;
                   spdlog::warn("dropped an input line of {} bytes (limit {} bytes)", bytes,
                                options.max_line_bytes);
                 }}) {
  if (!output) {
    output = [this](std::string_view line) {
      if (output_failed) return;
      if (!write_all(STDOUT_FILENO, line)) {
        output_failed = true;
        spdlog::error("writing to stdout failed; no further output is possible");
      }
    };
  }
}

void Node::Impl::emit(std::string_view src, std::string_view dest, const json& body) {
  std::string line = serialize_message(src, dest, body);
  spdlog::debug("send {}", line);
  line.push_back('\n');
  output(line);
}

void Node::Impl::send(std::string_view dest, json body) {
  if (dest.empty()) throw std::invalid_argument("send: empty destination");
  if (!initialized) {
    // Our own name is unknown until init, and Maelstrom forbids talking to peers before it.
    queued_before_init.push_back(QueuedSend{std::string(dest), std::move(body)});
    return;
  }
  emit(id, dest, body);
}

void Node::Impl::on_rpc_timeout(std::int64_t msg_id) {
  const auto it = pending_rpcs.find(msg_id);
  if (it == pending_rpcs.end()) return;
  RpcCallback callback = std::move(it->second.callback);
  pending_rpcs.erase(it);
  spdlog::debug("rpc {} timed out", msg_id);
  callback(RpcResult::timeout());  // exceptions are caught by the timer wrapper
}

Node::Node(NodeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {
  ensure_stderr_logging();
}

Node::~Node() = default;

void Node::handle(std::string type, Handler handler) {
  if (type == "init") {
    throw std::logic_error("init is answered by the node itself; use on_init() for setup");
  }
  if (!handler) throw std::logic_error("handler for '" + type + "' is empty");
  const auto [it, inserted] = impl_->handlers.emplace(std::move(type), std::move(handler));
  if (!inserted) throw std::logic_error("a handler for '" + it->first + "' already exists");
}

void Node::on_init(std::function<void()> hook) { impl_->init_hooks.push_back(std::move(hook)); }

bool Node::initialized() const { return impl_->initialized; }
const std::string& Node::id() const { return impl_->id; }
const std::vector<std::string>& Node::node_ids() const { return impl_->node_ids; }

std::vector<std::string> Node::peers() const {
  std::vector<std::string> out;
  std::copy_if(impl_->node_ids.begin(), impl_->node_ids.end(), std::back_inserter(out),
               [this](const std::string& n) { return n != impl_->id; });
  return out;
}

void Node::send(std::string_view dest, json body) {
  require_typed_body(body, "send");
  impl_->send(dest, std::move(body));
}

void Node::reply(const Message& request, json body) {
  require_typed_body(body, "reply");
  if (const auto msg_id = request.msg_id()) body["in_reply_to"] = *msg_id;
  if (!impl_->initialized) {
    // Only an answer to a broken init gets here (everything else waits for init). The
    // request's dest is our name by definition.
    impl_->emit(request.dest, request.src, body);
    return;
  }
  impl_->send(request.src, std::move(body));
}

void Node::reply_error(const Message& request, ErrorCode code, std::string_view text) {
  reply_error(request, static_cast<int>(code), text);
}

void Node::reply_error(const Message& request, int code, std::string_view text) {
  reply(request, json{{"type", "error"}, {"code", code}, {"text", text}});
}

std::int64_t Node::rpc(std::string_view dest, json body, RpcCallback callback,
                       Duration timeout) {
  require_typed_body(body, "rpc");
  if (!callback) throw std::invalid_argument("rpc: empty callback");
  const std::int64_t msg_id = impl_->next_msg_id++;
  body["msg_id"] = msg_id;
  const TimerId timer = impl_->timers.schedule_at(
      now() + timeout, guarded_timer([impl = impl_.get(), msg_id] { impl->on_rpc_timeout(msg_id); }));
  impl_->pending_rpcs.emplace(msg_id, Impl::PendingRpc{std::move(callback), timer});
  impl_->send(dest, std::move(body));
  return msg_id;
}

bool Node::cancel_rpc(std::int64_t msg_id) {
  const auto it = impl_->pending_rpcs.find(msg_id);
  if (it == impl_->pending_rpcs.end()) return false;
  impl_->timers.cancel(it->second.timeout_timer);
  impl_->pending_rpcs.erase(it);
  return true;
}

TimerId Node::after(Duration delay, std::function<void()> fn) {
  return impl_->timers.schedule_at(now() + delay, guarded_timer(std::move(fn)));
}

TimerId Node::every(Duration interval, std::function<void()> fn) {
  return impl_->timers.schedule_every(now() + interval, interval, guarded_timer(std::move(fn)));
}

bool Node::cancel(TimerId id) { return impl_->timers.cancel(id); }

TimePoint Node::now() const { return impl_->clock->now(); }

void Node::receive_bytes(std::string_view chunk) { impl_->framer.feed(chunk); }
void Node::receive_line(std::string_view line) { impl_->on_line(line); }
void Node::receive_eof() { impl_->framer.finish(); }
void Node::run_due_timers() { impl_->timers.run_due(now()); }
std::optional<TimePoint> Node::next_deadline() const { return impl_->timers.next_deadline(); }
const InputStats& Node::stats() const { return impl_->stats; }

}  // namespace maelstrom
