// Every verdict of ../shared/histories/porcupine/EXPECTED.tsv, one ctest test per history.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "lincheck/check.h"
#include "lincheck/parse.h"

namespace lincheck {
namespace {

const std::string kDir = std::string(LINCHECK_HISTORIES_DIR) + "/porcupine";

struct Expected {
  std::string path;
  bool linearizable;
};

void PrintTo(const Expected& e, std::ostream* os) { *os << e.path; }

std::vector<Expected> load_expected() {
  std::vector<Expected> out;
  std::ifstream in(kDir + "/EXPECTED.tsv");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string path, verdict;
    std::getline(fields, path, '\t');
    std::getline(fields, verdict, '\t');
    if (verdict == "linearizable" || verdict == "not_linearizable") out.push_back({path, verdict == "linearizable"});
  }
  return out;
}

std::string test_name(const ::testing::TestParamInfo<Expected>& info) {
  std::string name = info.param.path;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

class PorcupineHistory : public ::testing::TestWithParam<Expected> {};

TEST_P(PorcupineHistory, ReproducesTheExpectedVerdict) {
  const Expected& e = GetParam();
  Result<std::string> text = read_file(kDir + "/" + e.path);
  ASSERT_TRUE(text.ok()) << text.error().to_string();
  Result<Format> format = detect_format(*text, e.path);
  ASSERT_TRUE(format.ok()) << format.error().to_string();
  Result<History> h = parse_text(*text, *format, e.path);
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  CheckOptions o;
  o.threads = 1;
  o.stop_at_first_violation = true;
  Result<CheckResult> r = check(*h, ModelSpec{ModelKind::Auto, default_semantics(*format)}, o);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->verdict, e.linearizable ? Verdict::Linearizable : Verdict::NotLinearizable);
  if (!e.linearizable) {
    bool explained = false;
    for (const KeyResult& k : r->keys) explained = explained || k.violation.has_value();
    EXPECT_TRUE(explained) << "a violation comes with an explanation";
  }
}

INSTANTIATE_TEST_SUITE_P(Expected, PorcupineHistory, ::testing::ValuesIn(load_expected()), test_name);

TEST(PorcupineData, IsPresentAndComplete) {
  ASSERT_TRUE(std::filesystem::exists(kDir + "/EXPECTED.tsv"))
      << "set LINCHECK_HISTORIES_DIR (CMake) to the shared histories directory; looked in " << kDir;
  EXPECT_EQ(load_expected().size(), 108u);
}

TEST(PorcupineData, EmptyEtcdRunParsesToAnEmptyHistory) {
  Result<History> h = parse_file(kDir + "/jepsen/etcd_095.log", Format::JepsenLog);
  ASSERT_TRUE(h.ok()) << h.error().to_string();
  EXPECT_TRUE(h->ops.empty());
}

TEST(PorcupineData, EveryKeyOfTheBadKvHistoriesIsRefutedWhenAskedFor) {
  // With stop_at_first_violation off, each key gets its own verdict (all bad in c50-bad).
  Result<History> h = parse_file(kDir + "/kv/c50-bad.txt");
  ASSERT_TRUE(h.ok());
  CheckOptions o;
  o.stop_at_first_violation = false;
  o.threads = 2;
  Result<CheckResult> r = check(*h, ModelSpec{}, o);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->keys.size(), 10u);
  for (const KeyResult& k : r->keys) EXPECT_EQ(k.verdict, Verdict::NotLinearizable) << "key " << k.key;
}

}  // namespace
}  // namespace lincheck
