#include "tests/workbench/src/nemesis.h"

#include <algorithm>

namespace workbench {

std::string nemesis_f(NemesisAction::Kind k) {
  switch (k) {
    case NemesisAction::Kind::StartPartition: return "start-partition";
    case NemesisAction::Kind::StopPartition: return "stop-partition";
    case NemesisAction::Kind::Kill: return "kill";
    case NemesisAction::Kind::Restart: return "start";
    case NemesisAction::Kind::Pause: return "pause";
    case NemesisAction::Kind::Resume: return "resume";
  }
  return "?";
}

std::string nemesis_fault(NemesisAction::Kind k) {
  switch (k) {
    case NemesisAction::Kind::StartPartition:
    case NemesisAction::Kind::StopPartition: return "partition";
    case NemesisAction::Kind::Kill:
    case NemesisAction::Kind::Restart: return "kill";
    case NemesisAction::Kind::Pause:
    case NemesisAction::Kind::Resume: return "pause";
  }
  return "?";
}

Nemesis::Nemesis(std::set<Fault> faults, double interval_s, std::vector<std::string> nodes, Rng rng)
    : faults_(faults.begin(), faults.end()),
      max_gap_(static_cast<Nanos>(2 * interval_s * static_cast<double>(kSeconds))),
      nodes_(std::move(nodes)),
      rng_(rng) {}

std::optional<Nanos> Nemesis::next_time() const {
  if (faults_.empty() || nodes_.empty()) return std::nullopt;
  return next_;
}

NemesisAction Nemesis::take() {
  NemesisAction a;
  a.time = next_;
  if (active_) {
    using K = NemesisAction::Kind;
    a.node = active_->node;
    a.kind = active_->kind == K::StartPartition ? K::StopPartition
             : active_->kind == K::Kill        ? K::Restart
                                               : K::Resume;
    active_.reset();
  } else {
    const Fault f = rng_.pick(faults_);
    if (f == Fault::Partition) {
      a.kind = NemesisAction::Kind::StartPartition;
      a.shape = rng_.pick(all_partition_shapes());
      a.grudge = make_grudge(a.shape, nodes_, rng_);
    } else {
      a.kind = f == Fault::Kill ? NemesisAction::Kind::Kill : NemesisAction::Kind::Pause;
      a.node = rng_.pick(nodes_);
    }
    active_ = a;
  }
  next_ += static_cast<Nanos>(rng_.below(static_cast<std::uint64_t>(std::max<Nanos>(max_gap_, 1))));
  return a;
}

}  // namespace workbench
