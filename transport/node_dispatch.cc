// Node's input side: from a line to a handler call, init, reply matching, automatic errors.
#include <algorithm>
#include <variant>

#include <spdlog/spdlog.h>

#include "transport/node_impl.h"

namespace maelstrom {
namespace {

// Enough of a bad line to recognise it in the log without flooding stderr.
std::string_view excerpt(std::string_view line) {
  constexpr std::size_t kMax = 200;
  return line.substr(0, std::min(line.size(), kMax));
}

json init_ok_for(const Message& init) {
  json ok{{"type", "init_ok"}};
  if (const auto msg_id = init.msg_id()) ok["in_reply_to"] = *msg_id;
  return ok;
}

}  // namespace

void Node::Impl::on_line(std::string_view line) {
  ++stats.lines;
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;  // blank: ignore
  auto parsed = parse_message(line, options.max_json_depth);
  if (auto* failure = std::get_if<ParseFailure>(&parsed)) {
    ++stats.bad_lines;
    spdlog::warn("skipping input line ({}): {}", failure->reason, excerpt(line));
    if (failure->answerable) {
      // A definite error: the request was not looked at, so it did not happen.
      answer_error(*failure->answerable, static_cast<int>(ErrorCode::malformed_request),
                   "input line " + failure->reason);
    }
    return;
  }
  spdlog::debug("recv {}", line);
  on_message(std::move(std::get<Message>(parsed)));
}

void Node::Impl::on_message(Message msg) {
  ++stats.messages;
  if (!initialized && msg.type() != "init") {
    if (held_before_init.size() >= options.max_held_before_init) {
      ++stats.dropped_before_init;
      spdlog::warn("dropping '{}' from {}: not initialized and {} messages already held",
                   msg.type(), msg.src, held_before_init.size());
      return;
    }
    held_before_init.push_back(std::move(msg));
    return;
  }
  if (initialized && msg.dest != id) {
    spdlog::debug("message for {} delivered to {}; handling it anyway", msg.dest, id);
  }
  dispatch(msg);
}

void Node::Impl::dispatch(const Message& msg) {
  if (const auto in_reply_to = msg.in_reply_to()) {
    deliver_reply(*in_reply_to, msg);
    return;
  }
  if (msg.type() == "init") {
    run_guarded(msg, [this](const Message& m) { handle_init(m); });
    return;
  }
  const auto handler = handlers.find(msg.type());
  if (handler == handlers.end()) {
    const Error error = Error::not_supported(msg.type());
    spdlog::info("{} from {}", error.what(), msg.src);
    answer_error(msg, error.code(), error.what());
    return;
  }
  run_guarded(msg, handler->second);
}

void Node::Impl::deliver_reply(std::int64_t in_reply_to, const Message& msg) {
  const auto it = pending_rpcs.find(in_reply_to);
  if (it == pending_rpcs.end()) {
    ++stats.unmatched_replies;
    spdlog::debug("dropping '{}' from {}: no pending rpc {} (late or unknown)", msg.type(),
                  msg.src, in_reply_to);
    return;
  }
  RpcCallback callback = std::move(it->second.callback);
  timers.cancel(it->second.timeout_timer);
  pending_rpcs.erase(it);
  try {
    callback(RpcResult::replied(msg));
  } catch (const std::exception& e) {
    spdlog::error("rpc callback for {} failed: {}", in_reply_to, e.what());
  }
}

// A handler's exceptions become error replies: maelstrom::Error keeps its code (a handler's
// deliberate answer, or 12 from Message::get); anything else is a bug in the handler, and
// since it may have failed halfway through, the only honest answer is 13 (indefinite).
void Node::Impl::run_guarded(const Message& msg, const Handler& handler) {
  try {
    handler(msg);
  } catch (const Error& e) {
    spdlog::info("'{}' from {} answered with error {}: {}", msg.type(), msg.src, e.code(),
                 e.what());
    answer_error(msg, e.code(), e.what());
  } catch (const std::exception& e) {
    spdlog::error("handler for '{}' failed: {}", msg.type(), e.what());
    answer_error(msg, static_cast<int>(ErrorCode::crash),
                 std::string("internal error: ") + e.what());
  }
}

void Node::Impl::answer_error(const Message& msg, int code, std::string_view text) {
  if (!msg.msg_id() || msg.in_reply_to()) return;  // nobody is waiting for an answer
  json body{{"type", "error"}, {"in_reply_to", *msg.msg_id()}, {"code", code}, {"text", text}};
  if (initialized) {
    send(msg.src, std::move(body));
  } else {
    emit(msg.dest, msg.src, body);  // a broken init: its dest is our name
  }
}

void Node::Impl::handle_init(const Message& msg) {
  auto node_id = msg.get<std::string>("node_id");
  auto ids = msg.get<std::vector<std::string>>("node_ids");
  if (std::find(ids.begin(), ids.end(), node_id) == ids.end()) {
    throw Error::malformed("node_ids", "does not contain node_id '" + node_id + "'");
  }
  if (initialized) {
    if (node_id != id || ids != node_ids) {
      throw Error(ErrorCode::abort, "already initialized as " + id + "; a node cannot be renamed");
    }
    spdlog::warn("repeated init from {}; answering init_ok again", msg.src);
    send(msg.src, init_ok_for(msg));
    return;
  }
  id = std::move(node_id);
  node_ids = std::move(ids);
  initialized = true;
  spdlog::info("initialized as {} of {} nodes", id, node_ids.size());
  finish_init(msg);
}

// Runs the init hooks, answers init, then releases what waited for init: queued sends first
// (they were made earlier), then held input in arrival order.
void Node::Impl::finish_init(const Message& msg) {
  std::string failure;
  for (const auto& hook : init_hooks) {
    try {
      hook();
    } catch (const std::exception& e) {
      spdlog::error("init hook failed: {}", e.what());
      failure = e.what();
    }
  }
  if (!failure.empty()) {
    answer_error(msg, static_cast<int>(ErrorCode::crash), "init failed: " + failure);
  } else {
    send(msg.src, init_ok_for(msg));
  }
  auto queued = std::move(queued_before_init);
  queued_before_init.clear();
  for (auto& q : queued) send(q.dest, std::move(q.body));
  while (!held_before_init.empty()) {
    Message held = std::move(held_before_init.front());
    held_before_init.pop_front();
    dispatch(held);
  }
}

}  // namespace maelstrom
