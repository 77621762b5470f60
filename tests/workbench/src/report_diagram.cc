#include "tests/workbench/src/report_diagram.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>

#include "tests/workbench/src/svg_plot.h"

namespace workbench {
namespace {

constexpr std::size_t kMaxArrows = 400;    // beyond this a diagram is unreadable anyway
constexpr std::size_t kMaxBars = 20'000;   // keeps report.html to a few MB
constexpr double kTop = 56, kLeft = 64;

std::string num(double v) { return svg_num(v); }

std::string secs(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  return buf;
}

double to_s(Nanos t) { return static_cast<double>(t) / kSeconds; }

const char* fault_fill(const std::string& fault) {
  if (fault == "kill") return "#E9A4A0";
  if (fault == "pause") return "#A0B1E9";
  return "#E9DCA0";
}

// Messages sent within [from, to] (the trace is in send order).
std::pair<std::size_t, std::size_t> sent_between(const MessageTrace& t, double from, double to) {
  const auto& m = t.messages();
  auto lo = std::lower_bound(m.begin(), m.end(), from, [](const TracedMessage& x, double s) { return to_s(x.sent) < s; });
  auto hi = std::upper_bound(lo, m.end(), to, [](double s, const TracedMessage& x) { return s < to_s(x.sent); });
  return {static_cast<std::size_t>(lo - m.begin()), static_cast<std::size_t>(hi - m.begin())};
}

// The anchor of the default window and where in the window it sits (0 = left edge).
struct Anchor {
  double t = 0, at = 0;
  std::string why;
};

std::optional<Anchor> violation_anchor(const RunResult& run, const Verdict& v) {
  std::optional<Anchor> best;
  for (const auto& x : run.violations) {
    const double t = to_s(x.time - run.workload_offset);
    if (!best || t < best->t) best = Anchor{t, 0.7, "around the first protocol violation (" + x.node + ": " + x.reason + ")"};
  }
  if (best) return best;
  for (const auto& k : v.keys) {
    if (k.valid != Validity::Invalid || k.offending.empty()) continue;
    double last = 0;
    for (auto idx : k.offending)
      if (idx >= 0 && static_cast<std::size_t>(idx) < run.history.ops().size()) last = std::max(last, to_s(run.history.at(idx).time));
    return Anchor{last, 0.7, "around the offending operations on key " + k.key + " (not linearizable)"};
  }
  return std::nullopt;
}

Anchor default_anchor(const RunResult& run, const Verdict& v) {
  if (auto a = violation_anchor(run, v)) return *a;
  const Stall& s = v.overall().longest_stall;
  if (to_s(s.length) >= kStallWorthShowing)
    return {to_s(s.start), 0.25, "around the start of the longest stall (" + secs(to_s(s.length)) + " s from " + secs(to_s(s.start)) + " s)"};
  return {0, 0, "the first seconds of the workload (no violation, no stall of " + secs(kStallWorthShowing) + " s or more)"};
}

}  // namespace

DiagramWindow choose_window(const RunResult& run, const Verdict& v) {
  const auto& o = run.options;
  Anchor a = o.diagram_at_s ? Anchor{*o.diagram_at_s, 0, "chosen with --diagram-at"} : default_anchor(run, v);
  double span = o.diagram_span_s ? *o.diagram_span_s : 2.0;
  auto window = [&](double sp) { return std::pair<double, double>{a.t - a.at * sp, a.t + (1 - a.at) * sp}; };
  if (!o.diagram_span_s) {
    // Halve the span until the diagram stays readable.
    while (span > 0.005) {
      auto [f, t] = window(span);
      auto [lo, hi] = sent_between(run.trace, f, t);
      if (hi - lo <= kDiagramMessages) break;
      span /= 2;
    }
  }
  auto [from, to] = window(span);
  return {from, to, a.why};
}

namespace {

int client_number(const std::string& name) { return std::atoi(name.c_str() + 1); }

// Lanes: clients (by number), then the nodes in their order, then services.
std::vector<std::string> lanes_for(const RunResult& run, const std::vector<const TracedMessage*>& msgs) {
  std::vector<std::string> clients, services;
  auto seen = [](const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); };
  for (const auto* m : msgs) {
    for (auto id : {m->src, m->dest}) {
      const std::string& n = run.trace.name(id);
      if (seen(run.options.nodes, n)) continue;
      auto& list = is_client_name(n) ? clients : services;
      if (!seen(list, n)) list.push_back(n);
    }
  }
  std::sort(clients.begin(), clients.end(), [](const auto& a, const auto& b) { return client_number(a) < client_number(b); });
  std::vector<std::string> lanes = clients;
  lanes.insert(lanes.end(), run.options.nodes.begin(), run.options.nodes.end());
  lanes.insert(lanes.end(), services.begin(), services.end());
  return lanes;
}

// Rows in event order, not time: with zero latency a request, its forwarding and its reply
// share one instant, and a time-linear diagram draws them on top of each other. Each send
// and each delivery gets its own row (a message's delivery always below its send); the left
// axis gives each row's time.
struct Frame {
  static constexpr double kRow = 12;
  double from, to;
  std::vector<double> times;  // event times, in row order
  double lane_gap;
  std::map<std::string, double> x;
  std::map<const TracedMessage*, std::pair<std::size_t, std::size_t>> rows;  // send row, done row
  double height() const { return kRow * static_cast<double>(times.size() + 1); }
  double row_y(std::size_t i) const { return kTop + kRow * (static_cast<double>(i) + 0.5); }
  // The boundary before the first event at or after t.
  double y(double t) const {
    const auto i = std::lower_bound(times.begin(), times.end(), t) - times.begin();
    return kTop + kRow * static_cast<double>(i);
  }
};

void assign_rows(Frame& f, const std::vector<const TracedMessage*>& msgs) {
  struct Event {
    double t;
    std::size_t order;  // message order (= id order)
    int kind;           // 0 send, 1 done
    const TracedMessage* m;
  };
  std::vector<Event> events;
  for (std::size_t i = 0; i < msgs.size(); ++i) {
    events.push_back({to_s(msgs[i]->sent), i, 0, msgs[i]});
    if (msgs[i]->fate == Fate::Delivered || msgs[i]->fate == Fate::Dropped) events.push_back({to_s(msgs[i]->done), i, 1, msgs[i]});
  }
  // Equal times: by message order, so a delivery precedes the replies it caused.
  std::sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.t != b.t) return a.t < b.t;
    return a.order != b.order ? a.order < b.order : a.kind < b.kind;
  });
  for (std::size_t r = 0; r < events.size(); ++r) {
    f.times.push_back(events[r].t);
    auto& rows = f.rows[events[r].m];
    if (events[r].kind == 0) rows.first = rows.second = r;
    else rows.second = r;
  }
}

std::string fault_marks(const RunResult& run, const Frame& f, double width) {
  std::string out;
  for (const auto& fault : run.faults) {
    const double s = to_s(fault.start), e = to_s(fault.end);
    if (e < f.from || s > f.to) continue;
    const double y0 = f.y(s), y1 = f.y(e);
    const std::string title = "<title>" + html_escape(fault.fault + " " + fault.detail) + "</title>";
    if (fault.fault == "partition") {
      out += "<rect x='" + num(kLeft - 40) + "' y='" + num(y0) + "' width='" + num(width - kLeft + 30) + "' height='" +
             num(std::max(2.0, y1 - y0)) + "' fill='" + fault_fill("partition") + "' fill-opacity='0.35'>" + title + "</rect>";
      out += "<text x='" + num(width - 12) + "' y='" + num(y0 + 11) + "' font-size='10' text-anchor='end' fill='#8a6d00'>partition " +
             html_escape(fault.detail.substr(0, 60)) + "</text>";
      continue;
    }
    auto it = f.x.find(fault.detail);
    if (it == f.x.end()) continue;
    out += "<rect x='" + num(it->second - 7) + "' y='" + num(y0) + "' width='14' height='" + num(std::max(2.0, y1 - y0)) +
           "' fill='" + fault_fill(fault.fault) + "' fill-opacity='0.8'>" + title + "</rect>";
    if (s >= f.from)
      out += "<text x='" + num(it->second + 9) + "' y='" + num(y0 + 10) + "' font-size='10' fill='#a00'>" +
             (fault.fault == "kill" ? "&#x2715; killed" : "paused") + "</text>";
  }
  return out;
}

std::string arrow(const RunResult& run, const Frame& f, const TracedMessage& m) {
  const std::string& type = run.trace.type(m.type);
  const double x0 = f.x.at(run.trace.name(m.src)), x1 = f.x.at(run.trace.name(m.dest));
  const auto [send_row, done_row] = f.rows.at(&m);
  const double y0 = f.row_y(send_row);
  const bool arrived = m.fate == Fate::Delivered;
  const double y1 = arrived || m.fate == Fate::Dropped ? f.row_y(done_row) : y0 + 6;
  const bool client = is_client_name(run.trace.name(m.src)) || is_client_name(run.trace.name(m.dest));
  const char* color = type == "error" ? "#d62728" : !arrived ? "#999" : client ? "#1f5fa8" : "#444";
  // Undelivered messages stop short of their receiver, with a cross.
  const double xe = arrived ? x1 : x0 + (x1 - x0) * 0.85;
  std::string out = "<g><title>" + html_escape(type + " " + run.trace.name(m.src) + " -> " + run.trace.name(m.dest) +
                                               " sent " + secs(to_s(m.sent)) + " s" +
                                               (m.fate == Fate::Delivered ? ", delivered " + secs(to_s(m.done)) + " s"
                                                : m.fate == Fate::Dropped ? ", dropped by a partition"
                                                                         : ", never delivered")) + "</title>";
  out += "<line x1='" + num(x0) + "' y1='" + num(y0) + "' x2='" + num(xe) + "' y2='" + num(y1) + "' stroke='" + color +
         "' stroke-width='1'" + (arrived ? " marker-end='url(#wb-arrow)'" : " stroke-dasharray='4 3'") + "/>";
  if (!arrived)
    out += "<text x='" + num(xe) + "' y='" + num(y1 + 4) + "' font-size='11' text-anchor='middle' fill='" + color + "'>&#x2715;</text>";
  out += "<text x='" + num((x0 + xe) / 2) + "' y='" + num((y0 + y1) / 2 - 2) +
         "' font-size='9' text-anchor='middle' fill='" + color + "' stroke='white' stroke-width='3' paint-order='stroke'>" +
         html_escape(type) + "</text></g>";
  return out;
}

std::string time_ticks(const Frame& f, double width) {
  std::string out;
  for (std::size_t i = 0; i < f.times.size(); i += 8) {
    const double y = f.row_y(i);
    out += "<line x1='" + num(kLeft - 6) + "' y1='" + num(y) + "' x2='" + num(width) + "' y2='" + num(y) +
           "' stroke='#f0f0f0'/><text x='" + num(kLeft - 8) + "' y='" + num(y + 3) +
           "' font-size='10' text-anchor='end'>" + secs(f.times[i]) + "</text>";
  }
  return out;
}

}  // namespace

std::string message_diagram(const RunResult& run, const DiagramWindow& w) {
  auto [lo, hi] = sent_between(run.trace, w.from_s, w.to_s);
  std::vector<const TracedMessage*> msgs;
  for (std::size_t i = lo; i < hi && msgs.size() < kMaxArrows; ++i) msgs.push_back(&run.trace.messages()[i]);
  const auto lanes = lanes_for(run, msgs);
  Frame f{w.from_s, std::max(w.to_s, w.from_s + 1e-6), {},
          std::max(70.0, 900.0 / static_cast<double>(std::max<std::size_t>(1, lanes.size()))), {}, {}};
  assign_rows(f, msgs);
  for (std::size_t i = 0; i < lanes.size(); ++i) f.x[lanes[i]] = kLeft + 30 + f.lane_gap * static_cast<double>(i);
  const double width = kLeft + 60 + f.lane_gap * static_cast<double>(lanes.size());
  const double height = kTop + f.height() + 30;

  std::string out = "<p class='meta'>Messages sent from " + secs(f.from) + " s to " + secs(f.to) + " s (workload time; rows in event order, times on the left): " +
                    html_escape(w.why) + ". " + std::to_string(hi - lo) + " messages" +
                    (hi - lo > msgs.size() ? ", the first " + std::to_string(msgs.size()) + " drawn" : "") +
                    (run.trace.truncated() ? "; the trace holds only the first " + std::to_string(run.trace.messages().size()) + " messages of the run" : "") +
                    ". Choose another window with <code>--diagram-at S --diagram-span S</code>. Blue: client traffic; grey: "
                    "between nodes; red: errors; dashed with &#x2715;: dropped by a partition or never delivered.</p>";
  out += "<div style='overflow-x:auto'><svg id='message-diagram' xmlns='http://www.w3.org/2000/svg' width='" + num(width) +
         "' height='" + num(height) + "' viewBox='0 0 " + num(width) + " " + num(height) +
         "' font-family='sans-serif' role='img'><title>Message diagram</title>"
         "<defs><marker id='wb-arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='7' markerHeight='7' "
         "orient='auto-start-reverse'><path d='M0,0 L10,5 L0,10 z' fill='#555'/></marker></defs>"
         "<rect width='100%' height='100%' fill='white'/>";
  out += time_ticks(f, width) + fault_marks(run, f, width);
  for (const auto& name : lanes) {
    const double x = f.x[name];
    const bool node = std::find(run.options.nodes.begin(), run.options.nodes.end(), name) != run.options.nodes.end();
    out += "<line x1='" + num(x) + "' y1='" + num(kTop - 8) + "' x2='" + num(x) + "' y2='" + num(kTop + f.height()) +
           "' stroke='" + (node ? "#555" : "#bbb") + "' stroke-width='" + (node ? "1.5" : "1") + "'/><text x='" + num(x) +
           "' y='" + num(kTop - 16) + "' font-size='12' text-anchor='middle' font-weight='" + (node ? "bold" : "normal") +
           "'>" + html_escape(name) + "</text>";
  }
  for (const auto* m : msgs) out += arrow(run, f, *m);
  return out + "</svg></div>";
}

namespace {

const char* bar_color(const Op* done) {
  if (!done) return "#999";
  if (done->type == OpType::Ok) return "#2a9d4b";
  if (is_answer(*done)) return "#8fd19e";  // a definite "no" about the data: answered
  return done->type == OpType::Fail ? "#d62728" : "#f08c00";
}

}  // namespace

std::string operation_timeline(const RunResult& run, const Verdict& v, const DiagramWindow& w) {
  const auto pairs = pair_client_ops(run.history);
  const int threads = std::max(1, run.options.concurrency);
  // Too many bars: keep those around the diagram's window.
  std::size_t first = 0, last = pairs.size();
  if (pairs.size() > kMaxBars) {
    std::size_t mid = 0;
    while (mid < pairs.size() && to_s(run.history.at(pairs[mid].invoke).time) < w.from_s) ++mid;
    first = mid > kMaxBars / 2 ? mid - kMaxBars / 2 : 0;
    last = std::min(pairs.size(), first + kMaxBars);
  }
  double x0 = 0, x1 = std::max(1.0, to_s(run.workload_duration));
  if (first > 0 || last < pairs.size()) {
    x0 = to_s(run.history.at(pairs[first].invoke).time);
    x1 = to_s(run.history.at(pairs[last - 1].invoke).time) + 1e-3;
  }
  const double row = std::clamp(320.0 / threads, 3.0, 14.0), plot_w = 860, top = 30;
  const double height = top + row * threads + 34;
  auto x = [&](double t) { return kLeft + plot_w * (std::clamp(t, x0, x1) - x0) / (x1 - x0); };
  std::string out = "<svg id='operation-timeline' xmlns='http://www.w3.org/2000/svg' width='" + num(kLeft + plot_w + 20) +
                    "' height='" + num(height) + "' font-family='sans-serif' role='img'><title>Operation timeline</title>"
                    "<rect width='100%' height='100%' fill='white'/>";
  auto band = [&](double s, double e, const std::string& fill, double opacity, const std::string& title) {
    if (e < x0 || s > x1) return;
    out += "<rect x='" + num(x(s)) + "' y='" + num(top) + "' width='" + num(std::max(1.0, x(e) - x(s))) + "' height='" +
           num(row * threads) + "' fill='" + fill + "' fill-opacity='" + num(opacity) + "'><title>" + html_escape(title) +
           "</title></rect>";
  };
  for (const auto& f : run.faults) band(to_s(f.start), to_s(f.end), fault_fill(f.fault), 0.45, f.fault + " " + f.detail);
  const Stall& s = v.overall().longest_stall;
  if (s.length > 0) band(to_s(s.start), to_s(s.end), "#777", 0.25, "longest stall: " + secs(to_s(s.length)) + " s");
  for (std::size_t i = first; i < last; ++i) {
    const Op& inv = run.history.at(pairs[i].invoke);
    const Op* done = pairs[i].complete ? &run.history.at(*pairs[i].complete) : nullptr;
    const double t0 = to_s(inv.time), t1 = done ? to_s(done->time) : x1;
    const auto lane = static_cast<double>(*inv.process % threads);
    out += "<rect x='" + num(x(t0)) + "' y='" + num(top + lane * row + 0.5) + "' width='" + num(std::max(1.0, x(t1) - x(t0))) +
           "' height='" + num(std::max(1.0, row - 1)) + "' fill='" + bar_color(done) + "'/>";
  }
  // Where the message diagram looks, and the axes.
  if (w.to_s >= x0 && w.from_s <= x1)
    out += "<rect x='" + num(x(w.from_s)) + "' y='" + num(top - 4) + "' width='" + num(std::max(2.0, x(w.to_s) - x(w.from_s))) +
           "' height='" + num(row * threads + 8) + "' fill='none' stroke='#000' stroke-dasharray='3 2'><title>the message diagram's window</title></rect>";
  for (int i = 0; i <= 10; ++i) {
    const double t = x0 + (x1 - x0) * i / 10;
    out += "<text x='" + num(x(t)) + "' y='" + num(height - 16) + "' font-size='10' text-anchor='middle'>" + secs(t) + "</text>";
  }
  const int step = std::max(1, static_cast<int>(std::ceil(12 / row)));
  for (int t = 0; t < threads; t += step)
    out += "<text x='" + num(kLeft - 6) + "' y='" + num(top + (t + 1) * row - 1) + "' font-size='9' text-anchor='end'>" +
           std::to_string(t) + "</text>";
  out += "<text x='" + num(kLeft + plot_w / 2) + "' y='" + num(height - 2) + "' font-size='11' text-anchor='middle'>time (s); a lane per client thread</text>";
  return out + "</svg>";
}

}  // namespace workbench
