#include "raftsim/gen.h"

#include <algorithm>

namespace raftsim {

namespace {

struct Episode {
  Fault start;
  Micros length = 0;  // the repair comes this long after the start (if before the end)
};

rc::Gen<Micros> gen_ms(std::int64_t lo, std::int64_t hi) {
  return rc::gen::map(rc::gen::inRange<std::int64_t>(lo, hi), [](std::int64_t ms) { return millis(ms); });
}

// Often the leader (or the next one): faults aimed there reach interesting states.
rc::Gen<int> gen_target(int nodes) {
  return rc::gen::weightedOneOf<int>({{6, rc::gen::inRange(1, nodes + 1)},
                                      {3, rc::gen::just(kLeader)},
                                      {2, rc::gen::just(kNextLeader)},
                                      {1, rc::gen::just(kAllNodes)}});
}

rc::Gen<Fault> gen_fault(const FaultMix& mix, int nodes, Micros end) {
  std::vector<Fault::Kind> kinds;
  if (mix.partition) kinds.insert(kinds.end(), {Fault::Kind::kPartition, Fault::Kind::kIsolate});
  if (mix.crash) kinds.push_back(Fault::Kind::kCrash);
  if (mix.persist) kinds.push_back(Fault::Kind::kCrashAtPersist);
  if (mix.pause) kinds.push_back(Fault::Kind::kPause);
  if (mix.loss || mix.dup) kinds.push_back(Fault::Kind::kNetwork);
  if (mix.disk) kinds.push_back(Fault::Kind::kCorrupt);
  const std::int64_t end_ms = end / kMillisecond;
  return rc::gen::exec([=] {
    Fault f;
    f.kind = *rc::gen::elementOf(kinds);
    f.at = *gen_ms(0, std::max<std::int64_t>(1, end_ms - 1));
    switch (f.kind) {
      case Fault::Kind::kPartition:
        f.partition.shape = *rc::gen::elementOf(std::vector<PartitionShape>(std::begin(kAllShapes), std::end(kAllShapes)));
        f.partition.seed = *rc::gen::inRange<std::uint64_t>(0, 1000);
        break;
      case Fault::Kind::kNetwork:
        f.loss = mix.loss ? 0.05 * *rc::gen::inRange(1, 7) : 0;
        f.dup = mix.dup ? 0.05 * *rc::gen::inRange(1, 5) : 0;
        break;
      default:
        f.node = *gen_target(nodes);
        if (f.kind == Fault::Kind::kIsolate && f.node == kAllNodes) f.node = kLeader;
        if (f.kind == Fault::Kind::kCrashAtPersist) {
          f.persist_point = *rc::gen::elementOf(std::vector<PersistPoint>{PersistPoint::kAny, PersistPoint::kTermOrVote,
                                                                    PersistPoint::kSnapshot});
        }
        break;
    }
    if (f.node == kNextLeader) f.delay = *gen_ms(0, 40);
    return f;
  });
}

Fault repair_of(const Fault& f) {
  Fault stop;
  stop.node = f.node > 0 ? f.node : kAllNodes;
  switch (f.kind) {
    case Fault::Kind::kPartition:
    case Fault::Kind::kIsolate: stop.kind = Fault::Kind::kHeal; break;
    case Fault::Kind::kCrash:
    case Fault::Kind::kCrashAtPersist:
    case Fault::Kind::kCorrupt: stop.kind = Fault::Kind::kRestart; break;
    case Fault::Kind::kPause: stop.kind = Fault::Kind::kResume; break;
    default: stop.kind = Fault::Kind::kNetwork; break;  // loss=0 dup=0
  }
  return stop;
}

Schedule to_schedule(const std::vector<Episode>& episodes, Micros end) {
  Schedule s;
  s.end = end;
  for (const Episode& e : episodes) {
    s.faults.push_back(e.start);
    Fault stop = repair_of(e.start);
    stop.at = e.start.at + e.length;
    if (stop.at < end) s.faults.push_back(stop);
  }
  return s;
}

// Up to max_episodes episodes, growing with RapidCheck's size. Inside an episode, values
// span their whole range at every size (inRange would otherwise shrink them towards the
// low end for small sizes).
template <class T>
rc::Gen<std::vector<T>> gen_list(rc::Gen<T> item, int max_episodes) {
  return rc::gen::scale(max_episodes / 100.0,
                        rc::gen::container<std::vector<T>>(rc::gen::resize(100, std::move(item))));
}

rc::Gen<std::vector<Episode>> gen_episodes(rc::Gen<Fault> fault, int max_episodes) {
  return gen_list(rc::gen::exec([=] { return Episode{*fault, *gen_ms(20, 1000)}; }), max_episodes);
}

}  // namespace

rc::Gen<Schedule> gen_schedule(const FaultMix& mix, int nodes, Micros end, int max_episodes) {
  if (!mix.any()) return rc::gen::just(Schedule{{}, end});
  return rc::gen::map(gen_episodes(gen_fault(mix, nodes, end), max_episodes),
                      [end](const std::vector<Episode>& e) { return to_schedule(e, end); });
}

rc::Gen<Schedule> gen_crash_schedule(int nodes, Micros end, int max_episodes) {
  const std::int64_t end_ms = end / kMillisecond;
  // A group: every node, or up to a minority of distinct nodes, crashed together.
  auto group = rc::gen::exec([=] {
    Fault f;
    f.kind = *rc::gen::weightedElement<Fault::Kind>({{3, Fault::Kind::kCrash}, {1, Fault::Kind::kCrashAtPersist}});
    f.persist_point = PersistPoint::kAny;
    f.at = *gen_ms(0, std::max<std::int64_t>(1, end_ms - 1));
    std::vector<int> targets{kAllNodes};
    if (*rc::gen::inRange(0, 3) != 0) {
      const int k = *rc::gen::inRange(1, (nodes - 1) / 2 + 1);
      targets = *rc::gen::unique<std::vector<int>>(k, rc::gen::inRange(1, nodes + 1));
    }
    return std::make_pair(f, targets);
  });
  using Group = std::pair<std::pair<Fault, std::vector<int>>, Micros>;
  return rc::gen::map(gen_list<Group>(rc::gen::pair(group, gen_ms(10, 800)), max_episodes),
                      [end](const std::vector<Group>& groups) {
                        std::vector<Episode> episodes;
                        for (const auto& [g, length] : groups) {
                          for (int node : g.second) {
                            Fault f = g.first;
                            f.node = node;
                            episodes.push_back(Episode{f, length});
                          }
                        }
                        return to_schedule(episodes, end);
                      });
}

rc::Gen<SimCase> gen_case(const FaultMix& mix, Micros faults_end, Micros duration,
                          std::vector<int> sizes) {
  return rc::gen::exec([=] {
    SimCase c;
    c.seed = *rc::gen::noShrink(rc::gen::resize(100, rc::gen::inRange<std::uint64_t>(1, 1'000'000'000)));
    c.nodes = *rc::gen::elementOf(sizes);
    c.small_batches = *rc::gen::weightedElement<bool>({{3, false}, {1, true}});
    c.schedule = *gen_schedule(mix, c.nodes, faults_end);
    c.duration = duration;
    return c;
  });
}

rc::Gen<SimCase> gen_crash_case(Micros faults_end, Micros duration) {
  return rc::gen::exec([=] {
    SimCase c;
    c.seed = *rc::gen::noShrink(rc::gen::resize(100, rc::gen::inRange<std::uint64_t>(1, 1'000'000'000)));
    c.nodes = *rc::gen::element(5, 3);
    c.schedule = *gen_crash_schedule(c.nodes, faults_end);
    c.duration = duration;
    return c;
  });
}

}  // namespace raftsim
