// Fuzz target: bytes arriving on a raft-kv node's stdin. The input goes through the real
// transport (line framing, JSON and envelope parsing, the nesting limit, dispatch, automatic
// errors) into the lin-kv service and its Raft core, wired as examples/raft-kv wires them.
// The node is the only voter of a one-node cluster (it elects itself), so client requests
// commit and are answered; a peer message from any other name is dropped as from an unknown
// node -- the core is fuzzed with honest peers by raft_core_fuzz.
//
// Property: whatever arrives, the node neither crashes nor writes a line that is not one
// JSON object, and it still answers a well-formed request afterwards.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include <memory>
#include <unordered_map>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "fuzz_check.h"
#include "kv/command.h"
#include "kv/state_machine.h"
#include "raft/service.h"
#include "kv/wire.h"
#include "transport/maelstrom.h"

namespace {

using maelstrom::Message;
using namespace std::chrono_literals;

class FuzzNode final : public raft::ServiceHost {
 public:
  FuzzNode() : node_(options()) {
    node_.on_init([this] {
      raft::ServiceConfig cfg;
      cfg.raft.id = raft::NodeId{1};
      cfg.raft.voters = {raft::NodeId{1}};
      cfg.raft.election_tick = 5;
      cfg.raft.seed = 7;
      service_ = std::make_unique<raft::Service>(cfg, storage_, machine_, *this);
      node_.every(10ms, [this] { service_->tick(); });
    });
    for (const char* type : {"read", "write", "cas"}) {
      node_.handle(type, [this](const Message& m) { on_client(m); });
    }
    for (const std::string& type : kv::peer_types()) {
      node_.handle(type, [this](const Message& m) { on_peer(m); });
    }
  }

  maelstrom::Node& node() { return node_; }
  maelstrom::ManualClock& clock() { return clock_; }
  std::size_t lines_out() const { return lines_out_; }

  void advance(int ticks) {
    for (int i = 0; i < ticks; ++i) {
      clock_.advance(10ms);
      node_.run_due_timers();
    }
  }

  void send(raft::NodeId to, raft::PeerMessage message) override {
    node_.send("n" + std::to_string(to.value()), kv::encode_peer(message));
  }

  void respond(raft::ClientHandle client, const raft::Outcome& outcome) override {
    const kv::Result r = kv::result_of(outcome);
    auto it = clients_.find(client);
    if (it == clients_.end()) return;
    const Message req = std::move(it->second);
    clients_.erase(it);
    if (!r.ok) {
      node_.reply_error(req, static_cast<int>(r.code), r.text);
    } else if (req.type() == "read") {
      node_.reply(req, {{"type", "read_ok"}, {"value", r.value}});
    } else {
      node_.reply(req, {{"type", req.type() + "_ok"}});
    }
  }

 private:
  maelstrom::NodeOptions options() {
    maelstrom::NodeOptions o;
    o.clock = &clock_;
    o.max_line_bytes = 1 << 16;
    o.output = [this](std::string_view line) {
      ++lines_out_;
      fuzz::check(!line.empty() && line.back() == '\n', "output line without its newline");
      const auto doc = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      fuzz::check(doc.is_object(), "output line is not a JSON object");
    };
    return o;
  }

  void on_client(const Message& req) {
    auto op = kv::decode_client_op(req.body);
    if (auto* err = std::get_if<kv::DecodeError>(&op)) {
      throw maelstrom::Error(maelstrom::ErrorCode::malformed_request, err->what);
    }
    const raft::ClientHandle h = next_handle_++;
    clients_.emplace(h, req);
    const auto& operation = std::get<kv::Operation>(op);
    if (operation.kind == kv::Operation::Kind::kRead) {
      service_->read(h, kv::encode_operation(operation));
    } else {
      service_->propose(h, kv::encode_operation(operation));
    }
  }

  void on_peer(const Message& m) {
    if (m.src != "n1") return;  // unknown node (the only member is n1 itself)
    auto decoded = kv::decode_peer(m.body, raft::NodeId{1}, raft::NodeId{1});
    if (std::holds_alternative<kv::DecodeError>(decoded)) return;
    service_->handle_peer(raft::NodeId{1}, std::get<kv::PeerMessage>(decoded));
  }

  maelstrom::ManualClock clock_;
  std::size_t lines_out_ = 0;
  maelstrom::Node node_;
  raft::MemoryStorage storage_;
  kv::StateMachine machine_;
  std::unique_ptr<raft::Service> service_;
  std::unordered_map<raft::ClientHandle, Message> clients_;
  raft::ClientHandle next_handle_ = 1;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzNode n;
  spdlog::set_level(spdlog::level::off);  // after the node set up logging: no warning floods
  n.node().receive_line(
      R"({"src":"c0","dest":"n1","body":{"type":"init","msg_id":1,"node_id":"n1","node_ids":["n1"]}})");
  n.advance(20);  // elects itself
  n.node().receive_bytes(std::string_view(reinterpret_cast<const char*>(data), size));
  n.node().receive_bytes("\n");
  n.advance(5);
  // Still serving: a well-formed write is answered.
  const std::size_t before = n.lines_out();
  n.node().receive_line(
      R"({"src":"c9","dest":"n1","body":{"type":"write","msg_id":424242,"key":0,"value":1}})");
  n.advance(5);
  fuzz::check(n.lines_out() > before, "a well-formed write after the input was not answered");
  return 0;
}
