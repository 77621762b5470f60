// raft-kv: a Maelstrom lin-kv node. Maelstrom's transport (transport/) on the outside,
// raft::Service over the lin-kv state machine (kv/) inside; this file only wires them:
// node names <-> Raft ids, JSON <-> peer messages, client requests <-> service handles.
#include <chrono>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <unordered_map>

#include "kv/command.h"
#include "kv/state_machine.h"
#include "kv/wire.h"
#include "raft/service.h"
#include "options.h"
#include "raft/wal.h"
#include "serve.h"
#include "transport/maelstrom.h"

namespace {

using maelstrom::Message;

/// Everything that exists once init told us who we are.
class KvNode final : public raft::ServiceHost {
 public:
  KvNode(maelstrom::Node& node, const raftkv::Options& opt)
      : node_(node), lease_reads_(opt.lease_reads), tick_(std::chrono::milliseconds(opt.tick_ms)) {
    const auto& names = node.node_ids();
    for (std::size_t i = 0; i < names.size(); ++i) {
      ids_[names[i]] = raft::NodeId{i + 1};  // every node gets node_ids in the same order
    }
    raft::ServiceConfig cfg;
    cfg.raft.id = ids_.at(node.id());
    for (const auto& [name, id] : ids_) cfg.raft.voters.push_back(id);
    cfg.raft.election_tick = std::max(2, opt.election_timeout_ms / opt.tick_ms);
    cfg.raft.heartbeat_tick = std::max(1, opt.heartbeat_ms / opt.tick_ms);
    if (cfg.raft.heartbeat_tick >= cfg.raft.election_tick) {
      cfg.raft.heartbeat_tick = cfg.raft.election_tick - 1;
    }
    cfg.raft.pre_vote = opt.pre_vote;
    cfg.raft.check_quorum = opt.check_quorum;
    cfg.raft.lease_read = opt.lease_reads;
    cfg.max_batch_delay_ticks = opt.max_batch_delay_ms / opt.tick_ms;
    // A read not answered in ~100 ms asks again: a follower's read takes two network
    // round trips (to the leader, and its confirmation), so at 10 ms latency the default
    // of 5 ticks would re-ask reads that were on their way.
    cfg.read_retry_ticks = std::max(5, 100 / opt.tick_ms);
    cfg.raft.seed = std::random_device{}() | 1;
    cfg.incarnation = std::random_device{}();
    cfg.leader_wait_ticks = std::max(1, opt.leader_wait_ms / opt.tick_ms);
    cfg.request_timeout_ticks = std::max(1, opt.request_timeout_ms / opt.tick_ms);
    cfg.snapshot_entries = static_cast<std::uint64_t>(opt.snapshot_entries);
    // A snapshot chunk is one Maelstrom line: at most 32 KiB of JSON text.
    cfg.raft.max_snapshot_chunk_bytes = 16 << 10;
    cfg.write_retry_ticks = cfg.raft.election_tick;  // by then a lost leader is replaced
    storage_ = open_storage(opt, node.id());
    try {
      service_ = std::make_unique<raft::Service>(cfg, *storage_, machine_, *this);
    } catch (const std::runtime_error& e) {
      // A snapshot this build cannot read (a newer format): starting without it would
      // serve a state that lacks everything it covers.
      spdlog::critical("{}", e.what());
      std::fprintf(stderr, "raft-kv: %s\n", e.what());
      std::exit(1);
    }
  }

  void on_client(const Message& req) {
    catch_up();
    auto op = kv::decode_client_op(req.body);
    if (auto* err = std::get_if<kv::DecodeError>(&op)) {
      throw maelstrom::Error(maelstrom::ErrorCode::malformed_request, err->what);
    }
    const raft::ClientHandle h = next_handle_++;
    clients_.emplace(h, req);
    try {
      const auto& operation = std::get<kv::Operation>(op);
      if (operation.kind == kv::Operation::Kind::kRead) {
        service_->read(h, kv::encode_operation(operation));
      } else {
        service_->propose(h, kv::encode_operation(operation));
      }
    } catch (...) {
      // The node API answers 13 for this; forget the handle so the client never gets a
      // second answer. (Broken core invariants never get here: they fail-stop.)
      clients_.erase(h);
      throw;
    }
  }

  void on_peer(const Message& m) {
    auto from = ids_.find(m.src);
    auto to = ids_.find(m.dest);
    if (from == ids_.end() || to == ids_.end()) {
      spdlog::warn("dropping {} from unknown node {}", m.type(), m.src);
      return;
    }
    catch_up();
    auto decoded = kv::decode_peer(m.body, from->second, to->second);
    if (auto* err = std::get_if<kv::DecodeError>(&decoded)) {
      spdlog::warn("dropping malformed {} from {}: {}", m.type(), m.src, err->what);
      return;
    }
    service_->handle_peer(from->second, std::get<kv::PeerMessage>(decoded));
  }

  /// The core's time is its ticks. The tick timer skips runs it missed (a stopped or
  /// starved process), which only delays elections -- but a leader lease (§6.4.1) measured
  /// in ticks that fell behind the clock would outlive the followers' promise. With lease
  /// reads every tick the clock owes is delivered, and before any message is handled.
  void tick() {
    if (!lease_reads_) {
      service_->tick();
      return;
    }
    catch_up();
  }
  void catch_up() {
    if (!lease_reads_) return;
    const auto now = std::chrono::steady_clock::now();
    if (next_tick_ == std::chrono::steady_clock::time_point{}) next_tick_ = now;
    while (next_tick_ <= now) {
      service_->tick();
      next_tick_ += tick_;
    }
  }

  /// Memory, or the write-ahead log in DIR/<node id>/. A log that cannot be opened (locked
  /// by another process, damaged, unreadable) stops the node with the reason: starting
  /// empty instead would let it vote and acknowledge as if it had never promised anything.
  static std::unique_ptr<raft::LogStorage> open_storage(const raftkv::Options& opt,
                                                        const std::string& node_id) {
    if (opt.data_dir.empty()) return std::make_unique<raft::MemoryStorage>();
    static raft::PosixFileSystem fs;
    auto wal = raft::Wal::open(fs, raft::path_join(opt.data_dir, node_id));
    if (!wal) {
      spdlog::critical("cannot open the data directory: {}", wal.error());
      std::fprintf(stderr, "raft-kv: cannot open the data directory: %s\n", wal.error().c_str());
      std::exit(1);
    }
    spdlog::info("{}: state in {} (term {}, {} entries)", node_id, (*wal)->dir(),
                 (*wal)->hard_state().term.value(), (*wal)->last_index().value());
    return std::move(*wal);
  }

  // ---- raft::ServiceHost -------------------------------------------------------------
  void send(raft::NodeId to, raft::PeerMessage message) override {
    node_.send(node_.node_ids().at(to.value() - 1), kv::encode_peer(message));
  }

  void respond(raft::ClientHandle client, const raft::Outcome& outcome) override {
    const kv::Result r = kv::result_of(outcome);
    auto it = clients_.find(client);
    if (it == clients_.end()) return;
    const Message req = std::move(it->second);
    clients_.erase(it);
    if (!r.ok) {
      node_.reply_error(req, static_cast<int>(r.code), r.text);
      return;
    }
    const std::string type = req.type() + "_ok";
    if (req.type() == "read") {
      node_.reply(req, {{"type", type}, {"value", r.value}});
    } else {
      node_.reply(req, {{"type", type}});
    }
  }

 private:
  maelstrom::Node& node_;
  bool lease_reads_;
  std::chrono::milliseconds tick_;
  std::chrono::steady_clock::time_point next_tick_{};  // lease reads: the next tick owed
  std::unordered_map<std::string, raft::NodeId> ids_;
  std::unique_ptr<raft::LogStorage> storage_;  // memory, or --data-dir's write-ahead log
  kv::StateMachine machine_;
  std::unique_ptr<raft::Service> service_;
  std::unordered_map<raft::ClientHandle, Message> clients_;
  raft::ClientHandle next_handle_ = 1;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string_view(argv[1]) == "serve") {  // a TCP/HTTP cluster node
    return raftkv::run_serve(maelstrom::init_logging_from_args(argc - 1, argv + 1));
  }
  const std::vector<std::string> args = maelstrom::init_logging_from_args(argc, argv);
  std::string error;
  const std::optional<raftkv::Options> opt = raftkv::parse_options(args, error);
  if (!opt) {
    std::fprintf(stderr, "raft-kv: %s\n%s", error.c_str(), raftkv::kUsage);
    return 2;
  }
  if (opt->help) {
    std::fputs(raftkv::kUsage, stdout);
    return 0;
  }

  maelstrom::Node node;
  std::unique_ptr<KvNode> kv_node;
  node.on_init([&] {
    kv_node = std::make_unique<KvNode>(node, *opt);
    node.every(std::chrono::milliseconds(opt->tick_ms), [&] { kv_node->tick(); });
  });
  for (const char* type : {"read", "write", "cas"}) {
    node.handle(type, [&](const Message& req) { kv_node->on_client(req); });
  }
  for (const std::string& type : kv::peer_types()) {
    node.handle(type, [&](const Message& m) { kv_node->on_peer(m); });
  }
  return node.run();
}
