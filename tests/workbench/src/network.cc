#include "tests/workbench/src/network.h"

namespace workbench {

bool is_client_name(const std::string& name) { return !name.empty() && name[0] == 'c'; }

Network::Network(LatencyDist dist, std::int64_t mean_latency_ms, Rng rng)
    : dist_(dist), mean_ms_(mean_latency_ms), rng_(rng) {}

void Network::add(const std::string& name) { inboxes_[name]; }

void Network::remove(const std::string& name) { inboxes_.erase(name); }

Nanos Network::draw_latency() {
  if (mean_ms_ == 0) return 0;
  std::int64_t ms = mean_ms_;
  switch (dist_) {
    case LatencyDist::Constant: break;
    case LatencyDist::Uniform: ms = static_cast<std::int64_t>(rng_.below(static_cast<std::uint64_t>(2 * mean_ms_))); break;
    case LatencyDist::Exponential: ms = static_cast<std::int64_t>(rng_.exponential(static_cast<double>(mean_ms_))); break;
  }
  return ms * kMillis;
}

std::int64_t Network::send(const std::string& src, const std::string& dest, nlohmann::json body, Nanos now,
                           std::string defect) {
  NetMessage m;
  m.defect = std::move(defect);
  m.id = next_id_++;
  m.src = src;
  m.dest = dest;
  m.body = std::move(body);
  // Clients sit next to the nodes they talk to: latency on client links hides anomalies.
  const bool client = is_client_name(src) || is_client_name(dest);
  m.deadline = now + (client ? 0 : draw_latency());
  const auto type = m.body.find("type");
  trace_.sent(m.id, src, dest, type != m.body.end() && type->is_string() ? type->get<std::string>() : "?", now);
  ++stats_.all.send;
  ++(client ? stats_.clients : stats_.servers).send;
  auto it = inboxes_.find(dest);
  if (it != inboxes_.end()) it->second.queue.push(std::move(m));
  return next_id_ - 1;
}

void Network::clear_inbox(const std::string& name) {
  auto it = inboxes_.find(name);
  if (it != inboxes_.end()) it->second = Inbox{};
}

bool Network::advance(const std::string& name, Inbox& inbox, Nanos now, std::vector<NetMessage>& due) {
  bool moved = false;
  while (true) {
    if (inbox.in_hand) {
      if (inbox.in_hand->deadline > now) return moved;
      due.push_back(std::move(*inbox.in_hand));
      inbox.in_hand.reset();
      moved = true;
      continue;
    }
    if (inbox.queue.empty()) return moved;
    NetMessage m = inbox.queue.top();
    inbox.queue.pop();
    auto g = grudge_.find(name);
    if (g != grudge_.end() && g->second.count(m.src)) {
      ++stats_.dropped_by_partition;
      trace_.finished(m.id, Fate::Dropped, now);
      continue;
    }
    inbox.in_hand = std::move(m);
  }
}

void Network::pump(Nanos now, const std::function<bool(NetMessage&&)>& deliver) {
  bool again = true;
  while (again) {
    std::vector<NetMessage> due;
    again = false;
    for (auto& [name, inbox] : inboxes_) again = advance(name, inbox, now, due) || again;
    // Deliver after the scan: deliver() may add or remove endpoints.
    for (auto& m : due) {
      const bool client = is_client_name(m.src) || is_client_name(m.dest);
      const std::int64_t id = m.id;
      if (!deliver(std::move(m))) {
        ++stats_.lost;
        trace_.finished(id, Fate::Lost, now);
        continue;
      }
      trace_.finished(id, Fate::Delivered, now);
      ++stats_.all.recv;
      ++(client ? stats_.clients : stats_.servers).recv;
    }
  }
}

std::optional<Nanos> Network::next_deadline() const {
  std::optional<Nanos> best;
  for (const auto& [name, inbox] : inboxes_) {
    if (inbox.in_hand && (!best || inbox.in_hand->deadline < *best)) best = inbox.in_hand->deadline;
  }
  return best;
}

std::string Network::wire(const NetMessage& m) {
  nlohmann::json src = m.src, dest = m.dest;
  return "{\"id\":" + std::to_string(m.id) + ",\"src\":" + src.dump() + ",\"dest\":" + dest.dump() +
         ",\"body\":" + m.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "}";
}

}  // namespace workbench
