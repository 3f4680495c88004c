/* entitle's C interface (docs/c-api.md): policies, one person's decision, explanation,
 * contributions and claims, and batches over rosters, for any language that calls C (PHP through
 * FFI, Java through Panama or JNA, Go through cgo). Everything crosses the boundary as UTF-8
 * JSON text, money as rupiah strings ("16800" or "16800.50"), never as a floating-point number.
 *
 * Every function that can fail returns an entitle_status: ENTITLE_OK, or the reason, with a
 * message and its place (a JSON pointer, a roster line) that entitle_last_error_message and
 * entitle_last_error_location give on the same thread until its next call. No C++ exception
 * leaves a function of this header.
 *
 * Threads: a library, a policy and a batch may be used from several threads at once for
 * everything that reads them (compile, decide, explain, contributions, claim, the runs), but
 * adding to a library must not overlap any other use of it. Each handle is freed once, after
 * its last use; a policy and a batch keep what they need, so the library may be freed first. */
#ifndef ENTITLE_ENTITLE_H
#define ENTITLE_ENTITLE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version of the library (as "0.1.0"), and of this interface: a program built against
 * ENTITLE_ABI_VERSION runs with any library whose entitle_abi_version() is the same. */
#define ENTITLE_ABI_VERSION 1
const char* entitle_version(void);
int entitle_abi_version(void);

typedef enum entitle_status {
  ENTITLE_OK = 0,
  /* The library's own error codes (entitle::errc): bad input, located. */
  ENTITLE_INVALID_SYNTAX = 1,  /* text or JSON not of the form expected, an unknown name */
  ENTITLE_INVALID_DATE = 2,    /* no such calendar day */
  ENTITLE_OUT_OF_RANGE = 3,    /* a value outside what its use or declaration allows */
  ENTITLE_OVERFLOW = 4,        /* an amount too large for 64 bits: never wrapped */
  ENTITLE_NOT_IN_FORCE = 5,    /* a day or month outside the policy's dates, or a missing figure */
  ENTITLE_UNORDERED_DATES = 6, /* a dated history out of order */
  ENTITLE_DUPLICATE_DATE = 7,  /* two entries of a history on one date */
  ENTITLE_EMPTY_HISTORY = 8,   /* a dated value with no entries */
  /* The call itself. */
  ENTITLE_INVALID_ARGUMENT = 100, /* a null handle or pointer where one is needed */
  ENTITLE_IO = 101,               /* a file that cannot be read or written */
  ENTITLE_NO_MEMORY = 102,
  ENTITLE_INTERNAL = 103 /* a defect of entitle: please report it */
} entitle_status;

/* The last failure on this thread: its message ("" when the last call succeeded) and its place
 * ("/rules/3/when", "line 7, column birth_date"; "" when it has none). Valid until the thread's
 * next call into this interface. */
const char* entitle_last_error_message(void);
const char* entitle_last_error_location(void);

/* Text this interface hands over (results, ids): the caller frees it, once. NULL is ignored. */
void entitle_free(char* text);

/* ---- Policies ---------------------------------------------------------------------------- */

typedef struct entitle_library entitle_library;
typedef struct entitle_policy entitle_policy;

entitle_status entitle_library_new(entitle_library** out);
void entitle_library_free(entitle_library* library);
/* Adds every policy file under `directory` (as `entitle --policies DIR`). */
entitle_status entitle_library_add_directory(entitle_library* library, const char* directory);
/* Adds one policy file, and the directory it stands in when it extends others; `id` (may be
 * NULL) receives its id, to free. */
entitle_status entitle_library_add_file(entitle_library* library, const char* path, char** id);
/* Adds a policy given as JSON text of `length` bytes; `origin` (may be NULL) names it in errors. */
entitle_status entitle_library_add_json(entitle_library* library, const char* text, size_t length, const char* origin,
                                        char** id);
/* The ids of the policies added, as a JSON array of strings. */
entitle_status entitle_library_ids(const entitle_library* library, char** ids_json);

/* Compiles policy `id`, merged with what it extends. `settings_json` (may be NULL) sets subsidy
 * fields and parameters for this policy as `entitle run --set` does, as a JSON object of
 * strings: {"apbd_oku_timur_2024.quota": "1000", "income_limit": "Rp2.500.000"}. */
entitle_status entitle_policy_compile(const entitle_library* library, const char* id, const char* settings_json,
                                      entitle_policy** out);
void entitle_policy_free(entitle_policy* policy);
/* The policy as merged, in the policy file format (entitle-policy/1). */
entitle_status entitle_policy_json(const entitle_policy* policy, char** policy_json);

/* A claim (`claim_json`: {"event": "death", "on": "2024-06-03", "enrolment"?, "months"?,
 * "children"?: ["sd", ...], "costs"?: {"land": "3000000"}}) by a person whose facts are
 * `person_json`; the result as entitle-claim/1. */
entitle_status entitle_claim(const entitle_policy* policy, const char* person_json, size_t length,
                             const char* claim_json, char** result_json);

/* ---- Deciding: one person, or a roster ----------------------------------------------------- */

typedef struct entitle_batch entitle_batch;

/* How a policy decides, as `entitle run` takes it, as a JSON object (NULL or "{}" for the
 * defaults): "as_of" ("2024-01-01") or "period" ("2024-01..2024-12"), by default the policy's
 * dates; "rules" (the status rules, by default the enrolments'); "columns" (values added to
 * each row); "threads" (1 to 256); "strict" (a run fails at the first rejected row, with its
 * error located "line 9, column birth_date"); "settings" (as
 * for entitle_policy_compile, for a policy compiled without); and for rosters "id_column",
 * "separator" ("," ";" or "tab"), "column_names" ({"monthly_income": "penghasilan"}) and
 * "allow_missing_columns". The batch keeps the policy alive. */
entitle_status entitle_batch_new(const entitle_policy* policy, const char* options_json, entitle_batch** out);
void entitle_batch_free(entitle_batch* batch);

/* One person, their facts as a JSON object of `length` bytes (a key per fact, as `entitle explain`
 * reads them; null or absent is missing): the decision ({"rule", "as_of", "status", "verdict",
 * "reasons", "missing"}), the explanation with its trace and contributions
 * (entitle-explanation/1), or the contributions over the batch's period (entitle-statement/1). */
entitle_status entitle_decide(const entitle_batch* batch, const char* person_json, size_t length, char** result_json);
entitle_status entitle_explain(const entitle_batch* batch, const char* person_json, size_t length, char** result_json);
entitle_status entitle_contributions(const entitle_batch* batch, const char* person_json, size_t length,
                                     char** result_json);

/* A roster file (.csv, .ndjson) decided into `out_path` (.csv or .ndjson, as `entitle run --out`)
 * and, when not NULL, its rejected rows into `rejects_path`; each file appears whole or not at
 * all, and none may be the roster. `summary_json` (may be NULL) receives entitle-summary/1. */
entitle_status entitle_batch_run_file(const entitle_batch* batch, const char* roster_path, const char* out_path,
                                      const char* rejects_path, char** summary_json);

/* Receives output in pieces, in order; returns 0 to go on, anything else to stop the run (which
 * then fails with ENTITLE_INVALID_ARGUMENT, "stopped by the caller"). */
typedef int (*entitle_chunk_handler)(void* context, const char* data, size_t length);

/* A roster held in memory (`format`: "csv" or "ndjson") decided into chunks of rows in
 * `output_format` ("csv" or "ndjson", header first) handed to `on_rows`, and rejected rows (in
 * the same format) to `on_rejects` when not NULL; `context` is passed to both. */
entitle_status entitle_batch_run_buffer(const entitle_batch* batch, const char* roster, size_t length,
                                        const char* format, const char* output_format, entitle_chunk_handler on_rows,
                                        entitle_chunk_handler on_rejects, void* context, char** summary_json);

#ifdef __cplusplus
}
#endif

#endif /* ENTITLE_ENTITLE_H */
