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
