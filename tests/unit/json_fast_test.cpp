// The JSON reader's fast path (json_fast.hpp) against nlohmann's own parser: whatever it
// accepts it reads to the same value, key order and number types included, and whatever the
// full reader refuses it refuses too (so errors always come from the full reader).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <string>

#include "config.hpp"
#include "json_fast.hpp"
#include "json_typed.hpp"

namespace {

using si::json;

// nlohmann's reading, or a discarded value when it refuses the text.
json reference(std::string_view text) { return json::parse(text.begin(), text.end(), nullptr, false); }

// The differential check for one text: accepted -> same value; refused by nlohmann -> refused.
void checkSame(const std::string& text) {
  json fast;
  const bool accepted = si::parseJsonFast(text, fast);
  const json ref = reference(text);
  if (accepted) {
    ASSERT_FALSE(ref.is_discarded()) << "fast path accepted what nlohmann refuses: " << text;
    ASSERT_TRUE(si::test::sameTyped(fast, ref)) << text << "\n fast: " << fast.dump() << "\n  ref: " << ref.dump();
  }
}

bool accepts(const std::string& text) {
  json v;
  return si::parseJsonFast(text, v);
}

TEST(JsonFast, ReadsTheUsualDocumentsAndTheirNumberTypes) {
  for (const char* t :
       {R"({"v":1,"t":0,"step":{"attach":{"observer":"q1","storeId":"[\"store-3290\"]","gcTime":1000}}})",
        R"({"a":[1,-2,true,false,null,"x\n\t\\\/\"y"],"b":{}, "c":[] })", "  [ 0 , -1 , 9999999999999999999 ]  ",
        "-999999999999999999", "{\"k\":1,\"k\":2,\"j\":3}", "\"\"", "[[[[[]]]]]"}) {
    SCOPED_TRACE(t);
    EXPECT_TRUE(accepts(t));
    checkSame(t);
  }
  json v;
  ASSERT_TRUE(si::parseJsonFast("[5, -5]", v));
  EXPECT_TRUE(v[0].is_number_unsigned());
  EXPECT_TRUE(v[1].is_number_integer() && !v[1].is_number_unsigned());
  ASSERT_TRUE(si::parseJsonFast(R"({"k":1,"j":3,"k":2})", v));
  EXPECT_EQ(v.dump(), R"({"k":2,"j":3})");  // first position, last value
}

TEST(JsonFast, LeavesWhatItIsNotSureOfToTheFullReader) {
  for (const char* t : {"", " ", "1.5", "1e3", "-0", "01", "99999999999999999999", "-9999999999999999999",
                        "\"\\u00e9\"", "\"\xC3\xA9\"", "\"\t\"", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "[1 2]",
                        "tru", "nul", "{} x", "{'a':1}", "18446744073709551615", "-9223372036854775807", "[", "\"abc", "\"\\x\""}) {
    SCOPED_TRACE(t);
    EXPECT_FALSE(accepts(t));
  }
  EXPECT_FALSE(accepts(std::string("{}\0", 3)));  // a NUL after the document
  std::string deep(si::kMaxJsonDepth, '['), deeper(si::kMaxJsonDepth + 1, '[');
  deep += std::string(si::kMaxJsonDepth, ']');
  deeper += std::string(si::kMaxJsonDepth + 1, ']');
  EXPECT_TRUE(accepts(deep));
  EXPECT_FALSE(accepts(deeper));
  // parseJsonText still reports errors with their place (from the full reader).
  EXPECT_EQ(si::parseJsonText("{\"a\":\n 1.5.}", "x.json").message().substr(0, 11), "x.json:2:5:");
  EXPECT_TRUE(si::parseJsonText("[1.5, \"\\u00e9\"]", "").ok());
}

// Random documents of the shapes the fast path reads and of those it does not, printed with
// random spacing, then each also damaged at one random byte.
class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  std::string value(int depth) {
    switch (pick(depth > 4 ? 5 : 7)) {
      case 0: return number();
      case 1: return string();
      case 2: return pick(2) ? "true" : "false";
      case 3: return "null";
      case 4: return number();
      case 5: return container(depth, '[', ']', false);
      default: return container(depth, '{', '}', true);
    }
  }

  std::string damage(std::string s) {
    if (s.empty()) return s;
    const size_t at = pick(static_cast<uint32_t>(s.size()));
    static const char kBytes[] = "{}[],:\"\\ -.e0123x\x01\xC3";
    s[at] = kBytes[pick(sizeof kBytes - 1)];
    return s;
  }

 private:
  uint32_t pick(uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng_); }
  std::string space() {
    static const char* kSpaces[] = {"", "", " ", "\n", "\t ", "\r\n"};
    return kSpaces[pick(6)];
  }
  std::string number() {
    static const char* kEdges[] = {"0", "-1", "9223372036854775807", "-9223372036854775808",
                                   "18446744073709551615", "18446744073709551616", "1.25", "-0", "2e10", "007"};
    if (pick(4) == 0) return kEdges[pick(10)];
    const int64_t v = std::uniform_int_distribution<int64_t>(-1000000, 1000000)(rng_);
    return std::to_string(v);
  }
  std::string string() {
    static const char* kPieces[] = {"a", "storeId", "\\n", "\\\"", "\\\\", "\\/", "\\u0041", "\xC3\xA9", " ", "q1", "\\t"};
    std::string s = "\"";
    for (uint32_t n = pick(5); n > 0; --n) s += kPieces[pick(11)];
    return s + "\"";
  }
  std::string container(int depth, char open, char close, bool keyed) {
    std::string s(1, open);
    const uint32_t n = pick(5);
    for (uint32_t i = 0; i < n; ++i) {
      if (i > 0) s += ",";
      s += space();
      if (keyed) s += (pick(3) == 0 ? std::string("\"k\"") : string()) + space() + ":" + space();
      s += value(depth + 1) + space();
    }
    return s + close;
  }

  std::mt19937 rng_;
};

TEST(JsonFast, RandomDocumentsReadTheSameAsNlohmannReadsThem) {
  Generator g(20261206);
  size_t accepted = 0;
  constexpr int kDocuments = 20000;
  for (int i = 0; i < kDocuments; ++i) {
    const std::string doc = g.value(0);
    checkSame(doc);
    checkSame(g.damage(doc));
    accepted += accepts(doc);
    if (HasFatalFailure()) return;
  }
  // Most documents have a float, a \u escape or a non-ASCII byte somewhere: those go to the
  // full reader. The rest (a sizeable share) are read here.
  EXPECT_GT(accepted, kDocuments / 10u);
}

// Values from a small alphabet, so that equal and nearly equal values come up often: every
// number type, strings that look like the key's own syntax, empty and nested containers.
json smallValue(std::mt19937& rng, int depth) {
  auto pick = [&](uint32_t n) { return std::uniform_int_distribution<uint32_t>(0, n - 1)(rng); };
  static const char* kAtoms[] = {"0", "-0", "0.0", "-0.0", "5", "5.0", "1e0", "1", "18446744073709551615",
                                 "1.5", "\"\"", "\"a\"", "\"s1;a\"", "\"{\"", "\"a\\\"b\"", "true", "false",
                                 "null", "\"5\"", "\"i5;\""};
  const uint32_t kind = pick(depth >= 2 ? 1 : 3);
  if (kind == 0) return json::parse(kAtoms[pick(20)]);
  json c = kind == 1 ? json::array() : json::object();
  for (uint32_t n = pick(3); n > 0; --n) {
    json v = smallValue(rng, depth + 1);
    if (c.is_array()) {
      c.push_back(std::move(v));
    } else {
      static const char* kKeys[] = {"a", "b", "s1;a", ""};
      c[kKeys[pick(4)]] = std::move(v);
    }
  }
  return c;
}

std::string keyOf(const json& v) {
  std::string k = "prefix ";  // appended to, never replaced
  si::appendJsonKey(v, k);
  return k.substr(7);
}

TEST(JsonKey, EqualExactlyWhenTheDumpsAreEqual) {
  std::mt19937 rng(20261206);
  std::map<std::string, std::string> keyOfDump, dumpOfKey;
  size_t shared = 0;
  for (int i = 0; i < 50000; ++i) {
    const json v = smallValue(rng, 0);
    const std::string dump = v.dump(), key = keyOf(v);
    auto [d, newDump] = keyOfDump.try_emplace(dump, key);
    auto [k, newKey] = dumpOfKey.try_emplace(key, dump);
    ASSERT_EQ(d->second, key) << "one dump, two keys: " << dump;
    ASSERT_EQ(k->second, dump) << "one key, two dumps: " << dump << " and " << k->second;
    shared += !newDump;
  }
  EXPECT_GT(shared, 10000u);  // values did repeat, so equality was tested, not only difference
  EXPECT_EQ(keyOf(json::parse("5")), keyOf(json(5u)));
  EXPECT_NE(keyOf(json::parse("5")), keyOf(json::parse("5.0")));
  EXPECT_NE(keyOf(json::parse("0.0")), keyOf(json::parse("-0.0")));
  EXPECT_EQ(keyOf(json(std::nan(""))), keyOf(json(nullptr)));  // dump() writes null
  for (const char* text : {"", "a", "s1;a", "caf\xc3\xa9"}) {
    std::string direct;
    si::appendJsonStringKey(text, direct);
    EXPECT_EQ(direct, keyOf(json(text))) << text;
  }
}

}  // namespace
