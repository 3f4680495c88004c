/* The C interface (include/entitle/entitle.h), compiled as C11: each function on good input and
 * on each way it fails, with its status, message and location. Figures from the shipped
 * scenario files: OKU Timur 2024 (PP 44/2015 Lampiran II and Pasal 46: 12 x (Rp10.000 JKK +
 * Rp6.800 JKM) = Rp201.600 a year) and the national pack's work-accident death (PP 82/2019:
 * Rp73.500.000). Run with the policies directory and a scratch directory as arguments. */
#define _POSIX_C_SOURCE 200809L

#include <entitle/entitle.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int failures = 0;

#define CHECK(condition)                                                                                               \
  do {                                                                                                                 \
    if (!(condition)) {                                                                                                \
      ++failures;                                                                                                      \
      fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: \"%s\" at \"%s\"\n", __FILE__, __LINE__, #condition,       \
              entitle_last_error_message(), entitle_last_error_location());                                            \
    }                                                                                                                  \
  } while (0)

static int contains(const char* text, const char* part) { return text && strstr(text, part) != NULL; }

static const char* oku = "oku-timur/pekerja-rentan-2024-iuran";
static const char* farmer = "{\"nik\": \"1608010101800001\", \"domicile_code\": \"16.08.01.2001\", "
                            "\"birth_date\": \"1980-01-01\", \"employment\": \"informal\", \"occupation\": \"petani\", "
                            "\"extreme_poor\": false, \"monthly_income\": 2000000, \"enrolled_bpjs_tk\": false}";
static const char* roster_csv = "id,nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,"
                                "enrolled_bpjs_tk\n"
                                "A1,1608010101800001,16.08.01.2001,1980-01-01,informal,petani,false,2000000,false\n"
                                "A2,1608010101800002,16.08.01.2001,1980-13-01,informal,petani,false,2000000,false\n"
                                "A3,1608010101800003,16.08.01.2001,1980-01-01,asn,petani,false,5000000,false\n";

static void versions(void) {
  CHECK(entitle_abi_version() == ENTITLE_ABI_VERSION);
  CHECK(strlen(entitle_version()) > 0);
  entitle_free(NULL); /* ignored */
}

static void libraries(const char* policies) {
  entitle_library* library = NULL;
  char* ids = NULL;
  char* id = NULL;
  CHECK(entitle_library_new(&library) == ENTITLE_OK);
  CHECK(entitle_library_add_directory(library, policies) == ENTITLE_OK);
  CHECK(entitle_library_ids(library, &ids) == ENTITLE_OK);
  CHECK(contains(ids, "\"oku-timur/pekerja-rentan-2024-iuran\""));
  entitle_free(ids);
  /* A policy as text: its id back; not JSON: located at line and column. */
  const char* text = "{\"format\": \"entitle-policy/1\", \"id\": \"test/c\", \"title\": \"t\", "
                     "\"facts\": {\"age\": {\"type\": \"integer\"}}, \"rules\": [{\"id\": \"adult\", \"label\": \"l\", "
                     "\"reason\": \"R\", \"citation\": \"c\", \"when\": {\"fact\": \"age\", \">=\": 18}}]}";
  CHECK(entitle_library_add_json(library, text, strlen(text), "c.json", &id) == ENTITLE_OK);
  CHECK(id && strcmp(id, "test/c") == 0);
  entitle_free(id);
  CHECK(entitle_library_add_json(library, "{\"format\": ", 11, "broken.json", NULL) == ENTITLE_INVALID_SYNTAX);
  CHECK(contains(entitle_last_error_message(), "broken.json"));
  CHECK(entitle_library_add_directory(library, "no-such-directory") != ENTITLE_OK);
  CHECK(contains(entitle_last_error_message(), "no-such-directory"));
  /* A success clears the last error. */
  CHECK(entitle_library_ids(library, &ids) == ENTITLE_OK && strcmp(entitle_last_error_message(), "") == 0);
  entitle_free(ids);
  entitle_library_free(library);
}

static void null_arguments(void) {
  entitle_policy* policy = NULL;
  CHECK(entitle_library_new(NULL) == ENTITLE_INVALID_ARGUMENT);
  CHECK(entitle_policy_compile(NULL, oku, NULL, &policy) == ENTITLE_INVALID_ARGUMENT);
  CHECK(strcmp(entitle_last_error_message(), "library is NULL") == 0);
  CHECK(entitle_decide(NULL, "{}", 2, NULL) == ENTITLE_INVALID_ARGUMENT);
  CHECK(entitle_batch_new(NULL, NULL, NULL) == ENTITLE_INVALID_ARGUMENT);
  entitle_library_free(NULL);
  entitle_policy_free(NULL);
  entitle_batch_free(NULL);
}

static entitle_policy* compiled(entitle_library* library, const char* id, const char* settings) {
  entitle_policy* policy = NULL;
  CHECK(entitle_policy_compile(library, id, settings, &policy) == ENTITLE_OK);
  return policy;
}

static void policies_and_claims(const char* policies) {
  entitle_library* library = NULL;
  entitle_policy* policy = NULL;
  char* text = NULL;
  CHECK(entitle_library_new(&library) == ENTITLE_OK);
  CHECK(entitle_library_add_directory(library, policies) == ENTITLE_OK);
  CHECK(entitle_policy_compile(library, "no/such-policy", NULL, &policy) == ENTITLE_INVALID_SYNTAX);
  CHECK(contains(entitle_last_error_message(), "no policy called \"no/such-policy\""));
  CHECK(policy == NULL);
  /* Settings: a quota below zero is out of range at the setting; a value not a string is located. */
  CHECK(entitle_policy_compile(library, oku, "{\"apbd_oku_timur_2024.quota\": \"-1\"}", &policy) != ENTITLE_OK);
  CHECK(contains(entitle_last_error_location(), "apbd_oku_timur_2024.quota"));
  CHECK(entitle_policy_compile(library, oku, "{\"apbd_oku_timur_2024.quota\": 1000}", &policy) ==
        ENTITLE_INVALID_SYNTAX);
  CHECK(strcmp(entitle_last_error_location(), "/apbd_oku_timur_2024.quota") == 0);
  policy = compiled(library, oku, "{\"apbd_oku_timur_2024.quota\": \"1000\"}");
  CHECK(entitle_policy_json(policy, &text) == ENTITLE_OK);
  CHECK(contains(text, "\"id\":\"oku-timur/pekerja-rentan-2024-iuran\"") && contains(text, "\"quota\":1000"));
  entitle_free(text);
  entitle_policy_free(policy);

  /* The national pack's work-accident death: Rp73.500.000 (see the file's head). */
  policy = compiled(library, "id/bpjs-ketenagakerjaan", NULL);
  const char* person = "{\"declared_income\": 1000000, \"contribution_months\": 3, \"membership_active\": true}";
  CHECK(
      entitle_claim(policy, person, strlen(person),
                    "{\"event\": \"work_accident_death\", \"on\": \"2024-05-10\", \"children\": [\"tk_sd\", \"smp\"]}",
                    &text) == ENTITLE_OK);
  CHECK(contains(text, "\"format\":\"entitle-claim/1\"") && contains(text, "\"total\":73500000"));
  entitle_free(text);
  /* A work accident's land transport refunded: Rp3.000.000, under PP 82/2019's cap of Rp5.000.000. */
  CHECK(entitle_claim(policy, person, strlen(person),
                      "{\"event\": \"work_accident\", \"on\": \"2024-05-10\", \"costs\": {\"land\": \"3000000\"}}",
                      &text) == ENTITLE_OK);
  CHECK(contains(text, "\"benefit\":\"jkk_transportasi\"") && contains(text, "\"amount\":3000000"));
  entitle_free(text);
  CHECK(entitle_claim(policy, person, strlen(person), "{\"event\": \"death\", \"on\": \"2024-02-30\"}", &text) ==
        ENTITLE_INVALID_DATE);
  CHECK(strcmp(entitle_last_error_location(), "/on") == 0);
  CHECK(entitle_claim(policy, person, strlen(person), "{\"event\": \"death\", \"on\": \"2024-05-10\", \"months\": -1}",
                      &text) == ENTITLE_OUT_OF_RANGE);
  const char* lots = "{\"declared_income\": \"lots\"}";
  CHECK(entitle_claim(policy, lots, strlen(lots), "{\"event\": \"death\", \"on\": \"2024-05-10\"}", &text) !=
        ENTITLE_OK);
  CHECK(strcmp(entitle_last_error_location(), "/declared_income") == 0);
  entitle_policy_free(policy);
  entitle_library_free(library);
}

static void one_person(entitle_policy* policy) {
  entitle_batch* batch = NULL;
  char* text = NULL;
  CHECK(entitle_batch_new(policy, "{\"as_of\": \"2024-02-30\"}", &batch) == ENTITLE_INVALID_DATE);
  CHECK(strcmp(entitle_last_error_location(), "/as_of") == 0);
  CHECK(entitle_batch_new(policy, "{\"as_of\": \"2024-01-01\", \"color\": 1}", &batch) == ENTITLE_INVALID_SYNTAX);
  CHECK(contains(entitle_last_error_message(), "color"));
  CHECK(entitle_batch_new(policy, "{\"period\": \"2023-01..2023-12\"}", &batch) == ENTITLE_NOT_IN_FORCE);
  CHECK(entitle_batch_new(policy, "{\"threads\": 0}", &batch) == ENTITLE_OUT_OF_RANGE);
  CHECK(strcmp(entitle_last_error_location(), "/threads") == 0);
  CHECK(entitle_batch_new(policy, "{\"period\": \"2024-01..2024-12\"}", &batch) == ENTITLE_OK);

  CHECK(entitle_decide(batch, farmer, strlen(farmer), &text) == ENTITLE_OK);
  CHECK(contains(text, "\"status\":\"eligible\"") && !contains(text, "trace"));
  entitle_free(text);
  CHECK(entitle_explain(batch, farmer, strlen(farmer), &text) == ENTITLE_OK);
  CHECK(contains(text, "\"format\":\"entitle-explanation/1\"") && contains(text, "\"trace\""));
  entitle_free(text);
  /* 12 x (Rp10.000 + Rp6.800) = Rp201.600, paid by the regency. */
  CHECK(entitle_contributions(batch, farmer, strlen(farmer), &text) == ENTITLE_OK);
  CHECK(contains(text, "\"format\":\"entitle-statement/1\"") && contains(text, "\"total\":201600"));
  entitle_free(text);
  /* No income: undetermined, the income named as missing. */
  const char* unknown = "{\"nik\": \"1608010101800001\", \"domicile_code\": \"16.08.01.2001\", "
                        "\"birth_date\": \"1980-01-01\", \"employment\": \"informal\", \"enrolled_bpjs_tk\": false}";
  CHECK(entitle_decide(batch, unknown, strlen(unknown), &text) == ENTITLE_OK);
  CHECK(contains(text, "\"status\":\"undetermined\"") && contains(text, "monthly_income"));
  entitle_free(text);
  const char* month_13 = "{\"birth_date\": \"1980-13-01\"}";
  CHECK(entitle_decide(batch, month_13, strlen(month_13), &text) != ENTITLE_OK);
  CHECK(strcmp(entitle_last_error_location(), "/birth_date") == 0);
  CHECK(entitle_decide(batch, "[1, 2]", 6, &text) == ENTITLE_INVALID_SYNTAX);
  CHECK(entitle_decide(batch, NULL, 3, &text) == ENTITLE_INVALID_ARGUMENT);
  entitle_batch_free(batch);
}

static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  if (!f) return NULL;
  char* text = calloc(1, 1 << 16);
  if (text) fread(text, 1, (1 << 16) - 1, f);
  fclose(f);
  return text;
}

static int write_file(const char* path, const char* text) {
  FILE* f = fopen(path, "wb");
  if (!f) return 0;
  fputs(text, f);
  return fclose(f) == 0;
}

static void roster_files(entitle_policy* policy, const char* scratch) {
  char roster[4096], out[4096], rejects[4096];
  snprintf(roster, sizeof roster, "%s/roster.csv", scratch);
  snprintf(out, sizeof out, "%s/decisions.csv", scratch);
  snprintf(rejects, sizeof rejects, "%s/rejects.csv", scratch);
  CHECK(write_file(roster, roster_csv));
  entitle_batch* batch = NULL;
  char* summary = NULL;
  CHECK(entitle_batch_new(policy, "{\"period\": \"2024-01..2024-12\"}", &batch) == ENTITLE_OK);
  CHECK(entitle_batch_run_file(batch, roster, out, rejects, &summary) == ENTITLE_OK);
  CHECK(contains(summary, "\"rows\":{\"read\":3,\"decided\":2,\"rejected\":1"));
  CHECK(contains(summary, "\"total\":201600")); /* A1 only: A3 is a civil servant */
  entitle_free(summary);
  char* decided = read_file(out);
  CHECK(contains(decided, "A1,eligible,") && contains(decided, "A3,ineligible,") && !contains(decided, "A2,"));
  free(decided);
  char* rejected = read_file(rejects);
  CHECK(contains(rejected, "3,A2,birth_date,"));
  free(rejected);
  /* No output overwrites the roster; a roster that is not there; an output the name of which says no format. */
  CHECK(entitle_batch_run_file(batch, roster, roster, NULL, NULL) == ENTITLE_INVALID_ARGUMENT);
  CHECK(contains(entitle_last_error_message(), "is the roster"));
  char* kept = read_file(roster);
  CHECK(kept && strcmp(kept, roster_csv) == 0);
  free(kept);
  CHECK(entitle_batch_run_file(batch, roster, out, out, NULL) == ENTITLE_INVALID_ARGUMENT);
  CHECK(contains(entitle_last_error_message(), "name the same file"));
  CHECK(entitle_batch_run_file(batch, "no-such-roster.csv", out, NULL, NULL) == ENTITLE_IO);
  CHECK(contains(entitle_last_error_message(), "no-such-roster.csv"));
  CHECK(entitle_batch_run_file(batch, roster, "decisions.txt", NULL, NULL) == ENTITLE_INVALID_SYNTAX);
  entitle_batch_free(batch);
  /* Strict: the run fails at the first rejected row, by line. */
  CHECK(entitle_batch_new(policy, "{\"period\": \"2024-01..2024-12\", \"strict\": true}", &batch) == ENTITLE_OK);
  CHECK(entitle_batch_run_file(batch, roster, out, NULL, NULL) != ENTITLE_OK);
  CHECK(contains(entitle_last_error_location(), "line 3"));
  entitle_batch_free(batch);
}

struct collected {
  char rows[1 << 14];
  char rejects[1 << 14];
  int calls;
  int stop_after;
};

static void append(char* into, size_t size, const char* data, size_t length) {
  const size_t used = strlen(into);
  if (used + length < size) memcpy(into + used, data, length);
}

static int on_rows(void* context, const char* data, size_t length) {
  struct collected* c = context;
  append(c->rows, sizeof c->rows, data, length);
  return ++c->calls > c->stop_after;
}

static int on_rejects(void* context, const char* data, size_t length) {
  struct collected* c = context;
  append(c->rejects, sizeof c->rejects, data, length);
  return 0;
}

static void roster_buffers(entitle_policy* policy) {
  entitle_batch* batch = NULL;
  char* summary = NULL;
  static struct collected c;
  c.stop_after = 100;
  CHECK(entitle_batch_new(policy, "{\"period\": \"2024-01..2024-12\"}", &batch) == ENTITLE_OK);
  CHECK(entitle_batch_run_buffer(batch, roster_csv, strlen(roster_csv), "csv", "ndjson", on_rows, on_rejects, &c,
                                 &summary) == ENTITLE_OK);
  CHECK(contains(c.rows, "{\"id\":\"A1\",\"status\":\"eligible\"") && contains(c.rows, "\"id\":\"A3\""));
  CHECK(contains(c.rejects, "\"line\":3") && contains(c.rejects, "\"id\":\"A2\""));
  CHECK(contains(summary, "\"rows\":{\"read\":3,\"decided\":2,\"rejected\":1"));
  entitle_free(summary);
  /* A handler that stops the run; a format that is none. */
  memset(&c, 0, sizeof c);
  CHECK(entitle_batch_run_buffer(batch, roster_csv, strlen(roster_csv), "csv", "csv", on_rows, NULL, &c, NULL) ==
        ENTITLE_INVALID_ARGUMENT);
  CHECK(strcmp(entitle_last_error_message(), "stopped by the caller") == 0);
  CHECK(entitle_batch_run_buffer(batch, roster_csv, strlen(roster_csv), "xlsx", "csv", on_rows, NULL, &c, NULL) ==
        ENTITLE_INVALID_ARGUMENT);
  CHECK(entitle_batch_run_buffer(batch, "id,nik\nA1,1\n", 12, "csv", "csv", on_rows, NULL, &c, NULL) ==
        ENTITLE_INVALID_SYNTAX);
  CHECK(contains(entitle_last_error_message(), "birth_date"));
  entitle_batch_free(batch);
}

/* A spreadsheet's Indonesian header, "penghasilan", gives the income. */
static void column_names(entitle_policy* policy) {
  entitle_batch* batch = NULL;
  char* summary = NULL;
  static struct collected c;
  c.stop_after = 100;
  const char* renamed =
      "id,nik,domicile_code,birth_date,employment,occupation,extreme_poor,penghasilan,enrolled_bpjs_tk\n"
      "A1,1608010101800001,16.08.01.2001,1980-01-01,informal,petani,false,2000000,false\n";
  CHECK(entitle_batch_new(policy, "{\"period\": \"2024-01..2024-12\", \"column_names\": {\"monthly_income\": 7}}",
                          &batch) == ENTITLE_INVALID_SYNTAX);
  CHECK(strcmp(entitle_last_error_location(), "/column_names/monthly_income") == 0);
  CHECK(entitle_batch_new(policy,
                          "{\"period\": \"2024-01..2024-12\", \"column_names\": {\"monthly_income\": \"penghasilan\"}}",
                          &batch) == ENTITLE_OK);
  CHECK(entitle_batch_run_buffer(batch, renamed, strlen(renamed), "csv", "csv", on_rows, NULL, &c, &summary) ==
        ENTITLE_OK);
  CHECK(contains(c.rows, "A1,eligible,") && contains(summary, "\"total\":201600"));
  entitle_free(summary);
  entitle_batch_free(batch);
}

/* A batch outlives the library and the policy handle it was made from. */
static void lifetimes(const char* policies) {
  entitle_library* library = NULL;
  entitle_batch* batch = NULL;
  char* text = NULL;
  CHECK(entitle_library_new(&library) == ENTITLE_OK);
  CHECK(entitle_library_add_directory(library, policies) == ENTITLE_OK);
  entitle_policy* policy = compiled(library, oku, NULL);
  CHECK(entitle_batch_new(policy, "{\"as_of\": \"2024-03-01\"}", &batch) == ENTITLE_OK);
  entitle_policy_free(policy);
  entitle_library_free(library);
  CHECK(entitle_contributions(batch, farmer, strlen(farmer), &text) == ENTITLE_OK);
  CHECK(contains(text, "\"total\":16800")); /* one month: Rp10.000 + Rp6.800 */
  entitle_free(text);
  entitle_batch_free(batch);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: c_api_test POLICIES_DIR SCRATCH_DIR\n");
    return 2;
  }
  if (mkdir(argv[2], 0777) != 0 && errno != EEXIST) {
    perror(argv[2]);
    return 2;
  }
  versions();
  libraries(argv[1]);
  null_arguments();
  policies_and_claims(argv[1]);
  entitle_library* library = NULL;
  CHECK(entitle_library_new(&library) == ENTITLE_OK);
  CHECK(entitle_library_add_directory(library, argv[1]) == ENTITLE_OK);
  entitle_policy* policy = compiled(library, oku, NULL);
  one_person(policy);
  roster_files(policy, argv[2]);
  roster_buffers(policy);
  column_names(policy);
  entitle_policy_free(policy);
  entitle_library_free(library);
  lifetimes(argv[1]);
  if (failures)
    fprintf(stderr, "%d checks failed\n", failures);
  else
    printf("all checks passed\n");
  return failures ? 1 : 0;
}
