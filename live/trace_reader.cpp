// Reading NDJSON traces line by line with a bounded line buffer, and merging them by time.
#include "trace_reader.hpp"

#include <cstdio>
#include <memory>
#include <queue>
#include <tuple>

#include "config.hpp"  // checkRegularFile

namespace si::live {

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Lines of a file, each at most kMaxMessageBytes + 1 bytes kept (enough to know it is over).
class LineReader {
 public:
  explicit LineReader(std::FILE* f) : f_(f) {}
  // The next line without its "\n" (and "\r"); `length` is its full length. False at the end.
  bool next(std::string& line, size_t& length) {
    line.clear();
    length = 0;
    bool any = false;
    for (int c; (c = getc_unlocked(f_)) != EOF;) {
      any = true;
      if (c == '\n') break;
      ++length;
      if (line.size() <= kMaxMessageBytes) line += static_cast<char>(c);
    }
    if (!any) return false;
    if (!line.empty() && line.back() == '\r' && length == line.size()) {
      line.pop_back();
      --length;
    }
    return true;
  }

 private:
  std::FILE* f_;
};

bool isBlank(const std::string& s) {
  return s.find_first_not_of(" \t\r") == std::string::npos;
}

void addError(Trace& trace, const std::string& path, size_t line, const std::string& message) {
  ++trace.badLines;
  if (trace.errors.size() < kMaxReportedTraceErrors)
    trace.errors.push_back(path + ":" + std::to_string(line) + ": " + message);
}

}  // namespace

Result<Trace> readTrace(const std::string& path) {
  if (Status ok = checkRegularFile(path); !ok) return ok.error();
  File f(std::fopen(path.c_str(), "rb"));
  if (!f) return Error(ErrorId::Io, Location::ofFile(path), "cannot read: cannot open");
  Trace trace;
  LineReader reader(f.get());
  std::string line;
  size_t length = 0;
  for (size_t n = 1; reader.next(line, length); ++n) {
    if (length > kMaxMessageBytes) {
      addError(trace, path, n, "message of " + std::to_string(length) +
                                   " bytes is over the limit of " +
                                   std::to_string(kMaxMessageBytes) + " bytes (1 MiB)");
      continue;
    }
    if (isBlank(line)) continue;
    Result<Message> m = decodeMessage(line);
    if (!m) {
      addError(trace, path, n, m.message());
      continue;
    }
    trace.messages.push_back(TraceMessage{0, n, std::move(*m)});
  }
  if (std::ferror(f.get())) return Error(ErrorId::Io, Location::ofFile(path), "cannot read: read error");
  return trace;
}

Trace mergeTraces(std::vector<Trace> parts) {
  Trace out;
  size_t total = 0;
  for (const Trace& p : parts) total += p.messages.size();
  out.messages.reserve(total);
  // (t, connection, index within its part): the smallest is applied next.
  using Head = std::tuple<int64_t, size_t, size_t>;
  std::priority_queue<Head, std::vector<Head>, std::greater<Head>> heads;
  for (size_t c = 0; c < parts.size(); ++c) {
    if (!parts[c].messages.empty()) heads.emplace(parts[c].messages[0].message.t(), c, 0);
    out.badLines += parts[c].badLines;
    for (std::string& e : parts[c].errors) {
      if (out.errors.size() < kMaxReportedTraceErrors) out.errors.push_back(std::move(e));
    }
  }
  while (!heads.empty()) {
    const auto [t, c, i] = heads.top();
    heads.pop();
    TraceMessage m = std::move(parts[c].messages[i]);
    m.connection = c;
    out.messages.push_back(std::move(m));
    if (i + 1 < parts[c].messages.size()) heads.emplace(parts[c].messages[i + 1].message.t(), c, i + 1);
  }
  return out;
}

Result<Trace> readTraces(const std::vector<std::string>& paths) {
  std::vector<Trace> parts;
  parts.reserve(paths.size());
  for (const std::string& p : paths) {
    Result<Trace> t = readTrace(p);
    if (!t) return t.error();
    parts.push_back(std::move(*t));
  }
  return mergeTraces(std::move(parts));
}

}  // namespace si::live
