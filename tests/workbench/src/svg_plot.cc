#include "tests/workbench/src/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

namespace workbench {
namespace {

constexpr double kW = 900, kH = 320, kLeft = 70, kRight = 20, kTop = 34, kBottom = 48;

std::string num(double v) { return svg_num(v); }

std::string tick_label(double v) {
  char buf[32];
  if (std::fabs(v) >= 100 || v == std::floor(v)) std::snprintf(buf, sizeof buf, "%.0f", v);
  else std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// A "nice" step (1, 2 or 5 times a power of ten) giving about `count` ticks over span.
double nice_step(double span, int count) {
  const double raw = span / count;
  const double mag = std::pow(10, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * mag) return m * mag;
  return 10 * mag;
}

struct Axes {
  double x_max, y_min, y_max;
  bool log_y;
  double x(double v) const { return kLeft + (kW - kLeft - kRight) * std::clamp(v / x_max, 0.0, 1.0); }
  double y(double v) const {
    double f;
    if (log_y) f = (std::log10(std::max(v, y_min)) - std::log10(y_min)) / (std::log10(y_max) - std::log10(y_min));
    else f = (v - y_min) / (y_max - y_min);
    return kH - kBottom - (kH - kTop - kBottom) * std::clamp(f, 0.0, 1.0);
  }
};

Axes make_axes(const PlotSpec& spec) {
  double lo = spec.log_y ? 1e300 : 0, hi = spec.log_y ? 0 : 1;
  for (const auto& s : spec.series)
    for (const auto& [x, y] : s.points) {
      if (spec.log_y && y > 0) lo = std::min(lo, y);
      hi = std::max(hi, y);
    }
  if (spec.log_y) {
    if (lo > hi) lo = 0.1, hi = 1000;
    lo = std::pow(10, std::floor(std::log10(std::max(lo, 1e-3))));
    hi = std::pow(10, std::ceil(std::log10(std::max(hi, lo * 10))));
  } else {
    hi = std::max(1.0, hi * 1.1);
  }
  return {std::max(spec.x_max, 1e-9), lo, hi, spec.log_y};
}

std::string grid(const PlotSpec& spec, const Axes& a) {
  std::string out;
  const double step = nice_step(a.x_max, 10);
  for (double v = 0; v <= a.x_max + 1e-9; v += step) {
    out += "<line x1='" + num(a.x(v)) + "' y1='" + num(kTop) + "' x2='" + num(a.x(v)) + "' y2='" + num(kH - kBottom) +
           "' stroke='#eee'/><text x='" + num(a.x(v)) + "' y='" + num(kH - kBottom + 16) +
           "' text-anchor='middle' font-size='11'>" + tick_label(v) + "</text>";
  }
  std::vector<double> ys;
  if (a.log_y) {
    for (double v = a.y_min; v <= a.y_max * 1.0001; v *= 10) ys.push_back(v);
  } else {
    const double ystep = nice_step(a.y_max - a.y_min, 5);
    for (double v = a.y_min; v <= a.y_max + 1e-9; v += ystep) ys.push_back(v);
  }
  for (double v : ys) {
    out += "<line x1='" + num(kLeft) + "' y1='" + num(a.y(v)) + "' x2='" + num(kW - kRight) + "' y2='" + num(a.y(v)) +
           "' stroke='#eee'/><text x='" + num(kLeft - 6) + "' y='" + num(a.y(v) + 4) +
           "' text-anchor='end' font-size='11'>" + tick_label(v) + "</text>";
  }
  out += "<text x='" + num((kLeft + kW - kRight) / 2) + "' y='" + num(kH - 8) + "' text-anchor='middle' font-size='12'>" +
         html_escape(spec.x_label) + "</text>";
  out += "<text transform='translate(16," + num((kTop + kH - kBottom) / 2) +
         ") rotate(-90)' text-anchor='middle' font-size='12'>" + html_escape(spec.y_label) + "</text>";
  return out;
}

std::string bands(const PlotSpec& spec, const Axes& a) {
  std::string out;
  for (const auto& b : spec.bands) {
    out += "<rect x='" + num(a.x(b.x0)) + "' y='" + num(kTop) + "' width='" + num(std::max(1.0, a.x(b.x1) - a.x(b.x0))) +
           "' height='" + num(kH - kTop - kBottom) + "' fill='" + b.color + "' fill-opacity='0.45'><title>" +
           html_escape(b.label) + "</title></rect>";
  }
  return out;
}

std::string series(const PlotSeries& s, const Axes& a) {
  std::string out;
  if (s.line) {
    out += "<polyline fill='none' stroke='" + s.color + "' stroke-width='1.5' points='";
    for (const auto& [x, y] : s.points) out += num(a.x(x)) + "," + num(a.y(y)) + " ";
    return out + "'/>";
  }
  out += "<g fill='" + s.color + "' fill-opacity='0.75'>";
  for (const auto& [x, y] : s.points) out += "<circle cx='" + num(a.x(x)) + "' cy='" + num(a.y(y)) + "' r='2.2'/>";
  return out + "</g>";
}

std::string legend(const PlotSpec& spec) {
  std::string out;
  double x = kLeft;
  std::set<std::string> seen;
  auto item = [&](const std::string& color, const std::string& label, double opacity) {
    out += "<rect x='" + num(x) + "' y='10' width='12' height='12' fill='" + color + "' fill-opacity='" + num(opacity) +
           "'/><text x='" + num(x + 16) + "' y='20' font-size='12'>" + html_escape(label) + "</text>";
    x += 28 + 7.0 * static_cast<double>(label.size());
  };
  for (const auto& s : spec.series) item(s.color, s.label, 1);
  for (const auto& b : spec.bands)
    if (seen.insert(b.color).second) item(b.color, b.label.substr(0, b.label.find(' ')), 0.45);
  return out;
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string svg_plot(const PlotSpec& spec) {
  const Axes a = make_axes(spec);
  std::string out = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 " + num(kW) + " " + num(kH) +
                    "' width='" + num(kW) + "' height='" + num(kH) + "' font-family='sans-serif' role='img'><title>" +
                    html_escape(spec.title) + "</title>";
  out += "<rect width='100%' height='100%' fill='white'/>";
  out += bands(spec, a) + grid(spec, a);
  out += "<rect x='" + num(kLeft) + "' y='" + num(kTop) + "' width='" + num(kW - kLeft - kRight) + "' height='" +
         num(kH - kTop - kBottom) + "' fill='none' stroke='#999'/>";
  for (const auto& s : spec.series) out += series(s, a);
  out += legend(spec);
  return out + "</svg>";
}

std::string svg_num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace workbench
