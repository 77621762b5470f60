// The simulated network between nodes, clients and services, as Maelstrom's net.clj has it:
// every message gets a network-wide id; messages between non-clients get a latency; each
// receiver takes messages off its queue in deadline order, one at a time, and checks the
// partition when it takes a message off the queue (not when it was sent), holding it until
// its deadline. So a message queued before a partition started is dropped too, and a slow
// message can delay a faster one behind it, exactly like Maelstrom's per-node stdin thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <queue>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/workbench/src/clock.h"
#include "tests/workbench/src/options.h"
#include "tests/workbench/src/rng.h"
#include "tests/workbench/src/trace.h"

namespace workbench {

struct NetMessage {
  std::int64_t id = 0;
  std::string src;
  std::string dest;
  nlohmann::json body;
  Nanos deadline = 0;
  std::string defect;  // why this reply breaks its schema ("" if fine); the client reacts to it
};

// dest -> the sources whose messages dest drops (Jepsen's "grudge").
using Grudge = std::map<std::string, std::set<std::string>>;

struct NetCounts {
  std::int64_t send = 0;
  std::int64_t recv = 0;
};

struct NetStats {
  NetCounts all, clients, servers;  // clients: a client is src or dest; servers: the rest
  std::int64_t dropped_by_partition = 0;
  std::int64_t lost = 0;  // due for a receiver that could not take it (a killed node)
};

// Maelstrom's rule: any name starting with 'c' is a client.
bool is_client_name(const std::string& name);

class Network {
 public:
  Network(LatencyDist dist, std::int64_t mean_latency_ms, Rng rng);

  void add(const std::string& name);
  void remove(const std::string& name);
  bool known(const std::string& name) const { return inboxes_.count(name) != 0; }

  // Enqueues a message; returns its id. src and dest must be known.
  std::int64_t send(const std::string& src, const std::string& dest, nlohmann::json body, Nanos now,
                    std::string defect = "");

  void set_grudge(Grudge g) { grudge_ = std::move(g); }
  void heal() { grudge_.clear(); }
  const Grudge& grudge() const { return grudge_; }

  // Drops everything queued for name (its process was killed).
  void clear_inbox(const std::string& name);

  // Hands every message that is due at `now` to deliver, in each receiver's order. deliver
  // returns false if the receiver could not take it (it is then counted as lost); it may send
  // further messages, and those with zero latency are delivered in the same call.
  void pump(Nanos now, const std::function<bool(NetMessage&&)>& deliver);

  // The earliest time a held message becomes due.
  std::optional<Nanos> next_deadline() const;

  const NetStats& stats() const { return stats_; }
  // Every message's path, for the report (see trace.h).
  MessageTrace take_trace() { return std::move(trace_); }

  // The line a receiver reads: {"id":..,"src":..,"dest":..,"body":..}.
  static std::string wire(const NetMessage& m);

 private:
  struct Later {
    bool operator()(const NetMessage& a, const NetMessage& b) const {
      return a.deadline != b.deadline ? a.deadline > b.deadline : a.id > b.id;
    }
  };
  struct Inbox {
    std::priority_queue<NetMessage, std::vector<NetMessage>, Later> queue;
    std::optional<NetMessage> in_hand;  // taken off the queue, waiting for its deadline
  };

  Nanos draw_latency();
  bool advance(const std::string& name, Inbox& inbox, Nanos now, std::vector<NetMessage>& due);

  LatencyDist dist_;
  std::int64_t mean_ms_;
  Rng rng_;
  std::map<std::string, Inbox> inboxes_;
  Grudge grudge_;
  std::int64_t next_id_ = 0;
  NetStats stats_;
  MessageTrace trace_;
};

}  // namespace workbench
