// NDJSON traces (SPEC 11): bad lines reported as path:line and skipped, files merged by time
// with ties in file order, and the bridge's recorded trace decodes cleanly.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "test_dir.hpp"
#include "read_ahead.hpp"
#include "trace_reader.hpp"

namespace si::live {
namespace {

std::string writeFile(const std::string& name, const std::string& content) {
  const std::string path = (test::testDir("live") / name).string();
  std::ofstream(path, std::ios::binary) << content;
  return path;
}

std::string kindAt(const Trace& t, size_t i) {
  const Body& b = t.messages.at(i).message.body;
  return std::holds_alternative<Hello>(b) ? "hello" : std::holds_alternative<Step>(b) ? "step"
       : std::holds_alternative<Observed>(b) ? "observed" : "heartbeat";
}

TEST(LiveTrace, BridgeRecordingDecodesWithoutErrors) {
  std::string path = SI_ASSETS_DIR;  // (a + "literal" here trips GCC 12's -Warray-bounds, bug 105329)
  path += "/traces/livestore-double-boot.ndjson";
  Result<Trace> t = readTrace(path);
  ASSERT_TRUE(t.ok()) << t.message();
  EXPECT_EQ(t->badLines, 0u);
  EXPECT_TRUE(t->errors.empty());
  ASSERT_EQ(t->messages.size(), 13u);
  EXPECT_EQ(kindAt(*t, 0), "hello");
  EXPECT_EQ(std::get<Hello>(t->messages[0].message.body).library, Library::Livestore);
  EXPECT_EQ(kindAt(*t, 3), "observed");
  EXPECT_EQ(std::get<Observed>(t->messages[3].message.body).instance, "b1");
  EXPECT_EQ(t->messages.back().message.t(), 3381);
  EXPECT_EQ(t->messages.back().line, 13u);
}

TEST(LiveTrace, BadLinesAreReportedWithPathAndLineThenSkipped) {
  const std::string path = writeFile(
      "bad.ndjson",
      "{\"v\":1,\"hello\":{\"app\":\"a\",\"library\":\"custom\"}}\r\n"
      "\n"
      "{\"v\":1,\"t\":-4}\n"
      "not json\n"
      "{\"v\":1,\"t\":5,\"step\":{\"detach\":\"o\"}}\n"
      "{\"v\":2,\"t\":6}");  // no final newline
  Result<Trace> t = readTrace(path);
  ASSERT_TRUE(t.ok()) << t.message();
  EXPECT_EQ(t->badLines, 3u);
  ASSERT_EQ(t->errors.size(), 3u);
  EXPECT_EQ(t->errors[0], path + ":3: /t: expected a non-negative integer (ms since hello), got -4");
  EXPECT_EQ(t->errors[1].rfind(path + ":4: line 1, column 2: invalid JSON", 0), 0u) << t->errors[1];
  EXPECT_EQ(t->errors[2].rfind(path + ":6: /v: expected 1", 0), 0u) << t->errors[2];
  ASSERT_EQ(t->messages.size(), 2u);
  EXPECT_EQ(t->messages[0].line, 1u);  // the CRLF line decoded
  EXPECT_EQ(t->messages[1].line, 5u);
}

TEST(LiveTrace, AnOversizeLineIsAnErrorAndTheNextLineStillReads) {
  std::string content = "{\"v\":1,\"t\":1,\"step\":{\"note\":\"" + std::string(kMaxMessageBytes, 'x') + "\"}}\n";
  content += "{\"v\":1,\"t\":2}\n";
  const std::string path = writeFile("big.ndjson", content);
  Result<Trace> t = readTrace(path);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->errors.size(), 1u);
  EXPECT_EQ(t->errors[0], path + ":1: message of " + std::to_string(content.find('\n')) +
                              " bytes is over the limit of 1048576 bytes (1 MiB)");
  ASSERT_EQ(t->messages.size(), 1u);
  EXPECT_EQ(t->messages[0].message.t(), 2);
}

// Lines of every length, some longer than the reader's block and most across its edges, with
// CRLF and LF endings and no final newline: each is read whole.
TEST(LiveTrace, LinesAcrossReadBlocksReadWhole) {
  std::string content;
  size_t lines = 0;
  for (size_t i = 0; content.size() < 600000; ++i) {
    const size_t noteLength = (i * 7919) % (i % 50 == 0 ? 150000 : 3000);
    content += "{\"v\":1,\"t\":" + std::to_string(i) + ",\"step\":{\"note\":\"" + std::string(noteLength, 'n') + "\"}}";
    content += i % 3 == 0 ? "\r\n" : "\n";
    ++lines;
  }
  content += "{\"v\":1,\"t\":" + std::to_string(lines) + "}";  // no final newline
  ++lines;
  Result<Trace> t = readTrace(writeFile("blocks.ndjson", content));
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(t->errors.empty()) << t->errors.front();
  ASSERT_EQ(t->messages.size(), lines);
  for (size_t i = 0; i < lines; ++i) {
    EXPECT_EQ(t->messages[i].message.t(), static_cast<int64_t>(i));
    EXPECT_EQ(t->messages[i].line, i + 1);
  }
  const Step& longest = std::get<Step>(t->messages[50].message.body);
  EXPECT_EQ(longest.stepJson()["note"].get<std::string>().size(), (50 * 7919) % 150000);
}

// Reading ahead on a thread gives what reading in line gives: the same messages in the same
// order across many batches, merged over files, with the same errors.
TEST(LiveTrace, ReadingAheadGivesTheSameMessagesAndErrors) {
  std::string a, b;
  for (int i = 0; i < 3000; ++i) {
    a += "{\"v\":1,\"t\":" + std::to_string(i * 2) + ",\"step\":{\"detach\":\"a" + std::to_string(i) + "\"}}\n";
    b += "{\"v\":1,\"t\":" + std::to_string(i * 3) + ",\"observed\":{\"kind\":\"created\",\"storeId\":\"s\"}}\n";
    if (i % 700 == 0) b += "not json\n";
  }
  const std::vector<std::string> paths = {writeFile("ahead-a.ndjson", a), writeFile("ahead-b.ndjson", b)};
  Result<Trace> inLine = readTraces(paths);
  ASSERT_TRUE(inLine.ok());
  Trace ahead;
  std::vector<TraceMessage> got;
  ASSERT_TRUE(streamTracesAhead(paths, [&](TraceMessage&& m) { got.push_back(std::move(m)); }, ahead).ok());
  ASSERT_EQ(got.size(), inLine->messages.size());
  ASSERT_EQ(got.size(), 6000u);
  for (size_t i = 0; i < got.size(); ++i) {
    const TraceMessage& x = got[i];
    const TraceMessage& y = inLine->messages[i];
    EXPECT_EQ(x.connection, y.connection) << i;
    EXPECT_EQ(x.line, y.line) << i;
    EXPECT_EQ(x.message.text, y.message.text) << i;
  }
  EXPECT_EQ(ahead.errors, inLine->errors);
  EXPECT_EQ(ahead.badLines, 5u);
  EXPECT_FALSE(streamTracesAhead({"/nonexistent/trace.ndjson"}, [](TraceMessage&&) {}, ahead).ok());
}

// A caller that throws does not leave the reader waiting: the throw comes back, once.
TEST(LiveTrace, ReadingAheadPassesTheCallersExceptionOn) {
  std::string a;
  for (int i = 0; i < 5000; ++i) a += "{\"v\":1,\"t\":" + std::to_string(i) + "}\n";
  const std::string path = writeFile("ahead-throw.ndjson", a);
  Trace trace;
  size_t seen = 0;
  EXPECT_THROW((void)streamTracesAhead({path}, [&](TraceMessage&&) {
    if (++seen == 1000) throw std::runtime_error("stop");
  }, trace), std::runtime_error);
  EXPECT_EQ(seen, 1000u);
}

TEST(LiveTrace, ErrorTextsAreCappedButEveryBadLineCounts) {
  std::string content;
  for (int i = 0; i < 150; ++i) content += "x\n";
  Result<Trace> t = readTrace(writeFile("many.ndjson", content));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->badLines, 150u);
  EXPECT_EQ(t->errors.size(), kMaxReportedTraceErrors);
}

TEST(LiveTrace, UnreadableFilesAreErrorsOfTheCall) {
  const std::string dir = test::testDir("live").string();
  Result<Trace> t = readTrace(dir);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.message(), dir + ": cannot read: Is a directory");
  EXPECT_FALSE(readTraces({writeFile("ok.ndjson", ""), dir + "/missing.ndjson"}).ok());
}

TEST(LiveTrace, FilesMergeByTimeWithTiesInFileOrder) {
  const std::string hello = "{\"v\":1,\"hello\":{\"app\":\"a\",\"library\":\"custom\"}}\n";
  const std::string a = writeFile("a.ndjson", hello + "{\"v\":1,\"t\":5}\n{\"v\":1,\"t\":10}\n{\"v\":1,\"t\":3}\n");
  const std::string b = writeFile("b.ndjson", hello + "{\"v\":1,\"t\":5}\n{\"v\":1,\"t\":7}\nbad\n");
  Result<Trace> t = readTraces({a, b});
  ASSERT_TRUE(t.ok()) << t.message();
  std::vector<std::pair<size_t, int64_t>> order;
  for (const TraceMessage& m : t->messages) order.emplace_back(m.connection, m.message.t());
  // Both hellos at 0 (a first), the tie at 5 in file order, and a's late t=3 stays after its 10.
  const std::vector<std::pair<size_t, int64_t>> expected = {{0, 0}, {1, 0}, {0, 5}, {1, 5},
                                                            {1, 7}, {0, 10}, {0, 3}};
  EXPECT_EQ(order, expected);
  EXPECT_EQ(t->badLines, 1u);
  ASSERT_EQ(t->errors.size(), 1u);
  EXPECT_EQ(t->errors[0].rfind(b + ":4: ", 0), 0u);
}

TEST(LiveTrace, StreamingDeliversInOrderAndChecksEveryFileFirst) {
  const std::string hello = "{\"v\":1,\"hello\":{\"app\":\"a\",\"library\":\"custom\"}}\n";
  const std::string a = writeFile("sa.ndjson", hello + "{\"v\":1,\"t\":4}\n");
  const std::string b = writeFile("sb.ndjson", hello + "oops\n{\"v\":1,\"t\":2}\n");
  std::vector<std::string> seen;
  Trace errors;
  const auto collect = [&](TraceMessage&& m) {
    seen.push_back(std::to_string(m.connection) + "@" + std::to_string(m.message.t()) + ":" +
                   std::to_string(m.line));
  };
  ASSERT_TRUE(streamTraces({a, b}, collect, errors).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"0@0:1", "1@0:1", "1@2:3", "0@4:2"}));
  EXPECT_TRUE(errors.messages.empty());
  EXPECT_EQ(errors.badLines, 1u);
  seen.clear();
  Status missing = streamTraces({a, a + ".missing"}, collect, errors);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.message().rfind(a + ".missing: cannot read: ", 0), 0u) << missing.message();
  EXPECT_TRUE(seen.empty());  // nothing streamed before every file was found readable
}

}  // namespace
}  // namespace si::live
