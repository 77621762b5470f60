#include "http_api.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <charconv>

#include "kv/command.h"

namespace raftkv {

namespace {

using json = nlohmann::json;

// ---- the kv state machine's operations and results as bytes (kv/command.h) -------------

/// The state machine's answer: a value, or "key does not exist" / "precondition failed".
struct KvAnswer {
  enum class Kind { kOk, kNoKey, kMismatch, kUndecodable } kind = Kind::kUndecodable;
  json value;
};

KvAnswer decode_answer(const std::string& bytes) {
  const std::optional<kv::Result> r = kv::decode_result(bytes);
  if (!r) return {};
  if (r->ok) return {KvAnswer::Kind::kOk, r->value};
  if (r->code == kv::ErrorCode::kKeyDoesNotExist) return {KvAnswer::Kind::kNoKey, nullptr};
  if (r->code == kv::ErrorCode::kPreconditionFailed) return {KvAnswer::Kind::kMismatch, nullptr};
  return {};
}

// ---- HTTP helpers -----------------------------------------------------------------------

void reply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump() + "\n", "application/json");
}

void reply_error(httplib::Response& res, int status, const std::string& message) {
  reply(res, status, json{{"error", message}});
}

/// Parses the body as a JSON object holding every field in `fields`; else answers 400.
std::optional<json> body_with(const httplib::Request& req, httplib::Response& res,
                              std::initializer_list<const char*> fields) {
  json body = json::parse(req.body, nullptr, false);
  if (body.is_discarded()) {
    reply_error(res, 400, "the body is not valid JSON");
    return std::nullopt;
  }
  if (!body.is_object()) {
    reply_error(res, 400, "the body must be a JSON object");
    return std::nullopt;
  }
  for (const char* f : fields) {
    if (!body.contains(f)) {
      reply_error(res, 400, std::string("the body has no \"") + f + "\" field");
      return std::nullopt;
    }
  }
  return body;
}

}  // namespace

class HttpApi::Impl {
 public:
  Impl(Runtime& runtime, const ServeOptions& options) : rt_(runtime), opt_(options) {
    const int threads = opt_.http_threads;
    server_.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    server_.set_payload_max_length(opt_.max_body_bytes);
    // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which lets a second server
    // bind the same port and silently share its clients with this one.
    server_.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });
    server_.set_error_handler(httplib::Server::HandlerWithResponse([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return httplib::Server::HandlerResponse::Unhandled;  // ours already
      const std::string why = res.status == 413   ? "the request body is over the size limit"
                              : res.status == 404 ? "no such endpoint: see GET /status, /kv/KEY, /cluster"
                                                  : "malformed HTTP request (a POST or PUT needs a Content-Length)";
      reply_error(res, res.status, why);
      return httplib::Server::HandlerResponse::Handled;
    }));
    routes();
  }

  std::string bind() {
    if (!server_.bind_to_port(opt_.http.host, opt_.http.port)) {
      return "cannot listen on " + opt_.http.host + ":" + std::to_string(opt_.http.port);
    }
    return {};
  }
  void run() { server_.listen_after_bind(); }
  void stop() { server_.stop(); }

 private:
  void routes();
  void get(const std::string& key, httplib::Response& res);
  void put(const std::string& key, const httplib::Request& req, httplib::Response& res);
  void cas(const std::string& key, const httplib::Request& req, httplib::Response& res);
  void del(const std::string& key, httplib::Response& res);
  void status(httplib::Response& res);
  // Administration (see http_api.h).
  void cluster(httplib::Response& res);
  void change(raft::ConfChangeType type, const std::string& id, httplib::Response& res);
  void transfer(const httplib::Request& req, httplib::Response& res);
  void admin_result(std::future<AdminOutcome> f, int ok_status, httplib::Response& res);
  /// Waits for the runtime's answer; on success returns it, else answers the error.
  std::optional<KvAnswer> finish(std::future<Outcome> f, httplib::Response& res);

  Runtime& rt_;
  const ServeOptions& opt_;
  httplib::Server server_;
};

void HttpApi::Impl::routes() {
  // One pattern per resource, every method routed, so a wrong method gets 405, not 404.
  const std::string key = R"(/kv/(.+))";
  const auto not_allowed = [](const char* allow) {
    return [allow](const httplib::Request& req, httplib::Response& res) {
      res.set_header("Allow", allow);
      reply_error(res, 405, "method " + req.method + " is not allowed here (allowed: " + allow + ")");
    };
  };
  server_.Get("/status", [this](const httplib::Request&, httplib::Response& res) { status(res); });
  for (const char* path : {"/status"}) {
    server_.Put(path, not_allowed("GET"));
    server_.Post(path, not_allowed("GET"));
    server_.Delete(path, not_allowed("GET"));
  }
  server_.Post(R"(/kv/(.+)/cas)", [this](const httplib::Request& req, httplib::Response& res) { cas(req.matches[1], req, res); });
  server_.Get(key, [this](const httplib::Request& req, httplib::Response& res) { get(req.matches[1], res); });
  server_.Put(key, [this](const httplib::Request& req, httplib::Response& res) { put(req.matches[1], req, res); });
  server_.Delete(key, [this](const httplib::Request& req, httplib::Response& res) { del(req.matches[1], res); });
  server_.Post(key, not_allowed("GET, PUT, DELETE (POST only on /kv/KEY/cas)"));
  if (opt_.debug_endpoints) {  // partition tests: cut this node off from its peers
    server_.Post("/debug/isolate", [this](const httplib::Request&, httplib::Response& res) {
      rt_.isolate(true);
      reply(res, 200, json{{"isolated", true}});
    });
    server_.Post("/debug/heal", [this](const httplib::Request&, httplib::Response& res) {
      rt_.isolate(false);
      reply(res, 200, json{{"isolated", false}});
    });
  }
  server_.Patch(key, not_allowed("GET, PUT, DELETE"));

  server_.Get("/cluster", [this](const httplib::Request&, httplib::Response& res) { cluster(res); });
  server_.Post(R"(/cluster/voters/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    change(raft::ConfChangeType::kAddVoter, req.matches[1], res);
  });
  server_.Post(R"(/cluster/learners/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    change(raft::ConfChangeType::kAddLearner, req.matches[1], res);
  });
  server_.Delete(R"(/cluster/members/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
    change(raft::ConfChangeType::kRemove, req.matches[1], res);
  });
  server_.Post("/cluster/transfer", [this](const httplib::Request& req, httplib::Response& res) { transfer(req, res); });
}

namespace {

json ids(const std::vector<raft::NodeId>& v) {
  json out = json::array();
  for (raft::NodeId n : v) out.push_back(n.value());
  return out;
}

std::optional<raft::NodeId> parse_node(const std::string& text) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || v == 0) return std::nullopt;
  return raft::NodeId{v};
}

}  // namespace

void HttpApi::Impl::cluster(httplib::Response& res) {
  const RuntimeStatus s = rt_.status();
  const raft::ConfState& c = s.configuration;
  json peers = json::object();
  for (const auto& [id, ep] : opt_.runtime.peers) peers[std::to_string(id.value())] = ep.host + ":" + std::to_string(ep.port);
  reply(res, 200, json{{"id", s.id.value()},
                       {"leader", s.leader.is_none() ? json(nullptr) : json(s.leader.value())},
                       {"term", s.term.value()},
                       {"voters", ids(c.voters)},
                       {"voters_outgoing", ids(c.voters_outgoing)},
                       {"learners", ids(c.learners)},
                       {"joint", c.joint()},
                       {"member", c.is_member(s.id)},
                       {"index", s.configuration_index.value()},
                       {"committed", s.configuration_committed},
                       {"peers", peers}});
}

// A POST on a member changes its role: a learner added as a voter is promoted; a voter
// added as a learner is demoted.
void HttpApi::Impl::change(raft::ConfChangeType type, const std::string& id, httplib::Response& res) {
  const std::optional<raft::NodeId> node = parse_node(id);
  if (!node) return reply_error(res, 400, "expected a node id (a positive integer), got '" + id + "'");
  const raft::ConfState c = rt_.status().configuration;
  if (type == raft::ConfChangeType::kAddVoter && c.is_learner(*node)) type = raft::ConfChangeType::kPromote;
  admin_result(rt_.change_configuration(raft::ConfChangeRequest{{{type, *node}}, false}), 200, res);
}

void HttpApi::Impl::transfer(const httplib::Request& req, httplib::Response& res) {
  const auto body = body_with(req, res, {"to"});
  if (!body) return;
  if (!(*body)["to"].is_number_unsigned() || (*body)["to"].get<std::uint64_t>() == 0) {
    return reply_error(res, 400, "\"to\" must be a node id (a positive integer)");
  }
  admin_result(rt_.transfer_leadership(raft::NodeId{(*body)["to"].get<std::uint64_t>()}), 202, res);
}

void HttpApi::Impl::admin_result(std::future<AdminOutcome> f, int ok_status, httplib::Response& res) {
  if (f.wait_for(opt_.runtime.request_timeout + std::chrono::seconds(5)) != std::future_status::ready) {
    return reply_error(res, 504, "no answer from the node in time; the outcome is unknown");
  }
  const AdminOutcome o = f.get();
  if (o.ok()) {
    json body = json{{"ok", true}};
    if (o.index.value() != 0) body["index"] = o.index.value();
    const raft::ConfState c = rt_.status().configuration;
    body["voters"] = ids(c.voters);
    body["voters_outgoing"] = ids(c.voters_outgoing);
    body["learners"] = ids(c.learners);
    return reply(res, ok_status, body);
  }
  if (o.status == AdminOutcome::Status::kUnknown) return reply_error(res, 504, "outcome unknown: " + o.error);
  using Code = raft::AdminError::Code;
  const raft::AdminError& e = o.refusal;
  json body = json{{"error", o.error}};
  switch (e.code) {
    case Code::kNotLeader:
      // 421 Misdirected Request: ask the leader (its id; the caller maps ids to addresses).
      body["leader"] = e.leader.is_none() ? json(nullptr) : json(e.leader.value());
      return reply(res, e.leader.is_none() ? 503 : 421, body);
    case Code::kTransferring:
    case Code::kChangePending:
    case Code::kNotYetCommitted: return reply(res, 409, body);
    case Code::kInvalid: return reply(res, 400, body);
  }
  reply(res, 500, body);
}

std::optional<KvAnswer> HttpApi::Impl::finish(std::future<Outcome> f, httplib::Response& res) {
  // The runtime always answers within its request timeout; the margin covers a stalled
  // core thread without leaving the HTTP client hanging.
  if (f.wait_for(opt_.runtime.request_timeout + std::chrono::seconds(5)) != std::future_status::ready) {
    reply_error(res, 504, "no answer from the node in time; the outcome is unknown");
    return std::nullopt;
  }
  const Outcome o = f.get();
  switch (o.status) {
    case Outcome::Status::kOk: {
      KvAnswer a = decode_answer(o.result);
      if (a.kind == KvAnswer::Kind::kUndecodable) {
        reply_error(res, 500, "the state machine's answer does not decode");
        return std::nullopt;
      }
      return a;
    }
    case Outcome::Status::kUnavailable: reply_error(res, 503, "no leader reachable in time: " + o.error); break;
    case Outcome::Status::kTooLarge: reply_error(res, 413, o.error); break;
    case Outcome::Status::kUnknown: reply_error(res, 504, "outcome unknown: " + o.error); break;
  }
  return std::nullopt;
}

void HttpApi::Impl::get(const std::string& key, httplib::Response& res) {
  const auto a = finish(rt_.read(kv::encode_operation(kv::Operation::read(key))), res);
  if (!a) return;
  if (a->kind == KvAnswer::Kind::kNoKey) return reply_error(res, 404, "key not found");
  reply(res, 200, json{{"value", a->value}});
}

void HttpApi::Impl::put(const std::string& key, const httplib::Request& req, httplib::Response& res) {
  const auto body = body_with(req, res, {"value"});
  if (!body) return;
  const auto a = finish(rt_.propose(kv::encode_operation(kv::Operation::write(key, (*body)["value"]))), res);
  if (a) reply(res, 200, json{{"ok", true}});
}

void HttpApi::Impl::cas(const std::string& key, const httplib::Request& req, httplib::Response& res) {
  const auto body = body_with(req, res, {"from", "to"});
  if (!body) return;
  const auto a = finish(rt_.propose(kv::encode_operation(kv::Operation::cas(key, (*body)["from"], (*body)["to"]))), res);
  if (!a) return;
  if (a->kind == KvAnswer::Kind::kNoKey) return reply_error(res, 404, "key not found");
  if (a->kind == KvAnswer::Kind::kMismatch) return reply_error(res, 409, "the value is not \"from\"");
  reply(res, 200, json{{"ok", true}});
}

void HttpApi::Impl::del(const std::string& key, httplib::Response& res) {
  const auto a = finish(rt_.propose(kv::encode_operation(kv::Operation::del(key))), res);
  if (!a) return;
  if (a->kind == KvAnswer::Kind::kNoKey) return reply_error(res, 404, "key not found");
  reply(res, 200, json{{"ok", true}});
}

void HttpApi::Impl::status(httplib::Response& res) {
  const RuntimeStatus s = rt_.status();
  json leader = s.leader.is_none() ? json(nullptr) : json(s.leader.value());
  reply(res, 200, json{{"id", s.id.value()}, {"role", raft::role_name(s.role)}, {"term", s.term.value()},
                       {"leader", leader}, {"commit", s.commit.value()}, {"applied", s.applied.value()},
                       {"voters", ids(s.configuration.voters)}, {"learners", ids(s.configuration.learners)}});
}

HttpApi::HttpApi(Runtime& runtime, const ServeOptions& options) : impl_(std::make_unique<Impl>(runtime, options)) {}
HttpApi::~HttpApi() = default;
std::string HttpApi::bind() { return impl_->bind(); }
void HttpApi::run() { impl_->run(); }
void HttpApi::stop() { impl_->stop(); }

}  // namespace raftkv
