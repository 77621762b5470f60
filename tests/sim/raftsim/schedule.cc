#include "raftsim/schedule.h"

#include <algorithm>
#include <cstdio>
#include <ostream>
#include <sstream>

namespace raftsim {

namespace {

std::string node_text(const Fault& f) {
  switch (f.node) {
    case kAllNodes: return "all";
    case kLeader: return "leader";
    case kNextLeader: return f.delay == 0 ? "next-leader" : "next-leader+" + format_exact(f.delay);
    default: return std::to_string(f.node);
  }
}

std::string prob_text(double p) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", p);
  return buf;
}

struct KindName {
  Fault::Kind kind;
  const char* name;
};
constexpr KindName kKindNames[] = {
    {Fault::Kind::kPartition, "partition"}, {Fault::Kind::kHeal, "heal"},
    {Fault::Kind::kCrash, "crash"},         {Fault::Kind::kCrashAtPersist, "crash-at-persist"},
    {Fault::Kind::kRestart, "restart"},     {Fault::Kind::kPause, "pause"},
    {Fault::Kind::kResume, "resume"},       {Fault::Kind::kNetwork, "network"},
    {Fault::Kind::kIsolate, "isolate"},     {Fault::Kind::kCorrupt, "corrupt"},
};

std::vector<std::string> split_words(std::string_view line) {
  std::istringstream in{std::string(line)};
  std::vector<std::string> words;
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

bool parse_node(const std::string& w, Fault& f) {
  if (w == "all") {
    f.node = kAllNodes;
    return true;
  }
  if (w == "leader") {
    f.node = kLeader;
    return true;
  }
  if (w.rfind("next-leader", 0) == 0) {
    f.node = kNextLeader;
    const std::string rest = w.substr(std::string("next-leader").size());
    if (rest.empty()) return true;
    auto d = rest[0] == '+' ? parse_duration(std::string_view(rest).substr(1)) : std::nullopt;
    if (d) f.delay = *d;
    return d.has_value();
  }
  try {
    std::size_t used = 0;
    f.node = std::stoi(w, &used);
    return used == w.size() && f.node > 0;
  } catch (const std::exception&) {
    return false;
  }
}

bool parse_prob(const std::string& w, std::string_view name, double& p) {
  if (w.rfind(std::string(name) + "=", 0) != 0) return false;
  try {
    p = std::stod(w.substr(name.size() + 1));
  } catch (const std::exception&) {
    return false;
  }
  return p >= 0 && p <= 1;
}

// Parses the words after the time of one fault line into f. Returns an error or "".
std::string parse_fault_words(const std::vector<std::string>& w, Fault& f) {
  const auto it = std::find_if(std::begin(kKindNames), std::end(kKindNames),
                               [&](const KindName& k) { return w[1] == k.name; });
  if (it == std::end(kKindNames)) return "unknown fault '" + w[1] + "'";
  f.kind = it->kind;
  auto need = [&](std::size_t n) { return w.size() == n; };
  switch (f.kind) {
    case Fault::Kind::kHeal: return need(2) ? "" : "heal takes no arguments";
    case Fault::Kind::kPartition: {
      // An optional "next-leader[+delay]": the partition waits for the next election.
      if (!need(4) && !(need(5) && parse_node(w[4], f) && f.node == kNextLeader)) {
        return "expected: partition <shape> <seed> [next-leader[+delay]]";
      }
      auto shape = parse_shape(w[2]);
      if (!shape) return "unknown partition shape '" + w[2] + "'";
      f.partition.shape = *shape;
      try {
        f.partition.seed = std::stoull(w[3]);
      } catch (const std::exception&) {
        return "bad partition seed '" + w[3] + "'";
      }
      return "";
    }
    case Fault::Kind::kCrashAtPersist:
      if (!need(4) || !parse_node(w[2], f) ||
          (w[3] != "any" && w[3] != "term" && w[3] != "snapshot")) {
        return "expected: crash-at-persist <node|all> <any|term|snapshot>";
      }
      f.persist_point = w[3] == "any"    ? PersistPoint::kAny
                        : w[3] == "term" ? PersistPoint::kTermOrVote
                                         : PersistPoint::kSnapshot;
      return "";
    case Fault::Kind::kNetwork:
      if (!need(4) || !parse_prob(w[2], "loss", f.loss) || !parse_prob(w[3], "dup", f.dup)) {
        return "expected: network loss=<0..1> dup=<0..1>";
      }
      return "";
    default:
      if (!need(3) || !parse_node(w[2], f)) {
        return std::string("expected: ") + w[1] + " <node|all|leader|next-leader[+delay]>";
      }
      return "";
  }
}

}  // namespace

std::vector<Fault> Schedule::in_time_order() const {
  std::vector<Fault> out = faults;
  std::stable_sort(out.begin(), out.end(),
                   [](const Fault& a, const Fault& b) { return a.at < b.at; });
  return out;
}

const char* kind_name(Fault::Kind k) {
  for (const KindName& kn : kKindNames) {
    if (kn.kind == k) return kn.name;
  }
  return "?";
}

std::string describe(const Fault& f, int nodes) {
  std::string out = format_exact(f.at) + " " + kind_name(f.kind);
  switch (f.kind) {
    case Fault::Kind::kHeal: break;
    case Fault::Kind::kPartition:
      out += std::string(" ") + shape_name(f.partition.shape) + " " + std::to_string(f.partition.seed) +
             (f.node == kNextLeader ? " " + node_text(f) : "") + "  # " +
             make_cuts(f.partition, nodes).describe(nodes);
      break;
    case Fault::Kind::kCrashAtPersist:
      out += " " + node_text(f) +
             (f.persist_point == PersistPoint::kAny          ? " any"
              : f.persist_point == PersistPoint::kTermOrVote ? " term"
                                                             : " snapshot");
      break;
    case Fault::Kind::kNetwork: out += " loss=" + prob_text(f.loss) + " dup=" + prob_text(f.dup); break;
    default: out += " " + node_text(f); break;
  }
  return out;
}

std::string describe(const Schedule& s, int nodes) {
  std::string out;
  for (const Fault& f : s.in_time_order()) out += describe(f, nodes) + "\n";
  out += format_exact(s.end) + " end\n";
  return out;
}

void showValue(const Schedule& s, std::ostream& os) { os << "\n" << describe(s, 5); }

std::optional<Schedule> parse_schedule(std::string_view text, std::string& error) {
  Schedule s;
  bool have_end = false;
  std::size_t line_no = 0;
  std::string normalized(text);
  std::replace(normalized.begin(), normalized.end(), ';', '\n');
  std::istringstream in(normalized);
  for (std::string line; std::getline(in, line);) {
    ++line_no;
    line = line.substr(0, line.find('#'));
    const std::vector<std::string> w = split_words(line);
    if (w.empty()) continue;
    auto fail = [&](const std::string& why) {
      error = "schedule line " + std::to_string(line_no) + ": " + why;
      return std::nullopt;
    };
    const auto at = parse_duration(w[0]);
    if (!at) return fail("bad time '" + w[0] + "' (e.g. 350ms, 1.2s)");
    if (w.size() < 2) return fail("a time must be followed by a fault");
    if (w[1] == "end") {
      s.end = *at;
      have_end = true;
      continue;
    }
    Fault f;
    f.at = *at;
    if (std::string why = parse_fault_words(w, f); !why.empty()) return fail(why);
    s.faults.push_back(f);
  }
  if (!have_end) {
    s.end = 0;
    for (const Fault& f : s.faults) s.end = std::max(s.end, f.at);
  }
  return s;
}

std::string FaultMix::describe() const {
  std::string out;
  auto add = [&](bool on, const char* name) {
    if (on) out += (out.empty() ? "" : ",") + std::string(name);
  };
  add(partition, "partition");
  add(crash, "crash");
  add(pause, "pause");
  add(loss, "loss");
  add(dup, "dup");
  add(persist, "persist");
  add(disk, "disk");
  return out.empty() ? "none" : out;
}

std::optional<FaultMix> FaultMix::parse(std::string_view text) {
  if (text == "all") return all();
  FaultMix m;
  if (text == "none" || text.empty()) return m;
  std::string s(text);
  std::replace(s.begin(), s.end(), ',', ' ');
  for (const std::string& w : split_words(s)) {
    if (w == "partition") m.partition = true;
    else if (w == "crash") m.crash = true;
    else if (w == "persist") m.persist = true;
    else if (w == "pause") m.pause = true;
    else if (w == "loss") m.loss = true;
    else if (w == "dup") m.dup = true;
    else if (w == "disk") m.disk = true;
    else return std::nullopt;
  }
  return m;
}

namespace {

// Adds `start` at t and, if it ends before the schedule does, `stop` at t + d.
void episode(Schedule& s, Fault start, Fault stop, Micros d) {
  s.faults.push_back(start);
  stop.at = start.at + d;
  if (stop.at < s.end) s.faults.push_back(stop);
}

std::vector<int> pick_nodes(int nodes, Rng& rng) {
  // Mostly one node, often the leader; sometimes a minority; sometimes all at once.
  const std::int64_t r = rng.uniform(0, 19);
  if (r == 0) return {kAllNodes};
  if (r <= 5) return {kLeader};
  if (r <= 7) return {kNextLeader};
  std::vector<int> all(static_cast<std::size_t>(nodes));
  for (int i = 0; i < nodes; ++i) all[static_cast<std::size_t>(i)] = i + 1;
  rng.shuffle(all);
  const std::size_t k = r <= 15 ? 1 : static_cast<std::size_t>((nodes - 1) / 2);
  all.resize(std::max<std::size_t>(1, k));
  return all;
}

void add_episodes(Schedule& s, const std::vector<Fault::Kind>& kinds, const FaultMix& mix,
                  int nodes, Micros end, Micros mean_gap, Rng& rng);

// The repair of a fault on `node`: the same node, or every node when the target was
// chosen at run time (whoever it was, restarting or resuming "all" reaches it).
int repair_target(int node) { return node > 0 ? node : kAllNodes; }

}  // namespace

Schedule random_schedule(const FaultMix& mix, int nodes, Micros end, Micros mean_gap, Rng& rng) {
  Schedule s;
  s.end = end;
  std::vector<Fault::Kind> kinds;
  if (mix.partition) kinds.push_back(Fault::Kind::kPartition);
  if (mix.crash) kinds.push_back(Fault::Kind::kCrash);
  if (mix.persist) kinds.push_back(Fault::Kind::kCrashAtPersist);
  if (mix.pause) kinds.push_back(Fault::Kind::kPause);
  if (mix.loss || mix.dup) kinds.push_back(Fault::Kind::kNetwork);
  if (!kinds.empty()) add_episodes(s, kinds, mix, nodes, end, mean_gap, rng);
  // Drawn after everything else, so that adding the disk to a mix leaves the other faults
  // of a seed's schedule as they were.
  if (mix.disk && nodes >= 3 && end > kMillisecond && rng.chance(0.3)) {
    Fault f;
    f.kind = Fault::Kind::kCorrupt;
    f.at = rng.uniform(0, end / kMillisecond - 1) * kMillisecond;
    f.node = static_cast<int>(rng.uniform(1, nodes));
    s.faults.push_back(f);
  }
  return s;
}

namespace {

void add_episodes(Schedule& s, const std::vector<Fault::Kind>& kinds, const FaultMix& mix,
                  int nodes, Micros end, Micros mean_gap, Rng& rng) {
  for (Micros t = static_cast<Micros>(rng.exponential(static_cast<double>(mean_gap))); t < end;
       t += 1 + static_cast<Micros>(rng.exponential(static_cast<double>(mean_gap)))) {
    // Whole milliseconds: the schedule is for people to read.
    t -= t % kMillisecond;
    const Micros d = rng.uniform(mean_gap / 4, mean_gap * 3) / kMillisecond * kMillisecond;
    Fault f;
    f.at = t;
    f.kind = rng.pick(kinds);
    Fault stop;
    switch (f.kind) {
      case Fault::Kind::kPartition:
        if (rng.chance(0.3)) {
          f.kind = Fault::Kind::kIsolate;
          f.node = pick_nodes(nodes, rng).front();
          if (f.node == kAllNodes) f.node = kLeader;
        } else {
          f.partition = {kAllShapes[rng.uniform(0, std::size(kAllShapes) - 1)], rng.next() % 1000};
        }
        stop.kind = Fault::Kind::kHeal;
        break;
      case Fault::Kind::kCrash:
      case Fault::Kind::kPause:
        stop.kind = f.kind == Fault::Kind::kCrash ? Fault::Kind::kRestart : Fault::Kind::kResume;
        for (int node : pick_nodes(nodes, rng)) {
          f.node = node;
          f.delay = node == kNextLeader ? rng.uniform(0, 40) * kMillisecond : 0;
          stop.node = repair_target(node);
          episode(s, f, stop, d);
        }
        continue;
      case Fault::Kind::kCrashAtPersist:
        f.node = pick_nodes(nodes, rng).front();
        f.persist_point = static_cast<PersistPoint>(rng.uniform(0, 2));
        stop.kind = Fault::Kind::kRestart;
        stop.node = repair_target(f.node);
        break;
      default:
        f.loss = mix.loss ? 0.05 * static_cast<double>(rng.uniform(1, 6)) : 0;
        f.dup = mix.dup ? 0.05 * static_cast<double>(rng.uniform(1, 4)) : 0;
        stop.kind = Fault::Kind::kNetwork;
        break;
    }
    if (f.node == kNextLeader) f.delay = rng.uniform(0, 40) * kMillisecond;
    episode(s, f, stop, d);
  }
}

}  // namespace

}  // namespace raftsim
