#include "scenarios.h"

namespace raftsim::test {

namespace {

Fault fault(Micros at, Fault::Kind kind, int node, Micros delay = 0) {
  Fault f;
  f.at = at;
  f.kind = kind;
  f.node = node;
  f.delay = delay;
  return f;
}

Micros ms(Rng& rng, std::int64_t lo, std::int64_t hi) { return millis(rng.uniform(lo, hi)); }

}  // namespace

Schedule figure8_schedule(int rounds, Rng& rng) {
  Schedule s;
  Micros t = ms(rng, 300, 600);
  for (int i = 0; i < rounds; ++i) {
    s.faults.push_back(fault(t, Fault::Kind::kIsolate, kLeader));
    s.faults.push_back(fault(t + millis(1), Fault::Kind::kIsolate, kNextLeader));
    const Micros arm = t + ms(rng, 150, 400);
    s.faults.push_back(fault(arm, Fault::Kind::kCrash, kNextLeader, ms(rng, 10, 45)));
    const Micros heal = arm + ms(rng, 300, 600);
    s.faults.push_back(fault(heal, Fault::Kind::kHeal, kAllNodes));
    s.faults.push_back(fault(heal + ms(rng, 200, 400), Fault::Kind::kRestart, kAllNodes));
    t = heal + ms(rng, 400, 700);
  }
  s.end = t;
  return s;
}

Schedule stale_leader_schedule(int rounds, Rng& rng) {
  Schedule s;
  Micros t = ms(rng, 300, 600);
  for (int i = 0; i < rounds; ++i) {
    s.faults.push_back(fault(t, Fault::Kind::kIsolate, kLeader));
    s.faults.push_back(fault(t, Fault::Kind::kPause, kLeader));
    const Micros resume = t + ms(rng, 300, 800);
    s.faults.push_back(fault(resume, Fault::Kind::kResume, kAllNodes));
    const Micros heal = resume + ms(rng, 10, 300);
    s.faults.push_back(fault(heal, Fault::Kind::kHeal, kAllNodes));
    t = heal + ms(rng, 300, 600);
  }
  s.end = t;
  return s;
}

// The 2015 single-server scenario as faults: cut the leader off while its last change is
// still uncommitted (changes come every few milliseconds, so one usually is), and the
// moment the next leader wins -- and at once makes a change of its own, before an entry
// of its term commits -- split the cluster in two. When the new leader's side is a
// majority of its new configuration and the old leader's side a majority of the old
// leader's, both commit: two leaders, two histories, one term apart.
Schedule disjoint_changes_schedule(Rng& rng) {
  Schedule s;
  Micros t = millis(rng.uniform(300, 500));
  for (int round = 0; round < 3; ++round) {
    s.faults.push_back(fault(t, Fault::Kind::kIsolate, kLeader));
    Fault split = fault(t + millis(1), Fault::Kind::kPartition, kNextLeader, millis(rng.uniform(0, 2)));
    split.partition = Partition{PartitionShape::kHalves, rng.next() % 1000};
    s.faults.push_back(split);
    const Micros heal = t + millis(rng.uniform(400, 700));
    s.faults.push_back(fault(heal, Fault::Kind::kHeal, kAllNodes));
    t = heal + millis(rng.uniform(200, 400));
  }
  s.end = t;
  return s;
}

SimCase figure8_case(std::uint64_t seed) {
  SimCase c;
  c.seed = seed;
  c.nodes = 3;
  c.small_batches = true;
  Rng rng(seed * 7919);
  c.schedule = figure8_schedule(2, rng);
  c.duration = c.schedule.end + seconds(2);
  return c;
}

SimCase stale_leader_case(std::uint64_t seed) {
  SimCase c;
  c.seed = seed;
  Rng rng(seed * 7919);
  c.schedule = stale_leader_schedule(2, rng);
  c.duration = c.schedule.end + seconds(2);
  return c;
}

}  // namespace raftsim::test
