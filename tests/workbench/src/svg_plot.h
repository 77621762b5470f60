// A tiny SVG chart writer for the report: scatter or line series over time, optional log
// y axis, and shaded bands for fault periods. Output is self-contained inline SVG.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace workbench {

struct PlotSeries {
  std::string label;
  std::string color;
  std::vector<std::pair<double, double>> points;  // (x, y)
  bool line = false;                              // polyline instead of dots
};

struct PlotBand {
  double x0 = 0, x1 = 0;
  std::string color;
  std::string label;
};

struct PlotSpec {
  std::string title;
  std::string x_label;
  std::string y_label;
  bool log_y = false;
  double x_max = 1;
  std::vector<PlotSeries> series;
  std::vector<PlotBand> bands;
};

std::string svg_plot(const PlotSpec& spec);

std::string html_escape(const std::string& s);

/// A coordinate for SVG markup: one decimal.
std::string svg_num(double v);

}  // namespace workbench
