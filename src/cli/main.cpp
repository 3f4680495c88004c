// entitle: the command-line tool, a thin layer over the library (docs/cli.md).
//
//   entitle check POLICY
//   entitle run --policy POLICY --roster ROSTER --out FILE [options]
//   entitle explain --policy POLICY (--roster ROSTER --id ID | < facts.json) [options]
//   entitle demo
#include "demo_data.hpp"

#include <entitle/entitle.hpp>
#include <entitle/io/batch.hpp>

#include <boost/json/serialize.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <csignal>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace entitle;
namespace fs = std::filesystem;

/// The exit codes, documented in docs/cli.md and in `entitle --help`.
enum exit_code : int {
  exit_ok = 0,            // done; every row decided
  exit_rows_rejected = 1, // done; some rows were rejected (see the summary and the rejects file)
  exit_usage = 2,         // the command line is wrong
  exit_policy = 3,        // the policy cannot be read or bound
  exit_roster = 4,        // the roster cannot be read, or --strict stopped at a bad row
  exit_output = 5,        // an output file cannot be written
  exit_internal = 70,     // an unexpected failure: a bug to report
};

struct usage_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};
// An entitle::error from a given stage, so that main can pick the exit code.
struct stage_error : std::runtime_error {
  stage_error(exit_code c, const std::string& what) : std::runtime_error(what), code(c) {}
  exit_code code;
};

constexpr const char* main_help = R"(entitle: who qualifies for a social-protection program, and who pays for it

Usage:
  entitle check POLICY            validate a policy and print its rules, programs and subsidies
  entitle run --policy POLICY --roster ROSTER --out FILE [options]
                                  decide a roster, rank quotas, write a line per person
  entitle explain --policy POLICY --roster ROSTER --id ID [options]
  entitle explain --policy POLICY [options] < facts.json
                                  print one person's decision and contributions as a tree
  entitle claim --policy POLICY --event EVENT --on DATE [options] < facts.json
                                  what a claim is owed: each benefit payable or refused, and why
  entitle overlap --policy POLICY --roster A --roster B... --out FILE [options]
                                  ids funded twice across rosters, or already enrolled
  entitle diff --policy BASE [--reform REFORM] [--set NAME=VALUE] --roster ROSTER --out FILE [options]
                                  who changes, and what it costs, under a reform
  entitle test PATH...            run scenario tests (*.test.json) of policies
  entitle analyze POLICY... [--population RULE] [--json]
                                  rules that never hold or never fail, subsidies that select no
                                  one or pay twice, people who fall through every program
  entitle demo                    run the OKU Timur 2024 program on a bundled roster

Each command takes --help. POLICY is a policy file or, with --policies DIR, a policy id.

Exit codes:
  0  done, every row decided          3  the policy cannot be read or bound
  1  done, some rows were rejected    4  the roster cannot be read, or --strict stopped
  2  the command line is wrong        5  an output file cannot be written
                                     70  an unexpected failure (please report it)
)";

constexpr const char* check_help = R"(Usage: entitle check POLICY [--policies DIR]... [--set NAME=VALUE]...

Reads POLICY (a file, or an id found under --policies), merges what it extends, binds it, and
prints its facts, rules, programs, enrolments and subsidies. A policy that extends others finds
them by id: a policy whose id is "a/b" and whose file is ROOT/a/b.json makes ROOT a library.
With --set (as for run), the policy is checked and printed with those subsidy fields set.
Exit 0 when the policy is valid, 3 with the error and its JSON location when it is not.
)";

constexpr const char* run_help = R"(Usage: entitle run --policy POLICY --roster ROSTER --out FILE [options]

Decides every person of ROSTER (.csv, or .ndjson/.jsonl; - for standard input) and writes a line per person to FILE
(.csv or .ndjson): status, reason, missing facts, contributions per program and payer over the
period, and the place in each capped subsidy (funded or waitlisted, with the rank).

Options:
  --as-of DATE          decide on DATE (within the policy's dates); contributions for its month
  --period FROM..TO     contributions for these months (2024-01..2024-12); decide on FROM's first day,
                        or the policy's first day when it starts within FROM
                        (default: the policy's effective period, when it has both ends)
  --summary FILE        write the summary: FILE.json as JSON, any other name as the table
  --rejects FILE        write the rejected rows with line, column and reason (.csv or .ndjson)
  --threads N           threads deciding rows (default 1); the output is the same for any N
  --strict              stop at the first bad row (exit 4) instead of rejecting it
  --rule ID             a rule deciding the status (repeatable; default: the enrolment rules)
  --id-column NAME      the roster's id column (default "id")
  --column FACT=COLUMN  read FACT from the roster's COLUMN (monthly_income=penghasilan); repeatable
  --columns A,B,...     add these facts' values, as read, to each line of FILE, in this order
  --roster-format F     csv or ndjson, when ROSTER's name does not say (standard input: csv)
  --separator SEP       the CSV roster's separator: "," (default), ";" or tab
  --allow-missing-columns
                        go on when no column gives a fact the rules read (it is unknown for
                        everyone); without it, that is an error naming the closest column
  --policies DIR        a directory of policies to find POLICY and what it extends (repeatable)
  --set NAME=VALUE      set one of the policy's parameters (income_limit=Rp2.500.000), or a
                        subsidy's quota, budget, window or share (SUBSIDY.FIELD=VALUE), for this
                        run, written as the policy writes it (repeatable):
                        apbd_oku_timur_2024.quota=1000, .budget=Rp5.000.000.000,
                        .window=2024-01..2024-06, .share=50% (or amount:Rp5.000,
                        base:Rp1.000.000); the summary records what was set

The summary table is printed on stdout. Output files appear whole or not at all.
Exit 0 when every row was decided, 1 when some were rejected; 2-5 as `entitle --help` says.
)";

constexpr const char* explain_help = R"(Usage: entitle explain --policy POLICY --roster ROSTER --id ID [options]
       entitle explain --policy POLICY [options] < facts.json

Prints one person's decision as a tree (every rule and condition with the facts it read and the
regulation it cites), then their contributions month by month. With --roster, the whole roster
is ranked first, so a person a quota or budget left out is shown waitlisted, with their rank.
Without it, the facts are one JSON object on standard input, and no quota is ranked.

Options: --as-of DATE, --period FROM..TO, --rule ID, --id-column NAME, --column FACT=COLUMN,
         --roster-format F, --separator SEP, --allow-missing-columns, --policies DIR,
         --set NAME=VALUE (as for run),
         --json (print the explanation as JSON, "entitle-explanation/1").
)";

constexpr const char* claim_help =
    R"(Usage: entitle claim --policy POLICY --event EVENT --on DATE [options] [< facts.json]

Assesses a claim against the benefits in force on DATE: for each benefit paid on EVENT, the
amount and how it is made (48 x Rp1.000.000), or why it is refused (the rule and the facts it
read), or the missing facts. The person's facts are one JSON object (wage, declared_income,
contribution_months, membership_active, ...) on standard input or in --facts FILE.

When the policy declares enrolments, the claim is made under the one that covers the person on
DATE (or --enrolment ID): nobody covered, a day outside the enrolment, or a program it lacks is
a refusal with the reason, and a wage-based benefit is worked on the enrolment's registered base.

Options:
  --event EVENT         death, work_accident_death, total_permanent_disability,
                        temporary_inability, work_accident, bsu_2020, ... (the policy's events)
  --on DATE             the day of the event
  --months N            months unable to work (temporary inability)
  --child LEVEL         a child in school, by level (tk_sd, smp, sma, perguruan_tinggi); repeatable
  --cost KIND=AMOUNT    a cost to refund (land=3000000, sea=..., air=..., home_care=...); repeatable
  --facts FILE          the person's facts, instead of standard input
  --enrolment ID        the enrolment the claim is made under (default: the first covering the person)
  --json                print the result as JSON, "entitle-claim/1"
  --policies DIR        a directory of policies to find POLICY and what it extends (repeatable)
  --set NAME=VALUE      a parameter, or a subsidy's quota, budget, window or share, for this
                        claim (as for run)
Exit 0 when assessed (whatever is payable or refused); 2 for a wrong command line, an event no
benefit pays on or an enrolment the policy does not declare; 3 for a policy error; 4 when the
facts cannot be read.
)";

constexpr const char* overlap_help =
    R"(Usage: entitle overlap --policy POLICY --roster ROSTER --roster ROSTER... --out FILE [options]

Finds double subsidy: every id (NIK) that appears in more than one row of the ROSTERs (across
them, or twice in one) or, with --enrolled, in a list of people already enrolled. Each ROSTER is
decided by POLICY as `entitle run` would; FILE (.csv) gets a line per row of each id found: its
roster and line, status, the subsidies that pay for it, the program-months they pay, and how many
of those a subsidy also pays for an earlier row of the same id (and what they pay twice).

Options:
  --enrolled FILE       a CSV list of people already enrolled (from a BPJS branch office): only
                        its id column is read (--id-column); an id of a ROSTER in it is reported
  --as-of DATE, --period FROM..TO, --rule ID, --id-column NAME, --column FACT=COLUMN,
  --roster-format F, --separator SEP, --threads N, --allow-missing-columns, --policies DIR,
  --set NAME=VALUE      as for `entitle run`, for every ROSTER

Rosters are files (read several times; standard input is refused). The summary is printed on
stdout; FILE appears whole or not at all.
Exit 0 when no id is found, 1 when some are (see FILE); 2-5 as `entitle --help` says.
)";

constexpr const char* diff_help =
    R"(Usage: entitle diff --policy BASE [--reform REFORM] [--set NAME=VALUE...] --roster ROSTER --out FILE [options]

Compares a baseline and a reform over one roster: BASE as written, against REFORM (another policy
file or id), or BASE with the --set fields, or REFORM with them. FILE (.csv or .ndjson) gets a
line per person who changes: status, funding and rank before and after, what each payer pays
before and after and the change, and why. The totals are printed: people gaining and losing
eligibility and funding, the cost by payer and program before and after, and each quota's cut.

Options:
  --summary FILE        the totals: FILE.json as entitle-diff/1, any other name as the table
  --as-of DATE, --period FROM..TO, --rule ID, --id-column NAME, --column FACT=COLUMN,
  --roster-format F, --separator SEP, --threads N, --allow-missing-columns, --policies DIR
                        as for `entitle run`, for both

The roster is read once per side, the second time checked to be the same bytes.
Exit 0 when nobody changes, 1 when someone does (see FILE); 2-5 as `entitle --help` says.
)";

constexpr const char* test_help = R"(Usage: entitle test PATH... [--policies DIR]

Runs scenario tests (docs/scenarios.md): each PATH is a scenario file (entitle-test/1) or a
directory whose *.test.json files are run, in path order. A file names the policy it tests, as a
path beside it or an id (found with --policies DIR). Each case (a person), batch (a small roster)
and claim is run; each failure is printed as expected against got, with the explanation. The
last line is "N passed, M failed".

Exit 0 when every scenario passes, 1 when one fails; 2 for a wrong command line, 3 for a policy
that cannot be read, 4 for a scenario file that cannot be read (the error names its place).
)";

constexpr const char* analyze_help = R"(Usage: entitle analyze POLICY... [options]

Analyses the policies together (docs/analysis.md), over the values their rules tell apart, and
shows each problem with the rule ids and an example person:
  never_holds     a rule no facts make yes
  never_fails     a rule no facts make no: it decides nothing
  selects_no_one  a subsidy whose quota, budget, window or rule leaves no one to pay for
  double_subsidy  two subsidies (of one policy, or of two given) paying one program-month for
                  one person past what is due
  falls_through   with --population: a person of it whom no program of the policies takes
What it cannot settle (a rule comparing two facts, a derived value, the search limit) is listed
as undecided, never counted as a finding.

Options:
  --population RULE     a rule id of one of the policies, or a condition over the first
                        policy's facts as JSON: '{"fact": "employment", "=": "informal"}'
  --as-of DATE          decide rules on DATE (ages, months since); default: the first policy's
                        effective date, or its earliest subsidy window
  --limit N             combinations of values one question may look at (default 2000000)
  --json                the report as JSON (entitle-analysis/1)
  --policies DIR, --set NAME=VALUE   as for `entitle run`

Exit 0 when nothing is found, 1 when something is; 2 for a wrong command line, 3 for a policy
that cannot be read.
)";

constexpr const char* demo_help = R"(Usage: entitle demo

Runs the bundled OKU Timur 2024 vulnerable-worker program (JKK and JKM paid by the regency for
4,650 people, Rp937,440,000) on a bundled roster of 6,000 people, and prints the summary table.
)";

// ---------------------------------------------------------------------------------------------
// Arguments

class arguments {
public:
  arguments(int argc, char** argv, int first, std::vector<std::string> valued, std::vector<std::string> flags) {
    for (int i = first; i < argc; ++i) {
      std::string arg = argv[i];
      if (arg == "--help" || arg == "-h") {
        help_ = true;
        continue;
      }
      if (!arg.starts_with("--")) {
        positional_.push_back(arg);
        continue;
      }
      std::optional<std::string> value;
      if (const auto eq = arg.find('='); eq != std::string::npos) {
        value = arg.substr(eq + 1);
        arg.resize(eq);
      }
      const std::string name = arg.substr(2);
      if (std::find(flags.begin(), flags.end(), name) != flags.end()) {
        if (value) throw usage_error("--" + name + " takes no value");
        values_[name].push_back("");
      } else if (std::find(valued.begin(), valued.end(), name) != valued.end()) {
        if (!value) {
          if (i + 1 == argc) throw usage_error("--" + name + " needs a value");
          value = argv[++i];
        }
        values_[name].push_back(*value);
      } else {
        throw usage_error("unknown option " + arg);
      }
    }
  }

  [[nodiscard]] bool help() const { return help_; }
  [[nodiscard]] bool flag(const std::string& name) const { return values_.contains(name); }
  [[nodiscard]] std::optional<std::string> value(const std::string& name) const {
    const auto at = values_.find(name);
    if (at == values_.end()) return std::nullopt;
    if (at->second.size() > 1) throw usage_error("--" + name + " is given twice");
    return at->second.front();
  }
  [[nodiscard]] std::string required(const std::string& name) const {
    auto v = value(name);
    if (!v) throw usage_error("--" + name + " is needed");
    return *v;
  }
  [[nodiscard]] std::vector<std::string> values(const std::string& name) const {
    const auto at = values_.find(name);
    return at == values_.end() ? std::vector<std::string>{} : at->second;
  }
  [[nodiscard]] const std::vector<std::string>& positional() const { return positional_; }

private:
  bool help_ = false;
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// ---------------------------------------------------------------------------------------------
// Policies

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw error(errc::invalid_syntax, "cannot open " + file.string());
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool has_extension(const fs::path& file, std::string_view extension) {
  std::string ext = file.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ext == extension;
}

// The policies a command reads: the library of --policies DIR and, when POLICY is a file, that
// file with the library it stands in (policy_library::add_policy_file).
struct policy_source {
  policy_library known;
  std::string id;
  std::optional<fs::path> file; // POLICY, when it is a file
};

// A library's error as the tool prints it: the file first, then the place in it, then what is wrong
// ("bad.json: /rules/0/when: ..."); the library puts the file at the head of the message.
std::string policy_error(const error& e, const std::string& spec) {
  const failure& d = e.details();
  if (d.location.empty()) return d.message;
  const auto colon = d.message.find(": ");
  if (colon != std::string::npos) {
    const std::string file = d.message.substr(0, colon);
    if (file == spec || has_extension(file, ".json"))
      return file + ": " + d.location + ": " + d.message.substr(colon + 2);
  }
  return d.describe();
}

policy_source open_policies(const std::string& spec, const std::vector<std::string>& directories) {
  try {
    policy_source source;
    for (const auto& d : directories)
      source.known.add_directory(d);
    if (fs::is_regular_file(spec)) {
      source.file = spec;
      source.id = source.known.add_policy_file(spec);
    } else if (directories.empty()) {
      throw error(errc::invalid_syntax, "no policy file " + spec + " (to name a policy by id, give --policies DIR)");
    } else {
      source.id = spec;
    }
    return source;
  } catch (const error& e) {
    throw stage_error(exit_policy, policy_error(e, spec));
  }
}

// The --set options: NAME=VALUE each (a parameter, or SUBSIDY.FIELD), in the order given.
std::vector<setting> settings_of(const arguments& args) {
  std::vector<setting> out;
  for (const auto& given : args.values("set")) {
    const auto eq = given.find('=');
    if (eq == std::string::npos || eq == 0)
      throw usage_error("--set takes NAME=VALUE, such as income_limit=Rp2.500.000 or apbd_oku_timur_2024.quota=1000; "
                        "found \"" +
                        given + "\"");
    out.push_back({given.substr(0, eq), given.substr(eq + 1)});
  }
  return out;
}

// The policy merged with what it extends, the settings applied, and bound, once; the library's
// messages name their file, and a setting's name the setting: --set apbd_oku_timur_2024.quota=-1: ...
compiled_policy compile(const policy_source& source, const std::vector<setting>& settings) {
  try {
    return source.known.compile(source.id, settings);
  } catch (const error& e) {
    const std::string& at = e.details().location;
    if (std::any_of(settings.begin(), settings.end(), [&](const setting& s) { return written(s) == at; }))
      throw usage_error("--set " + e.details().describe());
    throw stage_error(exit_policy, policy_error(e, source.file ? source.file->string() : source.id));
  }
}

compiled_policy load_policy(const std::string& spec, const arguments& args) {
  const std::vector<setting> settings = settings_of(args);
  return compile(open_policies(spec, args.values("policies")), settings);
}

// ---------------------------------------------------------------------------------------------
// check

// A policy's parameters as `check` lists them: "income_limit: money Rp2.000.000: label [citation]".
void print_parameters(const policy& p) {
  if (p.parameters.empty()) return;
  std::cout << "\nparameters (" << p.parameters.size() << "):\n";
  for (const parameter& prm : p.parameters) {
    const field as_fact(prm.id, prm.type);
    const auto value = coerce(as_fact, prm.value); // bound, so it reads
    std::cout << "  " << prm.id << ": " << type_name(prm.type) << " " << (value ? render(as_fact, *value) : "?");
    if (!prm.label.empty()) std::cout << ": " << prm.label;
    if (!prm.citation.empty()) std::cout << " [" << prm.citation << "]";
    std::cout << "\n";
  }
}

// Derived values as `check` lists them: "age: integer: age on the evaluation date [citation]".
void print_derived(const bound_rules& rules) {
  if (rules.derived.empty()) return;
  std::cout << "\nderived values (" << rules.derived.size() << "):\n";
  for (const bound_derived& d : rules.derived)
    std::cout << "  " << d.declared.name << ": " << type_name(d.declared.type) << ": " << d.label << " [" << d.citation
              << "]\n";
}

std::string_view hit_policy_name(hit_policy h) {
  switch (h) {
  case hit_policy::unique: return "unique";
  case hit_policy::any: return "any";
  case hit_policy::priority: return "priority";
  case hit_policy::first: return "first";
  case hit_policy::rule_order: return "rule_order";
  case hit_policy::output_order: return "output_order";
  case hit_policy::collect: return "collect";
  }
  return "?";
}

// Decision tables as `check` lists them, each with its hit policy, columns and rows.
void print_tables(const bound_rules& rules) {
  if (rules.tables.empty()) return;
  std::cout << "\ntables (" << rules.tables.size() << "):\n";
  const auto names = [](const std::vector<std::string>& list) {
    return detail::name_list(list, [](const std::string& x) -> const std::string& { return x; });
  };
  for (const bound_table& t : rules.tables) {
    std::cout << "  " << t.id << ": " << t.label << " (" << hit_policy_name(t.policy) << "; " << names(t.input_names)
              << " -> " << names(t.output_ids) << "; " << t.row_count << (t.row_count == 1 ? " row" : " rows")
              << (t.has_otherwise ? ", otherwise" : "") << ") [" << t.citation << "]\n";
    std::vector<field> inputs;
    for (const std::string& name : t.input_names)
      inputs.push_back(value_field(rules, *rules.find_value(name)));
    // A sum, a count or a list of rows has a value where no row matches; the others give nothing.
    const bool gives_nothing =
        !t.has_otherwise &&
        (t.policy == hit_policy::unique || t.policy == hit_policy::any || t.policy == hit_policy::first ||
         t.policy == hit_policy::priority ||
         (t.policy == hit_policy::collect && (t.aggregate == aggregation::min || t.aggregate == aggregation::max)));
    if (!gives_nothing) continue;
    const table_coverage coverage = uncovered_input(t, inputs);
    if (coverage.uncovered)
      std::cout << "    no row matches: " << *coverage.uncovered << "\n";
    else if (!coverage.exhaustive)
      std::cout << "    coverage not settled: too many combinations of inputs to look at\n";
  }
}

void print_check(const compiled_policy& compiled) {
  const policy& p = compiled.source();
  std::cout << p.id << (p.title.empty() ? "" : ": " + p.title) << "\n";
  if (!p.version.empty()) std::cout << "version " << p.version << "\n";
  if (p.effective_from || p.effective_until)
    std::cout << "effective " << (p.effective_from ? to_string(*p.effective_from) : "always") << " to "
              << (p.effective_until ? to_string(*p.effective_until) : "no end") << "\n";
  for (const auto& basis : p.legal_basis)
    std::cout << "legal basis: " << basis << "\n";
  for (const auto& a : compiled.settings())
    std::cout << "set: " << a.name << "=" << a.value << " (the policy has " << a.was.value_or("none") << ")\n";
  std::cout << "\nfacts (" << compiled.facts().size() << "):\n";
  for (const auto& f : compiled.facts().fields()) {
    std::cout << "  " << f.name << ": " << type_name(f.type);
    if (!f.enumerators.empty())
      std::cout << " {"
                << detail::name_list(f.enumerators, [](const enumerator& e) -> const std::string& { return e.name; })
                << "}";
    std::cout << (f.required ? ", required" : "") << "\n";
  }
  print_parameters(p);
  print_derived(compiled.rules());
  print_tables(compiled.rules());
  std::cout << "\nrules (" << compiled.rules().rules.size() << "):\n";
  for (const auto& r : compiled.rules().rules) {
    std::cout << "  " << r.id;
    if (!r.label.empty()) std::cout << ": " << r.label;
    if (!r.reason.empty()) std::cout << " -> " << r.reason;
    if (!r.reason_unknown.empty()) std::cout << " (unknown: " << r.reason_unknown << ")";
    if (!r.citation.empty()) std::cout << " [" << r.citation << "]";
    std::cout << "\n";
  }
  if (!p.programs.empty()) std::cout << "\nprograms (" << p.programs.size() << "):\n";
  for (const auto& prog : p.programs) {
    std::cout << "  " << prog.id << (prog.name.empty() ? "" : ": " + prog.name) << " (";
    for (std::size_t i = 0; i < prog.formulas.size(); ++i)
      std::cout << (i ? ", " : "") << prog.formulas[i].category
                << (prog.formulas[i].when.empty() ? "" : " when " + prog.formulas[i].when);
    std::cout << ")\n";
  }
  if (!p.enrolments.empty()) std::cout << "\nenrolments (" << p.enrolments.size() << "):\n";
  for (const auto& e : p.enrolments) {
    std::cout << "  " << e.id << ": " << e.who << " as " << e.category << " in "
              << detail::name_list(e.programs, [](const std::string& s) -> const std::string& { return s; });
    for (const auto& [role, payer] : e.roles)
      std::cout << "; " << role << " -> " << payer;
    if (e.base) std::cout << "; registered at " << to_rupiah_string(*e.base);
    std::cout << "\n";
  }
  if (!p.subsidies.empty()) std::cout << "\nsubsidies (" << p.subsidies.size() << "):\n";
  for (const auto& s : p.subsidies) {
    std::cout << "  " << s.id << ": " << s.payer << " pays ";
    switch (s.share.how) {
    case subsidy_share::kind::percent: std::cout << to_string(s.share.percent); break;
    case subsidy_share::kind::amount: std::cout << to_rupiah_string(s.share.amount) << " a month"; break;
    case subsidy_share::kind::on_base: std::cout << "the contribution on " << to_rupiah_string(s.share.amount); break;
    }
    std::cout << " of " << detail::name_list(s.programs, [](const std::string& x) -> const std::string& { return x; })
              << " for " << s.who << ", " << to_string(s.window);
    if (s.quota) std::cout << "; quota " << *s.quota;
    if (s.budget) std::cout << "; budget " << to_rupiah_string(*s.budget);
    for (std::size_t k = 0; k < s.rank_by.size(); ++k)
      std::cout << (k ? ", " : "; ranked by ") << to_string(s.rank_by[k]);
    std::cout << "\n";
  }
}

int check(const arguments& args) {
  const compiled_policy compiled = load_policy(args.positional().front(), args);
  print_check(compiled);
  std::cout << "\nvalid\n";
  return exit_ok;
}

// ---------------------------------------------------------------------------------------------
// run and explain

// --columns birth_date,monthly_income: the values added to each line of the output, in order.
std::vector<std::string> output_columns_of(const arguments& args) {
  std::vector<std::string> names;
  const auto list = args.value("columns");
  if (!list) return names;
  std::string_view rest = *list;
  for (;;) {
    const auto comma = rest.find(',');
    names.emplace_back(rest.substr(0, comma));
    if (names.back().empty())
      throw usage_error("--columns takes names separated by commas, such as birth_date,monthly_income");
    if (comma == std::string_view::npos) return names;
    rest.remove_prefix(comma + 1);
  }
}

// --column monthly_income=penghasilan: a roster column giving a fact, checked against the policy.
std::vector<column_mapping> column_mappings_of(const arguments& args) {
  std::vector<column_mapping> out;
  for (const auto& given : args.values("column")) {
    const auto eq = given.find('=');
    if (eq == std::string::npos || eq == 0)
      throw usage_error("--column takes FACT=COLUMN, such as monthly_income=penghasilan; found " + given);
    out.push_back({given.substr(0, eq), given.substr(eq + 1)});
  }
  return out;
}

batch_options options_of(const arguments& args, const compiled_policy& compiled) {
  batch_options options;
  options.rules = args.values("rule");
  const auto as_of = args.value("as-of");
  const auto period = args.value("period");
  try {
    if (as_of && period) throw usage_error("give --as-of or --period, not both");
    if (as_of) {
      options.as_of = date::parse(*as_of);
      options.period = month_range(month::of(options.as_of), month::of(options.as_of));
    } else if (period) {
      options.period = month_range::parse(*period);
      options.as_of = first_day_in_force(compiled.source(), options.period);
    } else {
      const policy& p = compiled.source();
      if (!p.effective_from || !p.effective_until)
        throw usage_error("the policy has no end date: give --as-of DATE or --period FROM..TO");
      options.period = month_range(month::of(*p.effective_from), month::of(*p.effective_until));
      options.as_of = *p.effective_from;
    }
    if (const auto threads = args.value("threads")) {
      const auto n = detail::parse_integer(*threads);
      if (!n || *n < 1 || *n > 256) throw usage_error("--threads takes a number from 1 to 256");
      options.threads = static_cast<unsigned>(*n);
    }
  } catch (const error& e) {
    throw usage_error(e.what());
  }
  options.strict = args.flag("strict");
  options.columns = output_columns_of(args);
  return options;
}

char separator_of(const arguments& args) {
  const auto given = args.value("separator");
  if (!given || *given == ",") return ',';
  if (*given == ";") return ';';
  if (*given == "\t" || *given == "\\t" || *given == "tab") return '\t';
  throw usage_error(std::string("--separator takes \",\", \";\" or \"tab\", not \"") + *given + "\"");
}

roster_options roster_options_of(const arguments& args, const compiled_policy& compiled) {
  roster_options options;
  if (const auto column = args.value("id-column")) options.id_column = *column;
  options.separator = separator_of(args);
  // Each fact the status rules read needs a roster column, unless --allow-missing-columns.
  if (!args.flag("allow-missing-columns")) options.needed_facts = facts_the_rules_read(compiled, args.values("rule"));
  options.columns = column_mappings_of(args);
  if (auto problem = check_column_mappings(compiled.facts(), options))
    throw stage_error(exit_policy, "--column " + problem->describe());
  return options;
}

batch make_batch(const compiled_policy& compiled, const arguments& args) {
  try {
    return batch(compiled, options_of(args, compiled));
  } catch (const error& e) {
    throw stage_error(exit_policy, e.what());
  }
}

// Writes in large pieces to a file that appears whole when committed.
// Temporary files to remove if the run is interrupted: fixed storage, so that the signal handler
// only reads memory that is never reallocated and calls only unlink.
struct temporaries {
  static constexpr std::size_t capacity = 4;
  std::array<std::array<char, 4096>, capacity> paths{};
  std::atomic<std::size_t> count{0};
};
temporaries interrupted_run_files;

extern "C" void remove_temporaries(int signal) {
  for (std::size_t i = 0; i < interrupted_run_files.count.load(); ++i)
    if (interrupted_run_files.paths[i][0] != '\0') ::unlink(interrupted_run_files.paths[i].data());
  std::signal(signal, SIG_DFL);
  std::raise(signal);
}

// Writes in large pieces to a file that appears whole when committed. Its temporary has no name
// where the system allows (atomic_file); a named one is removed if the run is interrupted by
// SIGINT, SIGTERM, SIGHUP or SIGPIPE before that.
class buffered_output {
public:
  explicit buffered_output(const fs::path& path) try : file_(path) {
    const std::string temporary = file_.temporary_path().string();
    const std::size_t slot = interrupted_run_files.count.load();
    if (slot < temporaries::capacity && temporary.size() < interrupted_run_files.paths[slot].size()) {
      std::copy(temporary.begin(), temporary.end(), interrupted_run_files.paths[slot].begin());
      interrupted_run_files.count.store(slot + 1);
    }
  } catch (const error& e) {
    throw stage_error(exit_output, e.what());
  }
  std::string& buffer() { return buffer_; }
  void flush_if_full() {
    if (buffer_.size() >= (1U << 20)) flush();
  }
  void close() {
    flush();
    guard([&] { file_.close(); });
  }
  void commit() {
    guard([&] { file_.commit(); });
  }

private:
  void flush() {
    guard([&] { file_.write(buffer_); });
    buffer_.clear();
  }
  template <class Step>
  static void guard(Step&& step) {
    try {
      step();
    } catch (const error& e) {
      throw stage_error(exit_output, e.what());
    }
  }
  atomic_file file_;
  std::string buffer_;
};

// A file as an output is compared with the inputs: by device and inode when it exists (so that
// symlinks, "./", ".." and hard links are seen through), else by the path its name leads to.
struct file_identity {
  fs::path where; // absolute, symlinks of the existing part resolved
  bool exists = false;
  dev_t device{};
  ino_t inode{};
};

file_identity identify(const fs::path& file) {
  file_identity id;
  id.where = fs::weakly_canonical(fs::absolute(file));
  struct stat st {};
  if (::stat(file.c_str(), &st) == 0) {
    id.exists = true;
    id.device = st.st_dev;
    id.inode = st.st_ino;
  }
  return id;
}

bool same_file(const file_identity& a, const file_identity& b) {
  return a.exists && b.exists ? a.device == b.device && a.inode == b.inode : a.where == b.where;
}

bool is_within(const fs::path& file, const fs::path& directory) {
  const auto [d, f] = std::mismatch(directory.begin(), directory.end(), file.begin(), file.end());
  return d == directory.end() && f != file.end();
}

// An input an output must not be: the option that names it, and the file.
struct named_input {
  std::string option;
  fs::path path;
  file_identity id;
};

// Refuses an output that is an input (the roster, the policy, a file of a policies directory) or
// lies in a policies directory, so that a run never replaces what it reads nor adds to the library
// the next run reads.
void check_not_input(const std::string& option, const fs::path& path, const file_identity& out,
                     const std::vector<named_input>& inputs, const std::vector<fs::path>& directories) {
  for (const auto& input : inputs)
    if (same_file(out, input.id))
      throw usage_error(option + " " + path.string() + " and " + input.option + " " + input.path.string() +
                        " name the same file");
  for (const auto& directory : directories) {
    const fs::path where = fs::weakly_canonical(fs::absolute(directory));
    if (is_within(out.where, where))
      throw usage_error(option + " " + path.string() + " is in the policies directory " + directory.string() +
                        ", which this run reads");
    std::error_code ec;
    for (fs::recursive_directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file() && same_file(out, identify(it->path())))
        throw usage_error(option + " " + path.string() + " and " + it->path().string() +
                          ", in the policies directory " + directory.string() + ", name the same file");
  }
}

// Checks before anything runs that each output can be written, that none is an input, and that
// no two of them are the same file, so that a run never overwrites what it reads nor fails
// half-way through committing.
void check_outputs(const std::vector<std::pair<std::string, fs::path>>& read, const policy_source& policies,
                   const std::vector<std::pair<std::string, fs::path>>& outputs) {
  std::vector<named_input> inputs;
  for (const auto& [option, path] : read)
    inputs.push_back({option, path, identify(path)});
  if (policies.file) inputs.push_back({"--policy", *policies.file, identify(*policies.file)});
  const std::vector<fs::path> directories = policies.known.directories();
  std::vector<named_input> earlier;
  for (const auto& [option, path] : outputs) {
    const file_identity out = identify(path);
    check_not_input(option, path, out, inputs, directories);
    for (const auto& other : earlier)
      if (same_file(out, other.id))
        throw usage_error(option + " " + path.string() + " and " + other.option + " " + other.path.string() +
                          " name the same file");
    earlier.push_back({option, path, out});
    if (fs::is_directory(path)) throw stage_error(exit_output, "cannot write " + path.string() + ": it is a directory");
    const fs::path parent = out.where.parent_path();
    if (!fs::is_directory(parent))
      throw stage_error(exit_output, "cannot write " + path.string() + ": no directory " + parent.string());
  }
}

// Progress on stderr for long runs, only when stderr is a terminal: the rows read so far, counted
// as the batch reads them (again from 0 when it reads the roster a second time).
class progress : public row_source {
public:
  explicit progress(row_source& roster) : roster_(roster), shown_(isatty(STDERR_FILENO) != 0) {}
  ~progress() override { end_line(); }
  progress(const progress&) = delete;
  progress& operator=(const progress&) = delete;

  void rewind() override {
    end_line();
    rows_ = 0;
    ++reads_;
    roster_.rewind();
  }
  bool next(roster_row& row) override { return counted(roster_.next(row)); }
  bool next_text(roster_row& row) override { return counted(roster_.next_text(row)); }
  void parse(roster_row& row, roster_scratch& scratch) const override { roster_.parse(row, scratch); }
  [[nodiscard]] std::size_t blank_lines() const noexcept override { return roster_.blank_lines(); }
  [[nodiscard]] std::string id_column() const override { return roster_.id_column(); }
  [[nodiscard]] std::size_t size_hint() const override { return roster_.size_hint(); }

private:
  bool counted(bool read) {
    if (read && shown_ && ++rows_ % 65536 == 0)
      std::fprintf(stderr, "\r  %zu rows read%s", rows_, reads_ > 1 ? " again" : "");
    return read;
  }
  void end_line() {
    if (shown_ && rows_ >= 65536) std::fprintf(stderr, "\n");
  }
  row_source& roster_;
  bool shown_;
  std::size_t rows_ = 0;
  unsigned reads_ = 0;
};

// Runs the batch over the roster at `path`. A row it stops at (--strict) is located in the roster
// as the roster's own errors are: people.csv: line 9, column birth_date.
// The summary file, when asked for, written into `out` but not yet committed: `PATH.json` as JSON
// (the summary's `to_json`), any other name as its table (`to_text`).
template <class Summary>
void write_summary(std::optional<buffered_output>& out, const std::optional<std::string>& path,
                   const Summary& summary) {
  if (!path) return;
  out.emplace(*path);
  out->buffer() = has_extension(*path, ".json") ? boost::json::serialize(to_json(summary)) + "\n" : to_text(summary);
}

// A roster's error as the tool prints it, the roster named first: "people.csv: line 9: ...".
[[noreturn]] void roster_failed(const std::string& path, const error& e) {
  const std::string here = path == "-" ? std::string("standard input") : path;
  const std::string& at = e.details().location;
  if (!at.starts_with("line ") || at.starts_with(here + ": ")) throw stage_error(exit_roster, e.what());
  throw stage_error(exit_roster, here + ": " + e.what());
}

// Runs `work`, which reads the roster at `path`, its errors named as `roster_failed` names them.
template <class Work>
auto reading_roster(const std::string& path, Work&& work) {
  try {
    return work();
  } catch (const stage_error&) {
    throw;
  } catch (const error& e) {
    roster_failed(path, e);
  }
}

batch_summary run_roster(const batch& b, row_source& roster, const std::string& path, const batch::row_handler& on_row,
                         const batch::reject_handler& on_reject) {
  return reading_roster(path, [&] { return b.run(roster, on_row, on_reject); });
}

// The roster's format: --roster-format, else what its name says; standard input is CSV unless told.
roster_format roster_format_from(const std::string& path, const arguments& args) {
  if (const auto format = args.value("roster-format")) {
    if (*format == "csv") return roster_format::csv;
    if (*format == "ndjson") return roster_format::ndjson;
    throw usage_error("--roster-format " + *format + ": expected csv or ndjson");
  }
  return path == "-" ? roster_format::csv : roster_format_of(path);
}

std::unique_ptr<roster_file> open_roster(const std::string& path, const compiled_policy& compiled,
                                         const arguments& args) {
  try {
    return std::make_unique<roster_file>(path, compiled.facts(), roster_format_from(path, args),
                                         roster_options_of(args, compiled));
  } catch (const error& e) {
    std::string message = e.what();
    if (message.find("for each fact the rules read") != std::string::npos)
      message += "\n(--allow-missing-columns goes on with those facts unknown for everyone)";
    throw stage_error(exit_roster, message);
  }
}

// Names are shown visibly (a CR as \r, a byte that is not UTF-8 as \xFF): a column's name is the
// roster's bytes, and must neither hide nor reach the terminal raw.
void warn_about_columns(const roster_file& roster, const std::string& path, const compiled_policy& compiled) {
  for (const auto& column : roster.reader().ignored_columns()) {
    std::cerr << "entitle: " << path << ": the column " << detail::visible(column);
    if (const auto slot = compiled.facts().find_column(column)) // a fact --column reads from another column
      std::cerr << " gives " << compiled.facts().at(*slot).name
                << ", which --column reads from another column; ignored\n";
    else
      std::cerr << " is not a fact of the policy; ignored\n";
  }
  const auto& absent = roster.reader().absent_facts();
  if (!absent.empty())
    std::cerr << "entitle: " << path << ": no column gives the facts "
              << detail::name_list(absent, [](const std::string& s) { return detail::escaped(s); })
              << "; they are missing for everyone\n";
}

int run(const arguments& args) {
  const std::string policy_path = args.required("policy");
  const std::string roster_path = args.required("roster");
  const fs::path out_path = args.required("out");
  const auto summary_path = args.value("summary");
  const auto rejects_path = args.value("rejects");
  output_format out_format{}, rejects_format{};
  try {
    out_format = output_format_of(out_path);
    if (rejects_path) rejects_format = output_format_of(*rejects_path);
  } catch (const error& e) {
    throw usage_error(e.what());
  }
  std::vector<std::pair<std::string, fs::path>> outputs{{"--out", out_path}};
  if (rejects_path) outputs.emplace_back("--rejects", *rejects_path);
  if (summary_path) outputs.emplace_back("--summary", *summary_path);
  const std::vector<setting> settings = settings_of(args);
  const policy_source policies = open_policies(policy_path, args.values("policies"));
  check_outputs({{"--roster", roster_path}}, policies, outputs);
  const compiled_policy compiled = compile(policies, settings);
  const batch b = make_batch(compiled, args);
  const auto roster = open_roster(roster_path, compiled, args);
  warn_about_columns(*roster, roster_path, compiled);
  for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE})
    std::signal(signal, remove_temporaries);

  std::string header;
  try {
    header = output_header(b, out_format);
  } catch (const error& e) {
    throw stage_error(exit_policy, "--columns: " + std::string(e.what()));
  }
  buffered_output out(out_path);
  out.buffer() = std::move(header);
  std::optional<buffered_output> rejects;
  if (rejects_path) {
    rejects.emplace(*rejects_path);
    rejects->buffer() = rejects_header(rejects_format);
  }
  batch_summary summary;
  {
    progress shown(*roster);
    summary = run_roster(
        b, shown, roster_path,
        [&](const batch_row& row) {
          append_row(out.buffer(), b, row, out_format);
          out.flush_if_full();
        },
        [&](const rejected_row& row) {
          if (!rejects) return;
          append_reject(rejects->buffer(), row, rejects_format);
          rejects->flush_if_full();
        });
  }
  std::optional<buffered_output> summary_file;
  write_summary(summary_file, summary_path, summary);
  // Every file is written and closed before any appears.
  out.close();
  if (rejects) rejects->close();
  if (summary_file) summary_file->close();
  out.commit();
  if (rejects) rejects->commit();
  if (summary_file) summary_file->commit();
  std::cout << to_text(summary);
  return summary.rejected == 0 ? exit_ok : exit_rows_rejected;
}

int explain(const arguments& args) {
  const compiled_policy compiled = load_policy(args.required("policy"), args);
  const batch b = make_batch(compiled, args);
  const auto roster_path = args.value("roster");
  const auto id = args.value("id");
  if (roster_path.has_value() != id.has_value()) throw usage_error("--roster and --id go together");
  explanation e;
  if (roster_path) {
    // Rank the whole roster, so that the person's place in each quota is known.
    const auto roster = open_roster(*roster_path, compiled, args);
    std::optional<std::vector<quota_place>> places;
    std::optional<rejected_row> rejected;
    const batch_summary summary = run_roster(
        b, *roster, *roster_path,
        [&](const batch_row& row) {
          if (row.id == *id) places.emplace(row.quotas.begin(), row.quotas.end());
        },
        [&](const rejected_row& row) {
          if (row.id == *id) rejected = row;
        });
    if (rejected)
      throw stage_error(exit_roster, *roster_path + ": line " + std::to_string(rejected->line) + ": the row of " + *id +
                                         " is rejected: " + rejected->reason);
    if (!places) throw usage_error("no row of " + *roster_path + " has the id " + *id);
    roster->rewind();
    roster_row row;
    while (roster->next(row))
      if (row.id == *id && !row.problem) break;
    e = b.explain(row.facts, *places, summary);
  } else {
    const std::string text(std::istreambuf_iterator<char>(std::cin), {});
    try {
      e = b.explain(read_record(compiled.facts(), text), {}, batch_summary{});
    } catch (const error& problem) {
      throw stage_error(exit_roster, std::string("standard input: ") + problem.what());
    }
  }
  if (args.flag("json"))
    std::cout << boost::json::serialize(to_json(e)) << "\n";
  else
    std::cout << to_text(e);
  return exit_ok;
}

int claim_command(const arguments& args) {
  const compiled_policy compiled = load_policy(args.required("policy"), args);
  claim c;
  c.event = args.required("event");
  if (const auto enrolment = args.value("enrolment")) c.enrolment = *enrolment;
  try {
    c.on = date::parse(args.required("on"));
    if (const auto months = args.value("months")) {
      const auto n = detail::parse_integer(*months);
      if (!n || *n < 0 || *n > 1200) throw usage_error("--months takes a number from 0 to 1200");
      c.months = *n;
    }
    c.children = args.values("child");
    for (const auto& cost : args.values("cost")) {
      const auto eq = cost.find('=');
      if (eq == std::string::npos || eq == 0) throw usage_error("--cost takes KIND=AMOUNT, such as land=3000000");
      c.costs.emplace_back(cost.substr(0, eq), money::parse(cost.substr(eq + 1)));
    }
  } catch (const error& e) {
    throw usage_error(e.what());
  }
  const auto facts_file = args.value("facts");
  const std::string source = facts_file ? *facts_file : std::string("standard input");
  std::string text;
  try {
    text = facts_file ? read_text(*facts_file) : std::string(std::istreambuf_iterator<char>(std::cin), {});
  } catch (const error& e) {
    throw stage_error(exit_roster, e.what());
  }
  record person;
  try {
    person = read_record(compiled.facts(), text);
  } catch (const error& e) {
    throw stage_error(exit_roster, source + ": " + e.what());
  }
  claim_result result;
  try {
    result = compiled.assess(c, person);
  } catch (const error& e) {
    if (e.code() == errc::overflow) throw stage_error(exit_roster, source + ": the amounts are too large: " + e.what());
    throw usage_error(e.what()); // an event no benefit pays on, an unknown enrolment, cost or school level
  }
  if (args.flag("json"))
    std::cout << boost::json::serialize(to_json(result)) << "\n";
  else
    std::cout << to_text(result);
  return exit_ok;
}

// Opens the list of people already enrolled: its ids only, from the rosters' id column.
std::unique_ptr<roster_file> open_enrolled(const std::string& path, const arguments& args) {
  static const schema no_facts;
  roster_options options;
  if (const auto column = args.value("id-column")) options.id_column = *column;
  options.separator = separator_of(args);
  try {
    return std::make_unique<roster_file>(path, no_facts, roster_format::csv, options);
  } catch (const error& e) {
    const std::string message = e.what();
    throw stage_error(exit_roster,
                      "--enrolled " + (message.starts_with(path + ": ") ? message : path + ": " + message));
  }
}

int overlap(const arguments& args) {
  const std::vector<std::string> roster_paths = args.values("roster");
  if (roster_paths.empty()) throw usage_error("--roster is needed (one or more)");
  for (const auto& path : roster_paths)
    if (path == "-") throw usage_error("--roster -: overlap reads each roster several times; give a file");
  const fs::path out_path = args.required("out");
  if (!has_extension(out_path, ".csv"))
    throw usage_error("--out " + out_path.string() + ": overlap writes a .csv file");
  const auto enrolled_path = args.value("enrolled");
  std::vector<std::pair<std::string, fs::path>> read;
  for (const auto& path : roster_paths)
    read.emplace_back("--roster", path);
  if (enrolled_path) read.emplace_back("--enrolled", *enrolled_path);
  const std::vector<setting> settings = settings_of(args);
  const policy_source policies = open_policies(args.required("policy"), args.values("policies"));
  check_outputs(read, policies, {{"--out", out_path}});
  const compiled_policy compiled = compile(policies, settings);
  const batch b = make_batch(compiled, args);
  std::vector<std::unique_ptr<roster_file>> files;
  std::vector<overlap_roster> rosters;
  for (const auto& path : roster_paths) {
    files.push_back(open_roster(path, compiled, args));
    warn_about_columns(*files.back(), path, compiled);
    rosters.push_back({path, files.back().get()});
  }
  const auto enrolled_file = enrolled_path ? open_enrolled(*enrolled_path, args) : nullptr;
  const overlap_roster enrolled{enrolled_path.value_or(""), enrolled_file.get()};
  for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE})
    std::signal(signal, remove_temporaries);
  overlap_report report;
  try {
    report = find_overlaps(b, rosters, enrolled_file ? &enrolled : nullptr);
  } catch (const error& e) {
    throw stage_error(exit_roster, e.what());
  }
  buffered_output out(out_path);
  out.buffer() = overlap_csv(report);
  out.close();
  out.commit();
  std::cout << to_text(report);
  return report.rows.empty() ? exit_ok : exit_rows_rejected;
}

// The baseline (--policy as written) and the reform (--reform, or --policy, with the --set
// fields), each checked, with the policies it reads, not to be an output.
std::pair<compiled_policy, compiled_policy>
diff_policies(const arguments& args, const std::vector<setting>& settings, const std::string& roster_path,
              const std::vector<std::pair<std::string, fs::path>>& outputs) {
  const policy_source base = open_policies(args.required("policy"), args.values("policies"));
  check_outputs({{"--roster", roster_path}}, base, outputs);
  std::optional<policy_source> reform;
  if (const auto reform_path = args.value("reform")) {
    reform.emplace(open_policies(*reform_path, args.values("policies")));
    check_outputs({{"--roster", roster_path}}, *reform, outputs);
  }
  return {compile(base, {}), compile(reform ? *reform : base, settings)};
}

int diff(const arguments& args) {
  const std::vector<setting> settings = settings_of(args);
  if (!args.value("reform") && settings.empty())
    throw usage_error("nothing to compare: give --reform REFORM, --set NAME=VALUE, or both");
  const std::string roster_path = args.required("roster");
  const fs::path out_path = args.required("out");
  const auto summary_path = args.value("summary");
  output_format out_format{};
  try {
    out_format = output_format_of(out_path);
  } catch (const error& e) {
    throw usage_error(e.what());
  }
  std::vector<std::pair<std::string, fs::path>> outputs{{"--out", out_path}};
  if (summary_path) outputs.emplace_back("--summary", *summary_path);
  const auto [base, reform] = diff_policies(args, settings, roster_path, outputs);
  const batch before = make_batch(base, args);
  // The baseline's period and as-of date for both, when --period and --as-of are not given.
  const batch after = [&] {
    try {
      return batch(reform, options_of(args, base));
    } catch (const error& e) {
      throw stage_error(exit_policy, "--reform: " + std::string(e.what()));
    }
  }();
  const auto roster = open_roster(roster_path, base, args);
  warn_about_columns(*roster, roster_path, base);
  // Opened when the reform's run begins: a header it cannot read is reported then, named.
  const auto reform_roster =
      roster->under(reform.facts(), roster_format_from(roster_path, args), roster_options_of(args, reform));
  for (const int signal : {SIGINT, SIGTERM, SIGHUP, SIGPIPE})
    std::signal(signal, remove_temporaries);
  const reform_diff d(before, after);
  buffered_output out(out_path);
  out.buffer() = diff_header(d, out_format);
  const diff_summary totals = reading_roster(roster_path, [&] {
    return d.run(*roster, *reform_roster, [&](const diff_row& row) {
      append_diff_row(out.buffer(), d, row, out_format);
      out.flush_if_full();
    });
  });
  std::optional<buffered_output> summary_file;
  write_summary(summary_file, summary_path, totals);
  out.close();
  if (summary_file) summary_file->close();
  out.commit();
  if (summary_file) summary_file->commit();
  std::cout << to_text(totals);
  return totals.changed == 0 ? exit_ok : exit_rows_rejected;
}

// The scenario files of `paths`: each file as given, and the `*.test.json` files under each
// directory, in path order.
std::vector<fs::path> scenario_files(const std::vector<std::string>& paths) {
  std::vector<fs::path> out;
  for (const auto& given : paths) {
    std::error_code ec;
    if (fs::is_directory(given, ec)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator it(given, ec), end; !ec && it != end; it.increment(ec))
        if (it->is_regular_file() && it->path().filename().string().ends_with(".test.json"))
          found.push_back(it->path());
      if (ec) throw stage_error(exit_roster, "cannot list " + given + ": " + ec.message());
      std::sort(found.begin(), found.end());
      if (found.empty()) throw usage_error(given + ": no scenario files (*.test.json) in it");
      out.insert(out.end(), found.begin(), found.end());
    } else if (fs::is_regular_file(given, ec)) {
      out.emplace_back(given);
    } else {
      throw usage_error("no scenario file or directory " + given);
    }
  }
  return out;
}

// A scenario file's outcomes: its policy found beside it (a path relative to the file) or by id.
std::vector<scenario_outcome> run_scenario_file(const fs::path& path, const arguments& args) {
  scenario_file file;
  try {
    file = read_scenario_file(path);
  } catch (const error& e) {
    throw stage_error(exit_roster, e.what());
  }
  // A file name is beside the scenario file, never in the working directory; anything else is an id.
  const bool is_file = file.policy.ends_with(".json");
  const fs::path beside = path.parent_path() / file.policy;
  if (is_file && !fs::is_regular_file(beside))
    throw stage_error(exit_policy, path.string() + ": /policy: no policy file " + beside.string());
  const policy_source source = open_policies(is_file ? beside.string() : file.policy, args.values("policies"));
  try {
    return run_scenarios(file, source.known, source.id);
  } catch (const error& e) {
    throw stage_error(exit_policy, policy_error(e, path.string() + ": " + file.policy));
  }
}

int test_command(const arguments& args) {
  std::size_t passed = 0;
  std::size_t failed = 0;
  for (const fs::path& path : scenario_files(args.positional())) {
    for (const scenario_outcome& o : run_scenario_file(path, args)) {
      if (o.passed()) {
        ++passed;
        continue;
      }
      ++failed;
      std::cout << "FAIL " << o.file << ": " << o.pointer << " " << o.name << "\n";
      for (const auto& why : o.failures)
        std::cout << "  " << why << "\n";
      if (!o.explanation.empty()) {
        std::cout << "  got:\n";
        std::istringstream lines(o.explanation);
        for (std::string line; std::getline(lines, line);)
          std::cout << "    " << line << "\n";
      }
    }
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? exit_ok : exit_rows_rejected;
}

// ---------------------------------------------------------------------------------------------
// analyze

analysis_population population_of(const std::string& given) {
  const auto first = given.find_first_not_of(" \t\n");
  if (first == std::string::npos) throw usage_error("--population takes a rule id or a condition as JSON");
  if (given[first] != '{') return {given.substr(first, given.find_last_not_of(" \t\n") + 1 - first), std::nullopt};
  try {
    return {{}, condition_from_json(parse_json(given, "--population"))};
  } catch (const error& e) {
    throw usage_error("--population: " + std::string(e.what()));
  }
}

int analyze_command(const arguments& args) {
  std::vector<compiled_policy> loaded;
  for (const std::string& spec : args.positional())
    loaded.push_back(load_policy(spec, args));
  std::vector<const compiled_policy*> policies;
  for (const compiled_policy& p : loaded)
    policies.push_back(&p);
  analysis_options options;
  try {
    if (const auto as_of = args.value("as-of")) options.as_of = date::parse(*as_of);
  } catch (const error& e) {
    throw usage_error("--as-of: " + std::string(e.what()));
  }
  if (const auto limit = args.value("limit")) {
    const auto n = detail::parse_integer(*limit);
    if (!n || *n < 1) throw usage_error("--limit takes a positive whole number, found " + *limit);
    options.search_limit = static_cast<std::size_t>(*n);
  }
  if (const auto population = args.value("population")) options.population = population_of(*population);
  if (!options.as_of && !default_analysis_date(loaded.front()))
    throw usage_error("the policy " + loaded.front().source().id +
                      " has no effective date and no subsidy: give the day to decide rules on, --as-of DATE");
  analysis_report report;
  try {
    report = analyze(policies, options);
  } catch (const error& e) { // the policies were read: what is wrong is what the command line asks
    const bool about_population = options.population && e.details().code == errc::invalid_syntax &&
                                  e.details().message.find("given twice") == std::string::npos;
    throw usage_error((about_population ? "--population: " : "") + std::string(e.what()));
  }
  if (args.flag("json"))
    std::cout << boost::json::serialize(to_json(report)) << "\n";
  else
    std::cout << analysis_text(report);
  return report.findings.empty() ? exit_ok : exit_rows_rejected;
}

int demo(const arguments&) {
  policy_library library;
  for (const auto& [origin, text] : entitle_demo::policies())
    library.add(text, std::string(origin));
  const compiled_policy compiled = library.compile(entitle_demo::policy_id);
  const batch b(compiled, {.rules = {},
                           .as_of = date(2024, 1, 1),
                           .period = month_range::calendar_year(2024),
                           .threads = 1,
                           .strict = false});
  roster_text roster(std::string(entitle_demo::roster()), compiled.facts(), roster_format::csv);
  std::cout << "OKU Timur, 2024: the regency pays JKK and JKM for vulnerable workers (PKS with BPJS\n"
               "Ketenagakerjaan Baturaja; quota 4,650 people, budget Rp937.440.000).\n"
               "Roster: "
            << entitle_demo::roster_name << ", evaluated for January to December 2024.\n\n";
  const batch_summary summary = b.run(roster, {}, {});
  std::cout << to_text(summary);
  std::cout << "\nNext: entitle run --policy policies/" << entitle_demo::policy_id
            << ".json --roster ROSTER.csv --out decisions.csv\n";
  return exit_ok;
}

// A command: its help, what it takes, and what it does once the arguments have been checked.
struct command_spec {
  std::string_view name;
  const char* help;
  // check: one POLICY; test: paths; analyze: one or more POLICY
  enum class takes : unsigned char { nothing, one_policy, paths, policies } positional;
  std::vector<std::string> valued;
  std::vector<std::string> flags;
  int (*run)(const arguments&);
};

const std::vector<command_spec>& commands() {
  static const std::vector<command_spec> all{
      {"check", check_help, command_spec::takes::one_policy, {"policies", "set"}, {}, check},
      {"run",
       run_help,
       command_spec::takes::nothing,
       {"policy", "roster", "out", "summary", "rejects", "as-of", "period", "threads", "rule", "id-column", "column",
        "columns", "roster-format", "separator", "policies", "set"},
       {"strict", "allow-missing-columns"},
       run},
      {"explain",
       explain_help,
       command_spec::takes::nothing,
       {"policy", "roster", "id", "as-of", "period", "rule", "id-column", "column", "roster-format", "separator",
        "policies", "set"},
       {"json", "allow-missing-columns"},
       explain},
      {"claim",
       claim_help,
       command_spec::takes::nothing,
       {"policy", "event", "on", "months", "child", "cost", "facts", "enrolment", "policies", "set"},
       {"json"},
       claim_command},
      {"overlap",
       overlap_help,
       command_spec::takes::nothing,
       {"policy", "roster", "enrolled", "out", "as-of", "period", "rule", "id-column", "column", "roster-format",
        "separator", "threads", "policies", "set"},
       {"allow-missing-columns"},
       overlap},
      {"diff",
       diff_help,
       command_spec::takes::nothing,
       {"policy", "reform", "roster", "out", "summary", "as-of", "period", "rule", "id-column", "column",
        "roster-format", "separator", "threads", "policies", "set"},
       {"allow-missing-columns"},
       diff},
      {"test", test_help, command_spec::takes::paths, {"policies"}, {}, test_command},
      {"analyze",
       analyze_help,
       command_spec::takes::policies,
       {"population", "as-of", "limit", "policies", "set"},
       {"json"},
       analyze_command},
      {"demo", demo_help, command_spec::takes::nothing, {}, {}, demo},
  };
  return all;
}

} // namespace

int main(int argc, char** argv) {
  try {
    const std::string command = argc > 1 ? argv[1] : "";
    if (command.empty() || command == "--help" || command == "-h" || command == "help") {
      std::cout << main_help;
      return command.empty() ? exit_usage : exit_ok;
    }
    for (const command_spec& c : commands()) {
      if (c.name != command) continue;
      const arguments args(argc, argv, 2, c.valued, c.flags);
      if (args.help()) {
        std::cout << c.help;
        return exit_ok;
      }
      using takes = command_spec::takes;
      if (c.positional == takes::one_policy && args.positional().size() != 1)
        throw usage_error(command + " takes one POLICY");
      if (c.positional == takes::policies && args.positional().empty())
        throw usage_error(command + " takes one or more POLICY files or ids");
      if (c.positional == takes::paths && args.positional().empty())
        throw usage_error(command + " takes one or more scenario files or directories");
      if (c.positional == takes::nothing && !args.positional().empty())
        throw usage_error(command + " takes no positional arguments: " + args.positional()[0]);
      return c.run(args);
    }
    throw usage_error("unknown command " + command);
  } catch (const usage_error& e) {
    std::cerr << "entitle: " << e.what() << "\n(entitle --help lists the commands)\n";
    return exit_usage;
  } catch (const stage_error& e) {
    std::cerr << "entitle: " << e.what() << "\n";
    return e.code;
  } catch (const error& e) {
    std::cerr << "entitle: " << e.what() << "\n";
    return exit_policy;
  } catch (const std::exception& e) {
    std::cerr << "entitle: unexpected failure: " << e.what() << "\n";
    return exit_internal;
  }
}
