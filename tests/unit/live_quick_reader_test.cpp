// The quick reader (live/quick_reader.hpp) against the general one: what it accepts reads to the
// same body, everything else is left to the general reader, and a quick attach's request and
// cache key are those of the rewritten JSON step.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "config.hpp"  // parseJsonText
#include "json_fast.hpp"
#include "names.hpp"
#include "protocol.hpp"
#include "quick_reader.hpp"

namespace si::live {
namespace {

// The general reader alone: the text as JSON, then its body.
Result<Body> readInFull(const std::string& line) {
  Result<json> tree = parseJsonText(line, "");
  if (!tree) return tree.error();
  return decodeBody(*tree);
}

void expectReadQuickly(const std::string& line) {
  const std::optional<Body> quick = readQuick(line);
  ASSERT_TRUE(quick.has_value()) << line;
  const Result<Body> full = readInFull(line);
  ASSERT_TRUE(full.ok()) << line << ": " << full.message();
  EXPECT_TRUE(sameBody(*quick, *full)) << line;
}

TEST(QuickReader, ReadsTheCommonShapesToTheBodyTheGeneralReaderGives) {
  for (const std::string line : {
           R"({"v":1,"t":0,"step":{"attach":{"observer":"q1","storeId":"[\"store-3290\"]","gcTime":1000,"adapter":{"type":"external"}}}})",
           R"({"v":1,"t":7,"step":{"attach":{"storeId":"a","observer":"o1"}}})",
           R"({"v":1,"t":7,"step":{"attach":{"adapter":{"type":"external"},"gcTime":0,"observer":"o/1","storeId":"a\\b\/c"}}})",
           R"({"t":9007199254740991,"v":1,"step":{"detach":"q1"}})",
           R"({"v":1,"t":3,"step":{"loaded":"[\"store-5300\"]"}})",
           R"({"v":1,"t":3,"step":{"loaded":""}})",
           R"({"v":1,"t":0,"observed":{"kind":"created","storeId":"[\"s\"]","instance":"i1"}})",
           R"({"v":1,"t":10,"observed":{"storeId":"s","kind":"disposed"}})",
           R"({"v":1,"t":400})",
           R"({"v":1,"t":400,"dropped":0})",
           R"({"dropped":12,"t":5,"v":1})",
       }) {
    expectReadQuickly(line);
  }
}

// Each of these is left to the general reader (which accepts some and refuses others), and
// decodeMessage gives what the general reader gives.
TEST(QuickReader, LeavesEveryOtherSpellingAndShapeToTheGeneralReader) {
  for (const std::string line : {
           R"({"v":1,"hello":{"app":"w","library":"custom"}})",
           R"({"v": 1,"t":0,"step":{"detach":"q1"}})",               // whitespace
           R"({"v":1,"t":0,"step":{"detach":"q1"}} )",
           R"({"v":1,"t":0,"t":1,"step":{"detach":"q1"}})",          // a key twice
           R"({"v":1,"t":0,"step":{"attach":{"observer":"a","observer":"b","storeId":"s"}}})",
           R"({"v":1,"t":0,"step":{"detach":"caf\u00e9"}})",          // \u escape
           "{\"v\":1,\"t\":0,\"step\":{\"detach\":\"caf\xC3\xA9\"}}",  // non-ASCII
           R"({"v":1,"t":0,"step":{"detach":"tab\there"}})",          // a control character
           R"({"v":1,"t":0,"step":{"detach":""}})",
           R"({"v":1,"t":0,"step":{"detach":"a","note":"n"}})",
           R"({"v":1.0,"t":0,"step":{"detach":"q1"}})",
           R"({"v":2,"t":0,"step":{"detach":"q1"}})",
           R"({"v":1,"t":-1,"step":{"detach":"q1"}})",
           R"({"v":1,"t":01,"step":{"detach":"q1"}})",
           R"({"v":1,"t":1.5,"step":{"detach":"q1"}})",
           R"({"v":1,"t":1e3,"step":{"detach":"q1"}})",
           R"({"v":1,"t":9007199254740992,"step":{"detach":"q1"}})",  // past kMaxTime
           R"({"v":1,"step":{"detach":"q1"}})",
           R"({"t":1,"step":{"detach":"q1"}})",
           R"({"v":1,"t":0,"step":{"detach":"q1"},"observed":{"kind":"created","storeId":"s"}})",
           R"({"v":1,"t":0,"step":{"detach":"q1"},"dropped":1})",
           R"({"v":1,"t":0,"step":{"unmount":"App"}})",
           R"({"v":1,"t":0,"step":{"attach":{"observer":"o","storeId":"s","registry":"r"}}})",
           R"({"v":1,"t":0,"step":{"attach":{"observer":"o","storeId":"s","component":"App"}}})",
           R"({"v":1,"t":0,"step":{"attach":{"storeId":"s"}}})",
           R"({"v":1,"t":0,"step":{"attach":{"observer":"o","storeId":""}}})",
           R"({"v":1,"t":0,"step":{"attach":{"observer":"o","storeId":"s","gcTime":"Infinity"}}})",
           R"({"v":1,"t":0,"step":{"attach":{"observer":"o","storeId":"s","adapter":{"type":"file"}}}})",
           R"({"v":1,"t":0,"step":{"attach":{"observer":"o","storeId":"s","adapter":{"type":"external","closeMs":5}}}})",
           R"({"v":1,"t":0,"observed":{"kind":"created","storeId":""}})",
           R"({"v":1,"t":0,"observed":{"kind":"created","storeId":"s","instance":""}})",
           R"({"v":1,"t":0,"observed":{"kind":"gone","storeId":"s"}})",
           R"({"v":1,"t":0,"observed":{"kind":"created","storeId":"s","extra":1}})",
           R"({"v":1,"t":0,"dropped":-1})",
           R"({"v":1,"t":0,"x":1})",
           R"({"v":1,"t":0,"step":{"detach":"q1"})",
           R"([1])",
           "",
       }) {
    EXPECT_FALSE(readQuick(line).has_value()) << line;
    const Result<Message> m = decodeMessage(line);
    const Result<Body> full = readInFull(line);
    ASSERT_EQ(m.ok(), full.ok()) << line;
    if (m) {
      EXPECT_TRUE(sameBody(m->body, *full)) << line;
    }
  }
}

// Every line of the bundled trace, recorded from the real LiveStore: each is read the same by
// both readers, and its facts are read quickly.
TEST(QuickReader, TheBundledTraceReadsTheSameEitherWay) {
  std::ifstream in(std::string(SI_ASSETS_DIR) + "/traces/livestore-double-boot.ndjson");
  ASSERT_TRUE(in) << "cannot open the bundled trace";
  size_t quick = 0, lines = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    ++lines;
    const Result<Body> full = readInFull(line);
    ASSERT_TRUE(full.ok()) << line;
    if (const std::optional<Body> q = readQuick(line)) {
      ++quick;
      EXPECT_TRUE(sameBody(*q, *full)) << line;
    }
  }
  EXPECT_GT(lines, 5u);
  EXPECT_GT(quick, 0u);
}

QuickStep quickAttach(const std::string& attach) {
  const std::optional<Body> b = readQuick(R"({"v":1,"t":0,"step":{"attach":)" + attach + "}}");
  EXPECT_TRUE(b && std::holds_alternative<Step>(*b) && std::get<Step>(*b).quick) << attach;
  return b ? *std::get<Step>(*b).quick : QuickStep{};
}

// The request and its cache key are those readCommonStep gives for the step's JSON, so a
// request sent both ways resolves once.
TEST(QuickReader, AQuickAttachHasTheRequestAndKeyOfItsRewrittenJson) {
  for (const std::string attach : {
           R"({"observer":"q1","storeId":"[\"s\"]","gcTime":1000,"adapter":{"type":"external"}})",
           R"({"observer":"q1","storeId":"s"})",
           R"({"storeId":"s","observer":"q1","gcTime":5})",
           R"({"adapter":{"type":"external"},"storeId":"s","observer":"q1"})",
           R"({"gcTime":0,"adapter":{"type":"external"},"observer":"q1","storeId":"s"})",
       }) {
    const QuickStep q = quickAttach(attach);
    json step = q.toJson();
    EXPECT_EQ(step, json::parse(R"({"attach":)" + attach + "}")) << attach;
    const std::optional<Action> a = readCommonStep(step, "w1");
    ASSERT_TRUE(a && std::holds_alternative<Attach>(*a)) << attach;
    const Attach& general = std::get<Attach>(*a);
    EXPECT_EQ(quickRequest(q), general.request) << attach;
    EXPECT_EQ(quickRequest(q).dump(), general.request.dump()) << attach;  // in the same order
    std::string quickKey, generalKey;
    appendQuickRequestKey(q, quickKey);
    appendJsonKey(general.request, generalKey);
    EXPECT_EQ(quickKey, generalKey) << attach;
    EXPECT_EQ(general.observer, scopedObserver("w1", q.observer));
  }
}

}  // namespace
}  // namespace si::live
