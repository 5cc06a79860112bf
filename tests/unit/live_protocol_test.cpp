// SPEC 11 protocol v1: the decoder (each shape, each error with its location) and the naming
// rules and step rewrite of a connection.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "names.hpp"
#include "protocol.hpp"

namespace si::live {
namespace {

Message decodeOk(std::string_view text) {
  Result<Message> m = decodeMessage(text);
  EXPECT_TRUE(m.ok()) << text << " -> " << (m ? "" : m.message());
  return m ? *m : Message{Heartbeat{}, json(), std::string()};
}

std::string decodeError(std::string_view text) {
  Result<Message> m = decodeMessage(text);
  EXPECT_FALSE(m.ok()) << text;
  return m ? std::string() : m.message();
}

TEST(LiveProtocol, HelloWithEveryField) {
  const Message m = decodeOk(
      R"({"v":1,"hello":{"app":"web","library":"tanstack-query","libraryVersion":"5.108.0",)"
      R"("policy":"longest","environment":"browser","defaultOptions":{"gcTime":300000},"toleranceMs":20}})");
  const auto* h = std::get_if<Hello>(&m.body);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->app, "web");
  EXPECT_EQ(h->library, Library::TanstackQuery);
  EXPECT_EQ(h->libraryVersion, "5.108.0");
  EXPECT_EQ(h->policy, "longest");
  EXPECT_EQ(h->environment, "browser");
  EXPECT_EQ(*h->defaultOptions, json::parse(R"({"gcTime":300000})"));
  EXPECT_EQ(h->toleranceMs, 20);
  EXPECT_EQ(m.t(), 0);
  // The text is what the command log keeps; the tree went into the body.
  EXPECT_EQ(m.text.substr(0, 23), R"({"v":1,"hello":{"app":")");
  EXPECT_TRUE(m.source.is_null());
}

TEST(LiveProtocol, StepBodyHoldsTheStepAndTheTextIsKeptAsSent) {
  const std::string text = R"({"v":1, "t":5, "step":{"detach":"o1"}})";
  const Message m = decodeOk(text);
  EXPECT_EQ(std::get<Step>(m.body).stepJson(), json::parse(R"({"detach":"o1"})"));
  EXPECT_EQ(m.text, text);
  // A byte-order mark in front is read past and not kept: the text goes inside other JSON.
  const Message bom = decodeOk("\xEF\xBB\xBF" + text);
  EXPECT_EQ(bom.text, text);
  // From JSON, the source is kept instead (a journal's command).
  Result<Message> parsed = decodeParsed(json::parse(text));
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->source, json::parse(text));
  EXPECT_EQ(std::get<Step>(parsed->body).stepJson(), json::parse(R"({"detach":"o1"})"));
}

TEST(LiveProtocol, HelloMinimalLeavesOptionalsEmpty) {
  const Message m = decodeOk(R"({"v":1,"hello":{"app":"a","library":"custom"}})");
  const auto& h = std::get<Hello>(m.body);
  EXPECT_EQ(h.library, Library::Custom);
  EXPECT_EQ(h.libraryVersion, "");
  EXPECT_FALSE(h.policy || h.environment || h.defaultOptions || h.toleranceMs);
  EXPECT_EQ(toString(Library::Livestore), "livestore");
}

TEST(LiveProtocol, StepObservedHeartbeat) {
  const Message s = decodeOk(R"({"v":1,"t":2,"step":{"attach":{"observer":"r1","storeId":"x"}}})");
  ASSERT_TRUE(std::holds_alternative<Step>(s.body));
  EXPECT_EQ(std::get<Step>(s.body).t, 2);
  EXPECT_EQ(std::get<Step>(s.body).stepJson()["attach"]["observer"], "r1");

  const Message o = decodeOk(R"({"v":1,"t":7,"observed":{"kind":"disposed","storeId":"x","instance":"b1"}})");
  const auto& f = std::get<Observed>(o.body);
  EXPECT_EQ(f.t, 7);
  EXPECT_EQ(f.kind, FactKind::Disposed);
  EXPECT_EQ(f.storeId, "x");
  EXPECT_EQ(f.instance, "b1");
  EXPECT_FALSE(std::get<Observed>(decodeOk(R"({"v":1,"t":1,"observed":{"kind":"created","storeId":"y"}})").body)
                   .instance);

  const Message hb = decodeOk(R"({"v":1,"t":3155})");
  EXPECT_EQ(std::get<Heartbeat>(hb.body).t, 3155);
  EXPECT_FALSE(std::get<Heartbeat>(hb.body).dropped);
  EXPECT_EQ(std::get<Heartbeat>(decodeOk(R"({"v":1,"t":9,"dropped":12})").body).dropped, 12);
  EXPECT_EQ(hb.t(), 3155);
}

TEST(LiveProtocol, InvalidJsonSaysWhere) {
  EXPECT_EQ(decodeError(R"({"v":1,"t":})").rfind("line 1, column 12: invalid JSON: ", 0), 0u)
      << decodeError(R"({"v":1,"t":})");
  EXPECT_NE(decodeError("").find("invalid JSON"), std::string::npos);
  EXPECT_NE(decodeError("{\"v\":1} trailing").find("invalid JSON"), std::string::npos);
  EXPECT_EQ(decodeError("[1]"), "expected a JSON object (a v1 message), got [1]");
}

TEST(LiveProtocol, VersionMissingOrWrong) {
  EXPECT_EQ(decodeError(R"({"t":1})"), "/v: missing; expected 1 (protocol version)");
  EXPECT_EQ(decodeError(R"({"v":2,"t":1})"),
            "/v: expected 1 (the only protocol version this inspector reads), got 2");
  EXPECT_NE(decodeError(R"({"v":"1","t":1})").find("got \"1\""), std::string::npos);
}

TEST(LiveProtocol, TimeMustBeANonNegativeInteger) {
  const std::string what = "/t: expected a non-negative integer (ms since hello), got ";
  EXPECT_EQ(decodeError(R"({"v":1,"t":-1})"), what + "-1");
  EXPECT_EQ(decodeError(R"({"v":1,"t":1.5})"), what + "1.5");
  EXPECT_EQ(decodeError(R"({"v":1,"t":"5"})"), what + "\"5\"");
  EXPECT_EQ(decodeError(R"({"v":1,"t":9007199254740992})"), what + "9007199254740992");
  EXPECT_EQ(decodeError(R"({"v":1})"), "/t: missing; expected a non-negative integer (ms since hello)");
  EXPECT_EQ(decodeOk(R"({"v":1,"t":9007199254740991})").t(), 9007199254740991);
}

TEST(LiveProtocol, UnknownShapesAreRefusedWithTheirPointer) {
  EXPECT_EQ(decodeError(R"({"v":1,"t":1,"stepp":{}})"), "/stepp: unknown key; did you mean \"step\"?");
  EXPECT_NE(decodeError(R"({"v":1,"t":1,"step":{},"observed":{}})").find("found \"step\" and \"observed\""),
            std::string::npos);
  EXPECT_EQ(decodeError(R"({"v":1,"t":1,"step":[]})"), "/step: expected a step object, got []");
  EXPECT_EQ(decodeError(R"({"v":1,"t":1,"step":{}})"), "/step: expected a step object, got {}");
  EXPECT_EQ(decodeError(R"({"v":1,"t":1,"step":{"detach":"a"},"dropped":1})"), "/dropped: not allowed in a step message");
  EXPECT_EQ(decodeError(R"({"v":1,"t":1,"dropped":-2})"),
            "/dropped: expected a non-negative integer (messages lost), got -2");
  EXPECT_EQ(decodeError(R"({"v":1,"t":1,"hello":{"app":"a","library":"custom"}})"),
            "/t: not allowed in a hello (it is t = 0)");
  EXPECT_EQ(decodeError(R"({"v":1,"t":1,"x":1})").rfind("/x: unknown key", 0), 0u);
}

TEST(LiveProtocol, HelloErrors) {
  EXPECT_EQ(decodeError(R"({"v":1,"hello":{"library":"custom"}})"),
            "/hello/app: missing; expected a non-empty string");
  EXPECT_EQ(decodeError(R"({"v":1,"hello":{"app":"","library":"custom"}})"),
            "/hello/app: expected a non-empty string, got \"\"");
  EXPECT_NE(decodeError(R"({"v":1,"hello":{"app":"a","library":"redux"}})")
                .find("/hello/library: unknown library \"redux\""),
            std::string::npos);
  EXPECT_NE(decodeError(R"({"v":1,"hello":{"app":"a","library":"custom","policy":"lngest"}})")
                .find("did you mean \"longest\""),
            std::string::npos);
  EXPECT_NE(decodeError(R"({"v":1,"hello":{"app":"a","library":"custom","environment":"node"}})")
                .find("/hello/environment: unknown environment \"node\""),
            std::string::npos);
  EXPECT_EQ(decodeError(R"({"v":1,"hello":{"app":"a","library":"custom","defaultOptions":[]}})"),
            "/hello/defaultOptions: expected an object, got []");
  EXPECT_EQ(decodeError(R"({"v":1,"hello":{"app":"a","library":"custom","toleranceMs":-1}})"),
            "/hello/toleranceMs: expected a non-negative integer (ms), got -1");
  EXPECT_EQ(decodeError(R"({"v":1,"hello":{"app":"a","library":"custom","colour":1}})"),
            "/hello/colour: unknown key");
  EXPECT_EQ(decodeError(R"({"v":1,"hello":"web"})"), "/hello: expected an object, got \"web\"");
}

TEST(LiveProtocol, ObservedErrors) {
  EXPECT_NE(decodeError(R"({"v":1,"t":1,"observed":{"kind":"removed","storeId":"x"}})")
                .find("/observed/kind: unknown kind \"removed\""),
            std::string::npos);
  EXPECT_EQ(decodeError(R"({"v":1,"t":1,"observed":{"kind":"created"}})"),
            "/observed/storeId: missing; expected a non-empty string");
  EXPECT_EQ(decodeError(R"({"v":1,"t":1,"observed":{"kind":"created","storeId":"x","instance":3}})"),
            "/observed/instance: expected a non-empty string, got 3");
  EXPECT_NE(decodeError(R"({"v":1,"t":1,"observed":{"kind":"created","storeId":"x","gen":3}})")
                .find("/observed/gen: unknown key"),
            std::string::npos);
}

TEST(LiveProtocol, OverOneMebibyteIsRefusedBeforeParsing) {
  std::string big = R"({"v":1,"t":1,"step":{"note":")";
  const std::string tail = R"("}})";
  big += std::string(kMaxMessageBytes - big.size() - tail.size(), 'x') + tail;
  ASSERT_EQ(big.size(), kMaxMessageBytes);
  EXPECT_TRUE(decodeMessage(big).ok());  // exactly 1 MiB is allowed
  big.insert(big.size() - tail.size(), "x");
  EXPECT_EQ(decodeError(big), "message of 1048577 bytes is over the limit of 1048576 bytes (1 MiB)");
}

TEST(LiveProtocol, ErrorFrameIsCompactJson) {
  EXPECT_EQ(errorFrame("/t: bad \"x\""), R"({"v":1,"error":"/t: bad \"x\""})");
  EXPECT_EQ(json::parse(errorFrame("\xff")).at("error"), "\xEF\xBF\xBD");  // bad UTF-8 replaced
}

// [SECTION] Names

TEST(LiveNames, RegistryNameReplacesCharactersOutsideThePattern) {
  const auto none = [](std::string_view) { return false; };
  EXPECT_EQ(registryNameFor("web", none), "web");
  EXPECT_EQ(registryNameFor("my app/v2", none), "my_app_v2");
  EXPECT_EQ(registryNameFor("a.b:c-d_E9", none), "a.b:c-d_E9");
  EXPECT_EQ(registryNameFor("caf\xC3\xA9 \xF0\x9F\x9A\x80", none), "caf___");  // é, space, rocket
}

TEST(LiveNames, RegistryNameIsCutAt48AndMadeUnique) {
  const auto none = [](std::string_view) { return false; };
  EXPECT_EQ(registryNameFor(std::string(60, 'a'), none), std::string(48, 'a'));
  std::set<std::string, std::less<>> used = {"web", "web-2"};
  const auto taken = [&](std::string_view n) { return used.count(n) > 0; };
  EXPECT_EQ(registryNameFor("web", taken), "web-3");
  EXPECT_EQ(registryNameFor("web-2", taken), "web-2-2");
  used.insert(std::string(48, 'b'));
  EXPECT_EQ(registryNameFor(std::string(50, 'b'), taken), std::string(48, 'b') + "-2");
}

TEST(LiveNames, ScopedNames) {
  EXPECT_EQ(scopedRegistry("web", "req-1"), "web.req-1");
  EXPECT_EQ(scopedObserver("web", "o1"), "web:o1");
}

json rewrite(std::string_view step, const Hello* hello = nullptr) {
  return rewriteStep(json::parse(step), "web", hello);
}

TEST(LiveNames, RequestsGoToTheConnectionRegistryWithExternalAdapters) {
  EXPECT_EQ(rewrite(R"({"attach":{"observer":"o1","storeId":"x","gcTime":5,"component":"App/A",)"
                    R"("adapter":{"type":"file","directory":"/etc","closeMs":40}}})"),
            json::parse(R"({"attach":{"observer":"web:o1","storeId":"x","gcTime":5,"component":"web:App/A",)"
                        R"("adapter":{"type":"external","closeMs":40},"registry":"web"}})"));
  // A request without an adapter gets one: a template's file adapter must not apply.
  EXPECT_EQ(rewrite(R"({"preload":{"use":"issue","registry":"req-1"}})"),
            json::parse(R"({"preload":{"use":"issue","registry":"web.req-1","adapter":{"type":"external"}}})"));
}

TEST(LiveNames, ObserversAreScoped) {
  EXPECT_EQ(rewrite(R"({"detach":"o1"})"), json::parse(R"({"detach":"web:o1"})"));
  EXPECT_EQ(rewrite(R"({"detach":{"observer":"o1"}})"), json::parse(R"({"detach":{"observer":"web:o1"}})"));
  EXPECT_EQ(rewrite(R"({"unmount":"App/A","note":"n"})"), json::parse(R"({"unmount":"web:App/A","note":"n"})"));
  EXPECT_EQ(rewrite(R"({"expect":{"observer":"o1","status":"ready"}})"),
            json::parse(R"({"expect":{"observer":"web:o1","status":"ready"}})"));
}

TEST(LiveNames, StoreTargetsNameTheirRegistry) {
  EXPECT_EQ(rewrite(R"({"loaded":"x"})"), json::parse(R"({"loaded":{"storeId":"x","registry":"web"}})"));
  EXPECT_EQ(rewrite(R"({"loaded":{"storeId":"x","registry":"r"}})"),
            json::parse(R"({"loaded":{"storeId":"x","registry":"web.r"}})"));
  EXPECT_EQ(rewrite(R"({"loadFailed":{"storeId":"x","error":"boom"},"expectError":"e"})"),
            json::parse(R"({"loadFailed":{"storeId":"x","error":"boom","registry":"web"},"expectError":"e"})"));
  EXPECT_EQ(rewrite(R"({"drop":"x"})"), json::parse(R"({"drop":{"storeId":"x","registry":"web"}})"));
  EXPECT_EQ(rewrite(R"({"clear":true})"), json::parse(R"({"clear":{"registry":"web"}})"));
  EXPECT_EQ(rewrite(R"({"clear":{"registry":"r"}})"), json::parse(R"({"clear":{"registry":"web.r"}})"));
  EXPECT_EQ(rewrite(R"({"expect":{"store":"x","state":"ACTIVE"}})"),
            json::parse(R"({"expect":{"store":"x","state":"ACTIVE","registry":"web"}})"));
}

TEST(LiveNames, RegistriesTheConnectionCreatesAndShutsDown) {
  EXPECT_EQ(rewrite(R"({"shutdownRegistry":{"strategy":"sequential"}})"),
            json::parse(R"({"shutdownRegistry":{"strategy":"sequential","registry":"web"}})"));
  EXPECT_EQ(rewrite(R"({"shutdownRegistry":{"registry":"req-1"}})"),
            json::parse(R"({"shutdownRegistry":{"registry":"web.req-1"}})"));
  Hello hello;
  hello.app = "web";
  hello.policy = "first";
  hello.defaultOptions = json::parse(R"({"gcTime":10,"adapter":{"type":"file"}})");
  EXPECT_EQ(rewrite(R"({"createRegistry":{"name":"req-1","policy":"last"}})", &hello),
            json::parse(R"({"createRegistry":{"name":"web.req-1","policy":"last","profile":"spec",)"
                        R"("defaultOptions":{"gcTime":10,"adapter":{"type":"external"}}}})"));
  hello.library = Library::TanstackQuery;  // the hello's library picks the profile (SPEC 11)
  EXPECT_EQ(rewrite(R"({"createRegistry":{"name":"r"}})", &hello)["createRegistry"]["profile"], "tanstack-query-5");
  EXPECT_EQ(rewrite(R"({"expect":{"registry":{"name":"req-1","live":0}}})"),
            json::parse(R"({"expect":{"registry":{"name":"web.req-1","live":0}}})"));
  EXPECT_EQ(rewrite(R"({"expect":{"registry":true,"live":2}})"),
            json::parse(R"({"expect":{"registry":{"name":"web","live":2}}})"));
}

TEST(LiveNames, OtherActionsAndWrongTypesPassThrough) {
  for (const char* s : {R"({"advance":5})", R"({"advanceTo":5})", R"({"detach":3})", R"({"drop":[1]})",
                        R"({"attach":"x"})", R"({"frobnicate":{"registry":"r"}})"}) {
    EXPECT_EQ(rewrite(s), json::parse(s)) << s;
  }
}

TEST(LiveNames, HelloBecomesTheConnectionsCreateRegistry) {
  const Message m = decodeOk(
      R"({"v":1,"hello":{"app":"web","library":"livestore","environment":"ssr",)"
      R"("defaultOptions":{"gcTime":1000,"adapter":{"type":"file","closeMs":3}}}})");
  EXPECT_EQ(helloRegistryStep(std::get<Hello>(m.body), "web-2"),
            json::parse(R"({"createRegistry":{"name":"web-2","profile":"livestore-0.4","environment":"ssr",)"
                        R"("defaultOptions":{"gcTime":1000,"adapter":{"type":"external","closeMs":3}}}})"));
  EXPECT_EQ(externalAdapter(json("memory")), json::parse(R"({"type":"external"})"));
}

}  // namespace
}  // namespace si::live
