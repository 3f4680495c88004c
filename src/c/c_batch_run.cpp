// entitle.h: a batch over a roster file into output files, or over a roster in memory into the
// caller's handlers.
#include "c_call.hpp"
#include "c_handles.hpp"

#include <entitle/io/atomic_file.hpp>
#include <entitle/io/row_source.hpp>

#include <boost/json.hpp>

#include <filesystem>
#include <optional>
#include <system_error>

namespace fs = std::filesystem;
using entitle::c_api::call_failure;
using entitle::c_api::guarded;
using entitle::c_api::hand_over;
using entitle::c_api::needed;

namespace {

constexpr std::size_t flush_at = std::size_t{1} << 20;

// True when the paths name one file: the same file already there, or the same path.
bool same_file(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec) || fs::absolute(a, ec).lexically_normal() == fs::absolute(b, ec).lexically_normal();
}

// Refuses an output that is the roster (no output overwrites an input), or both outputs in one file.
void check_outputs(const fs::path& roster, const char* out, const char* rejects) {
  for (const auto& [output, what] : {std::pair{out, "out_path"}, std::pair{rejects, "rejects_path"}})
    if (output && same_file(roster, output))
      throw call_failure{ENTITLE_INVALID_ARGUMENT,
                         std::string(what) + " " + output + " is the roster: an output never overwrites an input"};
  if (rejects && same_file(out, rejects))
    throw call_failure{ENTITLE_INVALID_ARGUMENT, std::string("out_path and rejects_path name the same file, ") + out};
}

// Runs `step`, a file's failure becoming ENTITLE_IO.
template <class Step>
auto io(Step&& step) {
  try {
    return step();
  } catch (const entitle::error& e) {
    throw call_failure{ENTITLE_IO, e.details().message, e.details().location};
  }
}

// An output file written in large pieces, appearing whole at `commit`; its failures are ENTITLE_IO.
class output_file {
public:
  explicit output_file(const fs::path& path) : file_(io([&] { return entitle::atomic_file(path); })) {}
  std::string& text() { return text_; }
  void flush_if_full() {
    if (text_.size() >= flush_at) flush();
  }
  void close() {
    flush();
    io([&] { file_.close(); });
  }
  void commit() {
    io([&] { file_.commit(); });
  }

private:
  void flush() {
    io([&] { file_.write(text_); });
    text_.clear();
  }
  entitle::atomic_file file_;
  std::string text_;
};

// "csv" or "ndjson" as the format `Format` (a roster's or an output's) names them.
template <class Format>
Format format_named(const char* name, std::string_view what) {
  const std::string_view given = needed(name, what);
  if (given == "csv") return Format::csv;
  if (given == "ndjson") return Format::ndjson;
  throw call_failure{ENTITLE_INVALID_ARGUMENT,
                     std::string(what) + " is \"csv\" or \"ndjson\", not \"" + std::string(given) + "\""};
}

// Hands `text` to `handler` and empties it; a handler that asks to stop stops the run.
void deliver(entitle_chunk_handler handler, void* context, std::string& text) {
  if (text.empty()) return;
  if (handler(context, text.data(), text.size()) != 0)
    throw call_failure{ENTITLE_INVALID_ARGUMENT, "stopped by the caller"};
  text.clear();
}

} // namespace

extern "C" {

entitle_status entitle_batch_run_file(const entitle_batch* batch, const char* roster_path, const char* out_path,
                                      const char* rejects_path, char** summary_json) {
  return guarded([&] {
    const entitle_batch& b = *needed(batch, "batch");
    const fs::path roster_name = needed(roster_path, "roster_path");
    needed(out_path, "out_path");
    check_outputs(roster_name, out_path, rejects_path);
    const auto out_format = entitle::output_format_of(out_path);
    const auto rejects_format = rejects_path ? entitle::output_format_of(rejects_path) : out_format;
    const auto roster_format = entitle::roster_format_of(roster_name);
    std::optional<entitle::roster_file> roster;
    try {
      roster.emplace(roster_name, b.run->policy().facts(), roster_format, b.roster);
    } catch (const entitle::error& e) { // the file cannot be opened (IO), or its header is wrong (syntax)
      if (e.details().location.starts_with("line ") || e.details().location.find(": line ") != std::string::npos) throw;
      throw call_failure{ENTITLE_IO, e.details().message, e.details().location};
    }
    output_file out(out_path);
    out.text() = entitle::output_header(*b.run, out_format);
    std::optional<output_file> rejects;
    if (rejects_path) {
      rejects.emplace(rejects_path);
      rejects->text() = entitle::rejects_header(rejects_format);
    }
    const entitle::batch_summary summary = b.run->run(
        *roster,
        [&](const entitle::batch_row& row) {
          entitle::append_row(out.text(), *b.run, row, out_format);
          out.flush_if_full();
        },
        [&](const entitle::rejected_row& row) {
          if (!rejects) return;
          entitle::append_reject(rejects->text(), row, rejects_format);
          rejects->flush_if_full();
        });
    out.close(); // every file closed before any appears
    if (rejects) rejects->close();
    out.commit();
    if (rejects) rejects->commit();
    if (summary_json) hand_over(entitle::to_json(summary), summary_json);
  });
}

entitle_status entitle_batch_run_buffer(const entitle_batch* batch, const char* roster, size_t length,
                                        const char* format, const char* output_format, entitle_chunk_handler on_rows,
                                        entitle_chunk_handler on_rejects, void* context, char** summary_json) {
  return guarded([&] {
    const entitle_batch& b = *needed(batch, "batch");
    needed(on_rows, "on_rows");
    const auto out_format = format_named<entitle::output_format>(output_format, "output_format");
    entitle::roster_text rows(std::string(entitle::c_api::bytes(roster, length, "roster")), b.run->policy().facts(),
                              format_named<entitle::roster_format>(format, "format"), b.roster);
    std::string out = entitle::output_header(*b.run, out_format);
    std::string rejected = on_rejects ? entitle::rejects_header(out_format) : std::string();
    const entitle::batch_summary summary = b.run->run(
        rows,
        [&](const entitle::batch_row& row) {
          entitle::append_row(out, *b.run, row, out_format);
          if (out.size() >= flush_at) deliver(on_rows, context, out);
        },
        [&](const entitle::rejected_row& row) {
          if (!on_rejects) return;
          entitle::append_reject(rejected, row, out_format);
          if (rejected.size() >= flush_at) deliver(on_rejects, context, rejected);
        });
    deliver(on_rows, context, out);
    if (on_rejects) deliver(on_rejects, context, rejected);
    if (summary_json) hand_over(entitle::to_json(summary), summary_json);
  });
}

} // extern "C"
