// entitle._entitle: the compiled part of the Python module (docs/python.md). It takes and gives
// JSON text, as the C interface does, and the Python package around it (entitle/__init__.py)
// turns that into dicts, Decimals and DataFrames. A failure is raised as entitle._entitle.Error
// with (message, code, location); a batch over a roster runs without the GIL.
#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>
#include <entitle/io/batch_options_json.hpp>
#include <entitle/io/batch_parts.hpp>
#include <entitle/io/row_source.hpp>

#include <boost/json/serialize.hpp>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <string>
#include <tuple>

namespace py = pybind11;

namespace {

using entitle::compiled_policy;

// The name of an error code, as the Python exception carries it ("invalid_date").
std::string code_name(entitle::errc code) {
  switch (code) {
  case entitle::errc::invalid_syntax: return "invalid_syntax";
  case entitle::errc::invalid_date: return "invalid_date";
  case entitle::errc::out_of_range: return "out_of_range";
  case entitle::errc::overflow: return "overflow";
  case entitle::errc::not_in_force: return "not_in_force";
  case entitle::errc::unordered_dates: return "unordered_dates";
  case entitle::errc::duplicate_date: return "duplicate_date";
  case entitle::errc::empty_history: return "empty_history";
  }
  return "error";
}

class policy_handle;

class library_handle {
public:
  std::vector<std::string> add_directory(const std::string& directory) { return library_.add_directory(directory); }
  std::string add_file(const std::string& path) { return library_.add_policy_file(path); }
  std::string add_json(const std::string& text, const std::string& origin) { return library_.add(text, origin); }
  [[nodiscard]] std::vector<std::string> ids() const { return library_.ids(); }
  [[nodiscard]] policy_handle compile(const std::string& id, const std::string& settings_json) const;

private:
  entitle::policy_library library_;
};

class batch_handle;

class policy_handle {
public:
  explicit policy_handle(std::shared_ptr<const compiled_policy> compiled) : compiled_(std::move(compiled)) {}
  [[nodiscard]] std::string id() const { return compiled_->source().id; }
  [[nodiscard]] std::string json() const { return boost::json::serialize(entitle::to_json(compiled_->source())); }
  [[nodiscard]] std::string claim(const std::string& person_json, const std::string& claim_json) const {
    const entitle::claim c = entitle::claim_from_json(entitle::parse_json(claim_json, "the claim"));
    const entitle::record person = entitle::read_record(compiled_->facts(), person_json);
    return boost::json::serialize(entitle::to_json(compiled_->assess(c, person)));
  }
  [[nodiscard]] batch_handle batch(const std::string& options_json) const;
  /// The facts and the derived values, each as (name, type, the other names a roster column may
  /// give it under), so that the package converts a DataFrame's columns and the values it gets back.
  [[nodiscard]] std::vector<std::tuple<std::string, std::string, std::vector<std::string>>> values() const {
    std::vector<std::tuple<std::string, std::string, std::vector<std::string>>> out;
    const entitle::bound_rules& rules = compiled_->rules();
    for (std::size_t slot = 0; slot < rules.facts.size() + rules.derived.size(); ++slot) {
      const entitle::field& f = rules.field_at(slot);
      out.emplace_back(f.name, std::string(entitle::type_name(f.type)), f.columns);
    }
    return out;
  }

private:
  std::shared_ptr<const compiled_policy> compiled_;
};

policy_handle library_handle::compile(const std::string& id, const std::string& settings_json) const {
  return policy_handle(
      std::make_shared<const compiled_policy>(library_.compile(id, entitle::read_settings(settings_json))));
}

/// The bytes of Python `bytes` objects, read where they are (they stay alive, and unchanged, with
/// the list that holds them): the surveys of a national roster are not copied.
std::vector<std::string_view> views_of(const std::vector<py::bytes>& list) {
  std::vector<std::string_view> out;
  out.reserve(list.size());
  for (const py::bytes& b : list) {
    char* data = nullptr;
    Py_ssize_t size = 0;
    if (PyBytes_AsStringAndSize(b.ptr(), &data, &size) != 0) throw py::error_already_set();
    out.emplace_back(data, static_cast<std::size_t>(size));
  }
  return out;
}

/// The allocation of a roster read in parts, kept by the process that planned it.
class plan_handle {
public:
  plan_handle(std::shared_ptr<const entitle::batch> run, entitle::part_plan plan)
      : run_(std::move(run)), plan_(std::move(plan)) {}
  [[nodiscard]] std::vector<py::bytes> placements() const { return {plan_.placements.begin(), plan_.placements.end()}; }
  /// The whole roster's summary (JSON) from the parts' totals, in part order.
  [[nodiscard]] std::string merge(const std::vector<py::bytes>& totals) const {
    return boost::json::serialize(entitle::to_json(entitle::merge_parts(*run_, plan_, views_of(totals))));
  }

private:
  std::shared_ptr<const entitle::batch> run_;
  entitle::part_plan plan_;
};

class batch_handle {
public:
  batch_handle(std::shared_ptr<const compiled_policy> compiled, const std::string& options_json)
      : compiled_(std::move(compiled)), setup_(entitle::batch_setup_from_json(*compiled_, options_json)),
        run_(std::make_shared<const entitle::batch>(*compiled_, setup_.run)) {}

  [[nodiscard]] std::string explain(const std::string& person_json) const {
    const entitle::record person = entitle::read_record(run_->policy().facts(), person_json);
    return boost::json::serialize(entitle::to_json(run_->explain(person, {}, entitle::batch_summary{})));
  }
  [[nodiscard]] std::string contributions(const std::string& person_json) const {
    const entitle::record person = entitle::read_record(run_->policy().facts(), person_json);
    return boost::json::serialize(entitle::to_json(run_->policy().contributions(person, run_->options().period)));
  }
  /// The roster's decisions, its rejected rows (both CSV, with their headers) and the summary.
  [[nodiscard]] std::tuple<std::string, std::string, std::string> run(std::string roster,
                                                                      const std::string& format) const {
    std::string summary;
    auto [rows, rejects] = rendered(
        [&](entitle::row_source& source, const auto& on_row, const auto& on_reject) {
          summary = boost::json::serialize(entitle::to_json(run_->run(source, on_row, on_reject)));
        },
        std::move(roster), format, 0);
    return {std::move(rows), std::move(rejects), std::move(summary)};
  }

  /// A part of a roster read in parts (entitle/io/batch_parts.hpp): its survey.
  [[nodiscard]] py::bytes survey(std::string part, const std::string& format, std::size_t lines_before) const {
    std::string out;
    {
      py::gil_scoped_release unlocked;
      auto source = source_of(std::move(part), format, lines_before);
      out = entitle::survey_part(*run_, source);
    }
    return py::bytes(out);
  }
  /// The part's decisions and rejected rows (CSV, with their headers) and its totals.
  [[nodiscard]] std::tuple<std::string, std::string, py::bytes>
  run_part(std::string part, const std::string& format, std::size_t lines_before, const std::string& placement) const {
    std::string totals;
    auto [rows, rejects] = rendered(
        [&](entitle::row_source& source, const auto& on_row, const auto& on_reject) {
          totals = entitle::run_part(*run_, source, placement, on_row, on_reject);
        },
        std::move(part), format, lines_before);
    return {std::move(rows), std::move(rejects), py::bytes(totals)};
  }
  [[nodiscard]] plan_handle plan(const std::vector<py::bytes>& surveys) const;

private:
  [[nodiscard]] entitle::roster_text source_of(std::string text, const std::string& format,
                                               std::size_t lines_before) const {
    const auto roster_format = format == "ndjson" ? entitle::roster_format::ndjson : entitle::roster_format::csv;
    entitle::roster_options options = setup_.roster;
    options.lines_before = lines_before;
    return entitle::roster_text(std::move(text), run_->policy().facts(), roster_format, std::move(options));
  }
  // Runs `go(source, on_row, on_reject)` over `text` without the GIL, the rows and rejected rows
  // written as CSV with their headers.
  template <class Go>
  [[nodiscard]] std::pair<std::string, std::string> rendered(Go&& go, std::string text, const std::string& format,
                                                             std::size_t lines_before) const {
    std::string rows = entitle::output_header(*run_, entitle::output_format::csv);
    std::string rejects = entitle::rejects_header(entitle::output_format::csv);
    py::gil_scoped_release unlocked; // nothing below touches a Python object
    auto source = source_of(std::move(text), format, lines_before);
    const entitle::batch::row_handler on_row = [&](const entitle::batch_row& row) {
      entitle::append_row(rows, *run_, row, entitle::output_format::csv);
    };
    const entitle::batch::reject_handler on_reject = [&](const entitle::rejected_row& row) {
      entitle::append_reject(rejects, row, entitle::output_format::csv);
    };
    go(source, on_row, on_reject);
    return {std::move(rows), std::move(rejects)};
  }

private:
  std::shared_ptr<const compiled_policy> compiled_;
  entitle::batch_setup setup_;
  std::shared_ptr<const entitle::batch> run_;
};

plan_handle batch_handle::plan(const std::vector<py::bytes>& surveys) const {
  const std::vector<std::string_view> views = views_of(surveys);
  entitle::part_plan plan;
  {
    py::gil_scoped_release unlocked; // `surveys` keeps the bytes alive
    plan = entitle::plan_parts(*run_, views);
  }
  return plan_handle(run_, std::move(plan));
}

batch_handle policy_handle::batch(const std::string& options_json) const {
  return batch_handle(compiled_, options_json);
}

} // namespace

PYBIND11_MODULE(_entitle, m) {
  m.doc() = "entitle's compiled core; use the entitle package (docs/python.md)";
  m.attr("__version__") = ENTITLE_VERSION_TEXT;
  static py::exception<entitle::error> error_type(m, "Error", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const entitle::error& e) {
      const entitle::failure& f = e.details();
      PyErr_SetObject(error_type.ptr(), py::make_tuple(f.message, code_name(f.code), f.location).ptr());
    }
  });

  py::class_<library_handle>(m, "Library")
      .def(py::init<>())
      .def("add_directory", &library_handle::add_directory)
      .def("add_file", &library_handle::add_file)
      .def("add_json", &library_handle::add_json)
      .def("ids", &library_handle::ids)
      .def("compile", &library_handle::compile);
  py::class_<policy_handle>(m, "Policy")
      .def_property_readonly("id", &policy_handle::id)
      .def("json", &policy_handle::json)
      .def("claim", &policy_handle::claim)
      .def("values", &policy_handle::values)
      .def("batch", &policy_handle::batch);
  py::class_<batch_handle>(m, "Batch")
      .def("explain", &batch_handle::explain)
      .def("contributions", &batch_handle::contributions)
      .def("run", &batch_handle::run)
      .def("survey", &batch_handle::survey)
      .def("run_part", &batch_handle::run_part)
      .def("plan", &batch_handle::plan);
  py::class_<plan_handle>(m, "Plan").def("placements", &plan_handle::placements).def("merge", &plan_handle::merge);
}
