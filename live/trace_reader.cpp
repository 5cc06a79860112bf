// Reading NDJSON traces line by line with a bounded line buffer, merged by time as they stream.
#include "trace_reader.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>

#include "config.hpp"  // checkRegularFile

namespace si::live {

namespace {

struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Lines of a file, read in blocks, each at most kMaxMessageBytes + 1 bytes kept (enough to
// know it is over).
class LineReader {
 public:
  explicit LineReader(std::FILE* f) : f_(f) {}
  // The next line without its "\n" (and "\r"); `length` is its full length. False at the end.
  bool next(std::string& line, size_t& length) {
    line.clear();
    length = 0;
    bool any = false;
    for (;;) {
      if (pos_ == end_ && !fill()) break;
      any = true;
      const char* from = block_ + pos_;
      const void* nl = std::memchr(from, '\n', end_ - pos_);
      const size_t n = nl ? static_cast<size_t>(static_cast<const char*>(nl) - from) : end_ - pos_;
      length += n;
      if (line.size() <= kMaxMessageBytes) line.append(from, std::min(n, kMaxMessageBytes + 1 - line.size()));
      pos_ += n;
      if (nl) {
        ++pos_;
        break;
      }
    }
    if (!any) return false;
    if (!line.empty() && line.back() == '\r' && length == line.size()) {
      line.pop_back();
      --length;
    }
    return true;
  }

 private:
  bool fill() {
    pos_ = 0;
    end_ = std::fread(block_, 1, sizeof block_, f_);
    return end_ > 0;
  }

  std::FILE* f_;
  char block_[1 << 16];
  size_t pos_ = 0, end_ = 0;
};

bool isBlank(const std::string& s) { return s.find_first_not_of(" \t\r") == std::string::npos; }

void addError(Trace& trace, const std::string& path, size_t line, const std::string& message) {
  ++trace.badLines;
  if (trace.errors.size() < kMaxReportedTraceErrors)
    trace.errors.push_back(path + ":" + std::to_string(line) + ": " + message);
}

// One file being read: its next valid message, decoded ahead.
struct Source {
  std::string path;
  File file;
  std::unique_ptr<LineReader> reader;  // of file (its block outlives each advance)
  size_t connection = 0;
  size_t line = 0;
  std::optional<TraceMessage> head;

  // Reads up to the next valid message (bad lines reported); head is empty at the end.
  void advance(Trace& trace, std::string& buf) {
    head.reset();
    size_t length = 0;
    while (reader->next(buf, length)) {
      ++line;
      if (length > kMaxMessageBytes) {
        addError(trace, path, line, "message of " + std::to_string(length) +
                                        " bytes is over the limit of " +
                                        std::to_string(kMaxMessageBytes) + " bytes (1 MiB)");
        continue;
      }
      if (isBlank(buf)) continue;
      Result<Message> m = decodeMessage(buf);
      if (!m) {
        addError(trace, path, line, m.message());
        continue;
      }
      head = TraceMessage{connection, line, std::move(*m)};
      return;
    }
  }
};

Result<std::vector<Source>> openAll(const std::vector<std::string>& paths) {
  std::vector<Source> sources;
  for (size_t i = 0; i < paths.size(); ++i) {
    if (Status ok = checkRegularFile(paths[i]); !ok) return ok.error();
    File f(std::fopen(paths[i].c_str(), "rb"));
    if (!f) return Error(ErrorId::Io, Location::ofFile(paths[i]), "cannot read: cannot open");
    auto reader = std::make_unique<LineReader>(f.get());
    sources.push_back(Source{paths[i], std::move(f), std::move(reader), i, 0, std::nullopt});
  }
  return sources;
}

// The source whose head comes next: smallest t, ties to the lower connection; null at the end.
Source* nextSource(std::vector<Source>& sources) {
  Source* best = nullptr;
  for (Source& s : sources) {
    if (s.head && (!best || s.head->message.t() < best->head->message.t())) best = &s;
  }
  return best;
}

}  // namespace

Status streamTraces(const std::vector<std::string>& paths,
                    const std::function<void(TraceMessage&&)>& onMessage, Trace& trace) {
  Result<std::vector<Source>> opened = openAll(paths);
  if (!opened) return opened.error();
  std::vector<Source>& sources = *opened;
  std::string buf;
  for (Source& s : sources) s.advance(trace, buf);
  while (Source* s = nextSource(sources)) {
    onMessage(std::move(*s->head));
    s->advance(trace, buf);
  }
  for (Source& s : sources) {
    if (std::ferror(s.file.get()))
      return Error(ErrorId::Io, Location::ofFile(s.path), "cannot read: read error");
  }
  return success();
}

Result<Trace> readTraces(const std::vector<std::string>& paths) {
  Trace trace;
  Status ok = streamTraces(
      paths, [&](TraceMessage&& m) { trace.messages.push_back(std::move(m)); }, trace);
  if (!ok) return ok.error();
  return trace;
}

Result<Trace> readTrace(const std::string& path) { return readTraces({path}); }

}  // namespace si::live
