# Runs the entitle tool as a user would, on the fixtures of tests/data/batch (expected outputs
# worked out by hand in tests/data/batch/README.md), and checks exit codes, outputs and that a
# failed run leaves no file behind.
#   cmake -DENTITLE=<tool> -DPOLICIES=<policies dir> -DDATA=<tests/data/batch> -DWORK=<scratch dir> -P cli_test.cmake
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
set(failures 0)

# expect(<what> <condition>): the condition is if() syntax, given as one string.
function(expect what condition)
  cmake_language(EVAL CODE "if(${condition})\n set(holds TRUE)\nelse()\n set(holds FALSE)\nendif()")
  if(NOT holds)
    message(SEND_ERROR "FAILED: ${what}")
    math(EXPR failures "${failures} + 1")
    set(failures ${failures} PARENT_SCOPE)
  endif()
endfunction()

# entitle(<name> <expected exit code> args...): runs the tool; its output is in ${name}_out and ${name}_err.
function(entitle name expected)
  execute_process(COMMAND ${ENTITLE} ${ARGN} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err
                  WORKING_DIRECTORY ${WORK})
  if(NOT code STREQUAL "${expected}")
    message(SEND_ERROR "FAILED: entitle ${ARGN}: exit ${code}, expected ${expected}\n${out}\n${err}")
    math(EXPR failures "${failures} + 1")
    set(failures ${failures} PARENT_SCOPE)
  endif()
  set(${name}_out "${out}" PARENT_SCOPE)
  set(${name}_err "${err}" PARENT_SCOPE)
endfunction()

function(expect_same_file what actual expected)
  execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${actual} ${expected} RESULT_VARIABLE differ)
  if(differ)
    message(SEND_ERROR "FAILED: ${what}: ${actual} differs from ${expected}")
    math(EXPR failures "${failures} + 1")
    set(failures ${failures} PARENT_SCOPE)
  endif()
endfunction()

set(quota3 ${DATA}/oku-quota-3.json)
set(roster ${DATA}/oku-small.csv)

# A quota of 3: one row rejected, so exit 1; outputs as worked out by hand.
entitle(run 1 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --period 2024-01..2024-12
        --out ${WORK}/decisions.csv --summary ${WORK}/summary.json --rejects ${WORK}/rejects.csv)
expect_same_file("decisions, quota of 3" ${WORK}/decisions.csv ${DATA}/oku-quota-3.expected.csv)
expect_same_file("rejected rows" ${WORK}/rejects.csv ${DATA}/oku-quota-3.rejects.csv)
file(READ ${WORK}/summary.json summary)
string(JSON read GET "${summary}" rows read)
string(JSON decided GET "${summary}" rows decided)
string(JSON rejected GET "${summary}" rows rejected)
string(JSON funded GET "${summary}" quotas 0 funded)
string(JSON spent GET "${summary}" quotas 0 spent)
expect("read = decided + rejected: 9 = 8 + 1" "read EQUAL 9 AND decided EQUAL 8 AND rejected EQUAL 1")
expect("3 funded, Rp604.800 spent" "funded EQUAL 3 AND spent EQUAL 604800")
expect("the table on stdout" "run_out MATCHES \"rows read 9 = decided 8 \\\\+ rejected 1\"")

# Two threads, and the budget variant.
entitle(threads 1 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --period 2024-01..2024-12
        --out ${WORK}/decisions-2.csv --threads 2)
expect_same_file("two threads" ${WORK}/decisions-2.csv ${DATA}/oku-quota-3.expected.csv)
entitle(budget 1 run --policy ${DATA}/oku-budget-500k.json --policies ${POLICIES} --roster ${roster}
        --out ${WORK}/budget.csv)
expect_same_file("a budget of Rp500.000" ${WORK}/budget.csv ${DATA}/oku-budget-500k.expected.csv)

# Standard input: read once (docs/batch.md, "Rosters read once"), the same decisions as the file;
# NDJSON when --roster-format says so.
execute_process(COMMAND ${ENTITLE} run --policy ${quota3} --policies ${POLICIES} --roster - --period 2024-01..2024-12
                --out ${WORK}/stdin.csv INPUT_FILE ${roster} RESULT_VARIABLE code OUTPUT_QUIET ERROR_QUIET)
expect("standard input: exit 1 (one row rejected)" "code EQUAL 1")
expect_same_file("decisions from standard input" ${WORK}/stdin.csv ${DATA}/oku-quota-3.expected.csv)
execute_process(COMMAND ${ENTITLE} run --policy ${quota3} --policies ${POLICIES} --roster - --roster-format ndjson
                --period 2024-01..2024-12 --out ${WORK}/stdin-ndjson.csv INPUT_FILE ${DATA}/oku-small.ndjson
                RESULT_VARIABLE code OUTPUT_QUIET ERROR_QUIET)
expect("NDJSON on standard input: exit 1" "code EQUAL 1")
expect_same_file("NDJSON decisions from standard input" ${WORK}/stdin-ndjson.csv ${DATA}/oku-quota-3.expected.csv)
entitle(roster_format 2 run --policy ${quota3} --policies ${POLICIES} --roster - --roster-format xlsx
        --out ${WORK}/never.csv)
expect("a bad --roster-format" "roster_format_err MATCHES \"--roster-format xlsx: expected csv or ndjson\"")

# --strict stops at line 9 and leaves no file behind.
entitle(strict 4 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --out ${WORK}/strict.csv
        --summary ${WORK}/strict.json --rejects ${WORK}/strict-rejects.csv --strict)
expect("strict names line 9" "strict_err MATCHES \"line 9, column birth_date\"")
file(GLOB left ${WORK}/strict*)
expect("no file after a failed run" "\"${left}\" STREQUAL \"\"")

# An output that cannot be written: exit 5, nothing written.
entitle(unwritable 5 run --policy ${quota3} --policies ${POLICIES} --roster ${roster}
        --out ${WORK}/no-such-dir/out.csv)
expect("no directory made" "NOT EXISTS ${WORK}/no-such-dir")

# Outputs that are the same file, or the roster itself: exit 2, nothing written.
entitle(same 2 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --out ${WORK}/same.csv
        --rejects ${WORK}/same.csv)
expect("the same file named twice" "same_err MATCHES \"--rejects [^ ]*same.csv and --out [^ ]*same.csv name the same file\"")
entitle(overwrite 2 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --out ${roster})
expect("the roster is never overwritten" "overwrite_err MATCHES \"--out [^ ]*oku-small.csv and --roster [^ ]*oku-small.csv name the same file\"")
# A rejects file that is a directory: exit 5 before anything is written.
file(MAKE_DIRECTORY ${WORK}/rejects-dir.csv)
entitle(rejdir 5 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --out ${WORK}/first.csv
        --rejects ${WORK}/rejects-dir.csv)
expect("no decisions file when the rejects cannot be written" "NOT EXISTS ${WORK}/first.csv")
# Upper-case extensions are understood.
entitle(upper 1 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --out ${WORK}/UPPER.CSV)
expect_same_file("an upper-case .CSV" ${WORK}/UPPER.CSV ${DATA}/oku-quota-3.expected.csv)

# A roster that is not there, a directory, a bad header: exit 4.
entitle(rosterdir 4 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/rejects-dir.csv
        --out ${WORK}/x.csv)
expect("a directory is not a roster" "rosterdir_err MATCHES \"is a directory\"")
entitle(missing 4 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/none.csv --out ${WORK}/x.csv)
file(WRITE ${WORK}/no-id.csv "nik,birth_date\n1608010101800001,1980-01-01\n")
entitle(noid 4 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/no-id.csv --out ${WORK}/x.csv)
expect("the header names the id column" "noid_err MATCHES \"id\"")
expect("no output after a bad roster" "NOT EXISTS ${WORK}/x.csv")

# Relative names, from the working directory (${WORK}): "decisions.csv" as the README writes it,
# "./", and "sub/..".
file(MAKE_DIRECTORY ${WORK}/sub)
entitle(relative 1 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --period 2024-01..2024-12
        --out rel-decisions.csv --summary sub/../rel-summary.txt --rejects ./rel-rejects.csv)
expect_same_file("a relative --out" ${WORK}/rel-decisions.csv ${DATA}/oku-quota-3.expected.csv)
expect_same_file("a relative --rejects" ${WORK}/rel-rejects.csv ${DATA}/oku-quota-3.rejects.csv)
expect("a relative --summary through .." "EXISTS ${WORK}/rel-summary.txt")

# No output may be an input, whatever path names it. A library of its own, so that the shipped
# policies are never at risk.
file(COPY ${POLICIES}/ DESTINATION ${WORK}/lib)
set(iuran lib/oku-timur/pekerja-rentan-2024-iuran.json)
file(SHA256 ${WORK}/${iuran} iuran_before)
file(COPY ${roster} DESTINATION ${WORK})
set(local_run run --policy ${iuran} --roster oku-small.csv --period 2024-01..2024-12)
entitle(outpolicy 2 ${local_run} --out o.csv --summary ${iuran})
expect("--summary naming the policy" "outpolicy_err MATCHES \"--summary ${iuran} and --policy ${iuran} name the same file\"")
file(SHA256 ${WORK}/${iuran} iuran_after)
expect("the policy is untouched" "iuran_before STREQUAL iuran_after")
entitle(outdots 2 ${local_run} --out o.csv --summary lib/id/../oku-timur/./pekerja-rentan-2024-iuran.json)
expect("the policy through .. and ." "outdots_err MATCHES \"and --policy ${iuran} name the same file\"")
file(CREATE_LINK ${WORK}/oku-small.csv ${WORK}/roster-link.csv SYMBOLIC)
entitle(outsymlink 2 ${local_run} --out roster-link.csv)
expect("a symlink to the roster" "outsymlink_err MATCHES \"--out roster-link.csv and --roster oku-small.csv name the same file\"")
file(CREATE_LINK ${WORK}/lib/id/bpjs-ketenagakerjaan.json ${WORK}/pack-hardlink.json)
entitle(outhardlink 2 ${local_run} --out o.csv --summary pack-hardlink.json)
expect("a hard link to a file of the policies directory"
       "outhardlink_err MATCHES \"--summary pack-hardlink.json and lib/id/bpjs-ketenagakerjaan.json, in the policies directory lib, name the same file\"")
entitle(outinlib 2 ${local_run} --out o.csv --summary lib/oku-timur/summary.json)
expect("a new file in the policies directory"
       "outinlib_err MATCHES \"--summary lib/oku-timur/summary.json is in the policies directory lib, which this run reads\"")
entitle(outinflag 2 run --policy oku-timur/pekerja-rentan-2024-iuran --policies lib --roster oku-small.csv
        --period 2024-01..2024-12 --out lib/o.csv)
expect("a file in a --policies directory" "outinflag_err MATCHES \"--out lib/o.csv is in the policies directory lib\"")
entitle(outtwice 2 ${local_run} --out twice.csv --rejects ./sub/../twice.csv)
expect("two outputs naming one file" "outtwice_err MATCHES \"--rejects ./sub/../twice.csv and --out twice.csv name the same file\"")
file(GLOB written ${WORK}/o.csv ${WORK}/twice.csv ${WORK}/lib/o.csv ${WORK}/lib/oku-timur/summary.json)
expect("nothing written by a refused run" "\"${written}\" STREQUAL \"\"")

# A policies folder as people keep it: a backup copy and a summary among the policies are ignored
# until a policy needs their id, and then both files are named.
file(COPY ${POLICIES}/ DESTINATION ${WORK}/kept)
file(COPY_FILE ${WORK}/kept/oku-timur/pekerja-rentan-2024.json "${WORK}/kept/oku-timur/pekerja-rentan-2024 - Copy.json")
file(WRITE ${WORK}/kept/summary.json [[{"format": "entitle-summary/1", "policy": "oku-timur/pekerja-rentan-2024-iuran"}]])
file(WRITE ${WORK}/kept/notes.json "not JSON at all")
entitle(kotabaru 0 check kept/kotabaru/pekerja-rentan-2024.json)
expect("an unrelated copy and stray files are ignored" "kotabaru_out MATCHES \"valid\"")
entitle(copyneeded 3 check kept/oku-timur/pekerja-rentan-2024-iuran.json)
expect("a needed id given by two files names both"
       "copyneeded_err MATCHES \"the policy \\\"oku-timur/pekerja-rentan-2024\\\" is given by 2 files, kept/oku-timur/pekerja-rentan-2024 - Copy.json and kept/oku-timur/pekerja-rentan-2024.json: keep one of them\"")
entitle(byid 0 check kotabaru/pekerja-rentan-2024 --policies kept)
expect("by id from a kept folder" "byid_out MATCHES \"valid\"")
entitle(noid 3 check no/such-policy --policies kept)
expect("a missing id names the files that are not policies"
       "noid_err MATCHES \"no policy called \\\"no/such-policy\\\" is in the library.*these files are not policies: kept/notes.json and kept/summary.json\"")

# check: a valid policy, and one with an error at a JSON location.
entitle(check 0 check ${POLICIES}/oku-timur/pekerja-rentan-2024-iuran.json)
expect("check lists the subsidy" "check_out MATCHES \"apbd_oku_timur_2024: PEMKAB_OKU_TIMUR pays 100%\"")
expect("check says valid" "check_out MATCHES \"valid\"")
file(WRITE ${WORK}/bad-policy.json [[{"format": "entitle-policy/1", "id": "bad", "facts": {"age": {"type": "integer"}},
  "rules": [{"id": "adult", "label": "Adult", "reason": "MINOR", "citation": "none",
             "when": {"fact": "age", ">=": "eighteen"}}]}]])
entitle(badpolicy 3 check ${WORK}/bad-policy.json)
expect("a policy error names its file, then its JSON location"
       "badpolicy_err MATCHES \"entitle: [^ ]*bad-policy.json: /rules/0/when/>=: the integer fact\"")

# explain: a waitlisted person, and facts on standard input.
entitle(explain 0 explain --policy ${quota3} --policies ${POLICIES} --roster ${roster} --id A3)
expect("A3 is waitlisted at rank 4" "explain_out MATCHES \"waitlisted at rank 4 of 6 candidates\"")
file(WRITE ${WORK}/person.json [[{"nik": "1608010101800001", "domicile_code": "16.07.01.2001",
  "birth_date": "1980-01-01", "employment": "informal", "occupation": "petani", "extreme_poor": true,
  "monthly_income": 1000000, "enrolled_bpjs_tk": false}]])
execute_process(COMMAND ${ENTITLE} explain --policy ${quota3} --policies ${POLICIES} --as-of 2024-03-01
                INPUT_FILE ${WORK}/person.json RESULT_VARIABLE code OUTPUT_VARIABLE stdin_out)
expect("explain from stdin" "code EQUAL 0 AND stdin_out MATCHES \"ineligible \\\\(BUKAN_PENDUDUK_OKU_TIMUR\\\\)\"")

# claim: a work-accident death of a non-wage worker declared at Rp1.000.000 with two children in
# school: 48 x 1,000,000 + 12,000,000 + 10,000,000 + 1,500,000 + 2,000,000 = Rp73.500.000 (PP 82/2019).
file(WRITE ${WORK}/heir.json [[{"declared_income": 1000000, "contribution_months": 3, "membership_active": true}]])
entitle(claim 0 claim --policy ${POLICIES}/id/bpjs-ketenagakerjaan.json --event work_accident_death --on 2024-05-10
        --child tk_sd --child smp --facts ${WORK}/heir.json)
expect("the claim's total" "claim_out MATCHES \"Rp73.500.000\"")
expect("48 times the declared income" "claim_out MATCHES \"48 × Rp1.000.000 \\\\(declared_income\\\\)\"")
entitle(badevent 2 claim --policy ${POLICIES}/id/bpjs-ketenagakerjaan.json --event deaht --on 2024-05-10
        --facts ${WORK}/heir.json)
expect("an unknown event lists the events" "badevent_err MATCHES \"the events are\"")

# claim against coverage: a civil servant (ASN) under OKU Timur's vulnerable-worker program was
# never covered by it: refused with the enrolment rule's reason, Rp0, exit 0; the same Quran
# teacher as an informal worker is covered, and a work-accident death is 48 x the registered
# Rp1.000.000 (PP 44/2015 Lampiran III jo PP 82/2019), not 48 x the declared Rp3.000.000:
# 48,000,000 + 12,000,000 + 10,000,000 = Rp70.000.000.
set(teacher [[{"nik": "1608021503750004", "domicile_code": "16.08.02.2011", "birth_date": "1975-03-15",
  "occupation": "guru_mengaji", "extreme_poor": false, "monthly_income": 900000, "enrolled_bpjs_tk": false,
  "declared_income": 3000000, "contribution_months": 4, "membership_active": true, "employment": ]])
file(WRITE ${WORK}/asn.json "${teacher}\"asn\"}")
file(WRITE ${WORK}/informal.json "${teacher}\"informal\"}")
set(rentan ${POLICIES}/oku-timur/pekerja-rentan-2024-iuran.json)
entitle(asn 0 claim --policy ${rentan} --event death --on 2024-05-10 --facts ${WORK}/asn.json)
expect("an ASN's claim pays nothing" "asn_out MATCHES \"under oku-timur/pekerja-rentan-2024-iuran: Rp0\\n\"")
expect("an ASN's claim says why"
       "asn_out MATCHES \"not covered on 2024-05-10: the enrolment pekerja_rentan_bpu does not select the person: Bukan ASN \\\\(ASN\\\\): employment != asn, actual asn\"")
expect("no benefit of an ASN's claim is payable" "NOT asn_out MATCHES \"✓\"")
entitle(asn_json 0 claim --policy ${rentan} --event death --on 2024-05-10 --facts ${WORK}/asn.json --json)
string(JSON asn_status GET "${asn_json_out}" coverage status)
string(JSON asn_total GET "${asn_json_out}" total)
expect("the JSON says not_covered, total 0" "asn_status STREQUAL \"not_covered\" AND asn_total EQUAL 0")
entitle(covered 0 claim --policy ${rentan} --event work_accident_death --on 2024-05-10 --facts ${WORK}/informal.json)
expect("a covered worker's claim is 48 x the registered base" "covered_out MATCHES \"Rp70.000.000\\n\"")
expect("the base is the enrolment's"
       "covered_out MATCHES \"48 × Rp1.000.000 \\\\(the base pekerja_rentan_bpu registers for JKK\\\\)\"")
entitle(before 0 claim --policy ${rentan} --event death --on 2023-12-15 --facts ${WORK}/informal.json)
expect("a death before the program started is refused"
       "before_out MATCHES \"Rp0\\n\" AND before_out MATCHES \"the event on 2023-12-15 is before it starts\"")
entitle(badenrolment 2 claim --policy ${rentan} --event death --on 2024-05-10 --enrolment rentan
        --facts ${WORK}/informal.json)
expect("an unknown enrolment lists the enrolments" "badenrolment_err MATCHES \"its enrolments are \\\"pekerja_rentan_bpu\\\"\"")

# demo, help, usage errors.
entitle(demo 0 demo)
expect("the demo fills the quota" "demo_out MATCHES \"4650 funded of 4650\"")
expect("the demo spends the budget" "demo_out MATCHES \"spent Rp937.440.000 of Rp937.440.000\"")
# The 616 people the quota leaves out (5,266 eligible - 4,650) pay nothing and are quoted their
# price, 616 x (Rp10.000 + Rp6.800) = Rp10.348.800 a month (PP 44/2015), apart from the regency's
# 4,650 x Rp16.800 = Rp78.120.000.
expect("the demo quotes the waitlisted apart"
       "demo_out MATCHES \" 2024-01 +Rp0 +Rp78.120.000 +Rp78.120.000 +Rp10.348.800\n\"")
expect("the demo says who is quoted" "demo_out MATCHES \"quoted to 616 people no capped subsidy could fund\"")
foreach(command check run explain claim demo)
  entitle(help_${command} 0 ${command} --help)
  expect("${command} --help" "help_${command}_out MATCHES \"Usage: entitle ${command}\"")
endforeach()
entitle(help 0 --help)
entitle(unknown 2 run --policy ${quota3} --bogus)
expect("an unknown option is named" "unknown_err MATCHES \"unknown option --bogus\"")
entitle(both 2 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --out ${WORK}/y.csv
        --as-of 2024-01-01 --period 2024-01..2024-02)

# Columns a spreadsheet renamed: a fact the rules read with no column stops the run (exit 4) and
# names the closest column; --allow-missing-columns goes on, with the fact unknown for everyone.
file(READ ${roster} small)
string(REPLACE "id,nik," "id,NIK," upper_nik "${small}")
file(WRITE ${WORK}/upper-nik.csv "${upper_nik}")
entitle(uppernik 4 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/upper-nik.csv
        --period 2024-01..2024-12 --out ${WORK}/upper-nik-out.csv)
expect("NIK is named for nik"
       "uppernik_err MATCHES \"[^ ]*upper-nik.csv: line 1: expected a column for each fact the rules read, found none for .nik. .there is .NIK.: names must match exactly\"")
expect("the way on is named" "uppernik_err MATCHES \"--allow-missing-columns\"")
expect("no output when a column is missing" "NOT EXISTS ${WORK}/upper-nik-out.csv")
entitle(allowmissing 1 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/upper-nik.csv
        --period 2024-01..2024-12 --out ${WORK}/upper-nik-out.csv --allow-missing-columns)
expect("--allow-missing-columns warns about nik" "allowmissing_err MATCHES \"no column gives the facts .*nik\"")
string(REPLACE ",birth_date," ", birth_date," spaced "${small}")
file(WRITE ${WORK}/spaced.csv "${spaced}")
entitle(spaced 4 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/spaced.csv --out ${WORK}/s.csv)
expect("a column name with a space is named" "spaced_err MATCHES \"there is . birth_date.\"")
# The same roster separated by semicolons: a hint without --separator, the same decisions with it.
string(REPLACE "," ";" semicolons "${small}")
file(WRITE ${WORK}/semicolons.csv "${semicolons}")
entitle(semi 4 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/semicolons.csv --out ${WORK}/s.csv)
expect("a semicolon roster says which separator" "semi_err MATCHES \"read it with the separator\"")
string(REPLACE "," "\t" tabs "${small}")
file(WRITE ${WORK}/tabs.csv "${tabs}")
entitle(tabok 1 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/tabs.csv
        --period 2024-01..2024-12 --out ${WORK}/tabs-out.csv --separator tab)
expect_same_file("--separator tab" ${WORK}/tabs-out.csv ${DATA}/oku-quota-3.expected.csv)
entitle(badsep 2 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --out ${WORK}/s.csv --separator "|")
# Indonesian headers (issue 15): the id named by --id-column, each fact by --column, the same
# decisions as the English roster; --columns adds facts' values to each line, in the order given.
string(REPLACE "id,nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,enrolled_bpjs_tk"
       "nomor,nik,kode_domisili,tgl_lahir,status_pekerjaan,pekerjaan,miskin_ekstrem,penghasilan,terdaftar_bpjs_tk"
       indonesian "${small}")
file(WRITE ${WORK}/orang.csv "${indonesian}")
set(mapped --id-column nomor --column domicile_code=kode_domisili --column birth_date=tgl_lahir
    --column employment=status_pekerjaan --column occupation=pekerjaan --column extreme_poor=miskin_ekstrem
    --column monthly_income=penghasilan --column enrolled_bpjs_tk=terdaftar_bpjs_tk)
entitle(indonesian 1 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/orang.csv
        --period 2024-01..2024-12 --out ${WORK}/orang-out.csv --rejects ${WORK}/orang-rejects.csv ${mapped})
expect_same_file("Indonesian headers, mapped" ${WORK}/orang-out.csv ${DATA}/oku-quota-3.expected.csv)
expect("mapped columns are not warned about" "NOT indonesian_err MATCHES \"not a fact\"")
file(READ ${WORK}/orang-rejects.csv orang_rejects)
expect("the rejected row names the column as written" "orang_rejects MATCHES \"\n9,A8,tgl_lahir,\"")
entitle(orangexplain 0 explain --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/orang.csv --id A3 ${mapped})
expect("explain reads the mapped roster" "orangexplain_out MATCHES \"waitlisted at rank 4 of 6 candidates\"")
# A7 has no monthly income (an empty field); A1 earns Rp1.000.000 and was born on 1980-01-01.
entitle(shown 1 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --period 2024-01..2024-12
        --out ${WORK}/shown.csv --columns monthly_income,birth_date)
file(STRINGS ${WORK}/shown.csv shown_lines)
list(GET shown_lines 0 shown_header)
list(GET shown_lines 1 shown_a1)
list(GET shown_lines 7 shown_a7)
expect("--columns after the output's own" "shown_header MATCHES \",months_apbd_oku_timur_2024,monthly_income,birth_date$\"")
expect("A1's values" "shown_a1 MATCHES \"^A1,.*,12,1000000,1980-01-01$\"")
expect("A7's missing income" "shown_a7 MATCHES \"^A7,.*,,1980-01-01$\"")
# Months covered: A1 is funded all year (12, January to December); A3 is waitlisted, nothing due.
entitle(covered 1 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --period 2024-01..2024-12
        --out ${WORK}/covered.csv --columns covered_months,covered_from,covered_until)
file(STRINGS ${WORK}/covered.csv covered_lines)
list(GET covered_lines 1 covered_a1)
list(GET covered_lines 3 covered_a3)
expect("A1 covered all year" "covered_a1 MATCHES \"^A1,.*,funded,1,12,12,2024-01,2024-12$\"")
expect("A3 waitlisted, covered in no month" "covered_a3 MATCHES \"^A3,.*,waitlisted,4,0,0,,$\"")
entitle(shownbad 3 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --out ${WORK}/s.csv
        --columns monthly_income,birth_dat)
expect("--columns names the close fact"
       "shownbad_err MATCHES \"the column .birth_dat. asked for in the output is not one of the policy.s facts, derived values or values over the period. the close ones are .birth_date.\"")
entitle(mapbad 3 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/orang.csv --out ${WORK}/s.csv
        --column monthly_incme=penghasilan)
expect("--column names the close fact"
       "mapbad_err MATCHES \"--column monthly_incme=penghasilan: .monthly_incme. is not a fact of the policy. the close ones are .monthly_income.\"")
entitle(mapmissing 4 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --out ${WORK}/s.csv
        --column monthly_income=penghasilan)
expect("a mapped column the roster lacks"
       "mapmissing_err MATCHES \"oku-small.csv: line 1: expected the column .penghasilan., which is mapped to the fact .monthly_income., found none\"")
expect("no output when a mapped column is missing" "NOT EXISTS ${WORK}/s.csv")
entitle(mapsyntax 2 run --policy ${quota3} --policies ${POLICIES} --roster ${roster} --out ${WORK}/s.csv
        --column monthly_income)
expect("--column takes FACT=COLUMN" "mapsyntax_err MATCHES \"--column takes FACT=COLUMN\"")
# The fact's own column is ignored, and said so, when --column reads it from another (gaji, Rp7).
string(REPLACE "id,nik," "id,nik,gaji," with_gaji "${small}")
string(REGEX REPLACE "\n(A[0-9]),([0-9]+)," "\n\\1,\\2,7," with_gaji "${with_gaji}")
file(WRITE ${WORK}/gaji.csv "${with_gaji}")
entitle(gaji 1 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/gaji.csv --period 2024-01..2024-12
        --out ${WORK}/gaji-out.csv --column monthly_income=gaji)
expect("the displaced column is named"
       "gaji_err MATCHES \"the column .monthly_income. gives monthly_income, which --column reads from another column. ignored\"")
# /dev/zero as a roster stops at once at its first byte.
if(EXISTS /dev/zero)
  file(CREATE_LINK /dev/zero ${WORK}/zero.csv SYMBOLIC)
  execute_process(COMMAND ${ENTITLE} run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/zero.csv
                          --out ${WORK}/zero-out.csv
                  RESULT_VARIABLE code ERROR_VARIABLE zero_err TIMEOUT 60)
  expect("/dev/zero stops with exit 4" "code EQUAL 4")
  expect("/dev/zero is named as not text" "zero_err MATCHES \"[^ ]*zero.csv: line 1: found a NUL byte\"")
endif()
# A NUL byte in a row stops the run located as every roster error is, file first (issue 14): the
# NUL is the 14th byte of line 3.
find_program(PRINTF printf)
if(PRINTF)
  execute_process(COMMAND ${PRINTF} "id,nik,birth_date\\nA1,1608010101800001,1980-01-01\\nA2,1608010101\\000700002,1970-01-01\\n"
                  OUTPUT_FILE ${WORK}/nul-row.csv)
  entitle(nulrow 4 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/nul-row.csv --out ${WORK}/nul-out.csv
          --allow-missing-columns)
  expect("a NUL in a row names the file, the line and the column"
         "nulrow_err MATCHES \"entitle: [^ ]*nul-row.csv: line 3: found a NUL byte \\\\(0x00\\\\) at column 14: a roster is text\"")
  expect("no output after a NUL" "NOT EXISTS ${WORK}/nul-out.csv")
endif()

# Column names are shown as they are, never printed raw (issue 14): a CR in a quoted name is \r,
# an escape byte \x1B, a byte that is not UTF-8 \xFF, in the warnings, in the summary's rejected
# columns and in --strict's error.
string(ASCII 27 escape)
string(ASCII 255 not_utf8)
set(odd_columns "id,nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,enrolled_bpjs_tk")
file(WRITE ${WORK}/odd-columns.csv "${odd_columns},\"note\r\",${escape}[2J,caf${not_utf8}\n"
           "A1,1608010101800001,16.08.01.2001,1980-01-01,informal,petani,true,1000000,false,a,b,c\n"
           "A2,1608010101700002,16.08.01.2002,1970-01-01,informal,pedagang,false,500000,false,x\"y,b,c\n")
entitle(oddcols 1 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/odd-columns.csv
        --period 2024-01..2024-12 --out ${WORK}/odd-out.csv)
expect("a CR in a column name is shown as \\r"
       "oddcols_err MATCHES \"odd-columns.csv: the column .note\\\\\\\\r. is not a fact of the policy; ignored\"")
expect("an escape byte in a column name is shown as \\x1B"
       "oddcols_err MATCHES \"the column .\\\\\\\\x1B\\\\[2J. is not a fact\"")
expect("a byte that is not UTF-8 in a column name is shown as \\xFF"
       "oddcols_err MATCHES \"the column .caf\\\\\\\\xFF. is not a fact\"")
expect("no raw CR, escape or 0xFF on standard error"
       "NOT oddcols_err MATCHES \"[\r${escape}${not_utf8}]\"")
expect("the summary shows the rejected column with \\r"
       "oddcols_out MATCHES \"rejected at note\\\\\\\\r: 1\"")
expect("no raw CR on standard output" "NOT oddcols_out MATCHES \"\r\"")
entitle(oddstrict 4 run --policy ${quota3} --policies ${POLICIES} --roster ${WORK}/odd-columns.csv
        --period 2024-01..2024-12 --out ${WORK}/odd-out.csv --strict)
expect("--strict names the file, the line and the column with \\r"
       "oddstrict_err MATCHES \"odd-columns.csv: line 3, column note\\\\\\\\r: expected a field with a quote\"")

# --set: the shipped policy (a quota of 4650, a budget of Rp937.440.000) with a quota of 3 set for
# the run decides as the fixture oku-quota-3.json, which overrides only the quota (and the
# citation, which no output shows): the same bytes; with a budget of Rp500.000 set, as
# oku-budget-500k.json (the quota of 4650 holds all six candidates). The summary records the setting.
set(shipped ${POLICIES}/oku-timur/pekerja-rentan-2024-iuran.json)
entitle(set_quota 1 run --policy ${shipped} --roster ${roster} --out ${WORK}/set-quota.csv
        --summary ${WORK}/set-quota.json --set apbd_oku_timur_2024.quota=3)
expect_same_file("decisions with --set quota=3" ${WORK}/set-quota.csv ${DATA}/oku-quota-3.expected.csv)
file(READ ${WORK}/set-quota.json set_summary)
string(JSON set_count LENGTH "${set_summary}" settings)
string(JSON set_name GET "${set_summary}" settings 0 name)
string(JSON set_value GET "${set_summary}" settings 0 value)
string(JSON set_was GET "${set_summary}" settings 0 was)
string(JSON set_quota GET "${set_summary}" quotas 0 quota)
expect("the summary JSON records the setting"
       "set_count EQUAL 1 AND set_name STREQUAL \"apbd_oku_timur_2024.quota\" AND set_value STREQUAL \"3\" AND set_was STREQUAL \"4650\" AND set_quota EQUAL 3")
expect("the table says what was set"
       "set_quota_out MATCHES \"\nset for this run: apbd_oku_timur_2024.quota=3 \\\\(the policy has 4650\\\\)\n\"")
expect("the table shows the quota set" "set_quota_out MATCHES \"3 funded of 3, 3 waitlisted\"")
entitle(set_budget 1 run --policy ${shipped} --roster ${roster} --out ${WORK}/set-budget.csv
        --set=apbd_oku_timur_2024.budget=Rp500.000)
expect_same_file("decisions with --set budget=Rp500.000" ${WORK}/set-budget.csv ${DATA}/oku-budget-500k.expected.csv)
# The shipped policy itself is unchanged: without --set, all six are funded.
entitle(set_none 1 run --policy ${shipped} --roster ${roster} --out ${WORK}/set-none.csv)
expect("without --set the quota is the policy's" "set_none_out MATCHES \"6 funded of 4650\" AND NOT set_none_out MATCHES \"set for this run\"")

# A bad --set: exit 2 (the command line is wrong), the setting named, nothing written.
set(set_run run --policy ${shipped} --roster ${roster} --out ${WORK}/set-bad.csv --summary ${WORK}/set-bad.json)
entitle(set_negative 2 ${set_run} --set apbd_oku_timur_2024.quota=-1)
expect("a negative quota gets the binder's message, naming the setting"
       "set_negative_err MATCHES \"^entitle: --set apbd_oku_timur_2024.quota=-1: a quota cannot be negative\n\"")
entitle(set_share 2 ${set_run} --set apbd_oku_timur_2024.share=150%)
expect("a share above 100%"
       "set_share_err MATCHES \"--set apbd_oku_timur_2024.share=150%: a share is between 0% and 100%, found 150%\"")
entitle(set_bare 2 ${set_run} --set apbd_oku_timur_2024.share=50)
expect("a share without %" "set_bare_err MATCHES \"write \\\"50%\\\", not \\\"50\\\"\"")
entitle(set_subsidy 2 ${set_run} --set apbd.quota=1000)
expect("an unknown subsidy lists the subsidies"
       "set_subsidy_err MATCHES \"--set apbd.quota=1000: the policy \\\"oku-timur/pekerja-rentan-2024-iuran\\\" has no subsidy called \\\"apbd\\\"; its subsidies are \\\"apbd_oku_timur_2024\\\"\"")
entitle(set_field 2 ${set_run} --set apbd_oku_timur_2024.priority=2)
expect("an unknown field lists the fields"
       "set_field_err MATCHES \"--set apbd_oku_timur_2024.priority=2: a subsidy has no field \\\"priority\\\" to set; the fields are \\\"quota\\\", \\\"budget\\\", \\\"window\\\", \\\"share\\\"\"")
entitle(set_twice 2 ${set_run} --set apbd_oku_timur_2024.quota=1000 --set apbd_oku_timur_2024.quota=2000)
expect("a field set twice" "set_twice_err MATCHES \"--set apbd_oku_timur_2024.quota=2000: \\\"apbd_oku_timur_2024.quota\\\" is set twice\"")
entitle(set_value 2 ${set_run} --set apbd_oku_timur_2024.budget=lots)
expect("a value that does not read" "set_value_err MATCHES \"--set apbd_oku_timur_2024.budget=lots: expected an amount\"")
entitle(set_form 2 ${set_run} --set apbd_oku_timur_2024.quota)
expect("a --set without =" "set_form_err MATCHES \"--set takes NAME=VALUE\"")
file(GLOB left ${WORK}/set-bad*)
expect("no file after a bad --set" "\"${left}\" STREQUAL \"\"")

# check, explain and claim load the policy with --set as run does.
entitle(set_check 0 check ${shipped} --set apbd_oku_timur_2024.quota=3 --set apbd_oku_timur_2024.window=2024-01..2024-06)
expect("check prints what was set"
       "set_check_out MATCHES \"\nset: apbd_oku_timur_2024.quota=3 \\\\(the policy has 4650\\\\)\nset: apbd_oku_timur_2024.window=2024-01..2024-06 \\\\(the policy has 2024-01..2024-12\\\\)\n\"")
expect("check prints the subsidy as set" "set_check_out MATCHES \"2024-01..2024-06; quota 3;\"")
entitle(set_check_bad 2 check ${shipped} --set apbd_oku_timur_2024.quota=-1)
# A3 is fourth of the ranking (tests/data/batch/README.md): past a quota of 3.
entitle(set_explain 0 explain --policy ${shipped} --roster ${roster} --id A3 --set apbd_oku_timur_2024.quota=3)
expect("explain ranks with the quota set"
       "set_explain_out MATCHES \"waitlisted at rank 4 of 6 candidates; the quota of 3 people is filled\"")
entitle(set_claim 2 claim --policy ${shipped} --event death --on 2024-05-10 --facts ${WORK}/informal.json
        --set apbd_oku_timur_2024.share=150%)
expect("claim checks --set" "set_claim_err MATCHES \"--set apbd_oku_timur_2024.share=150%: a share is between\"")
entitle(set_claim_ok 0 claim --policy ${shipped} --event death --on 2024-05-10 --facts ${WORK}/informal.json
        --set apbd_oku_timur_2024.quota=3)
expect("a claim under a policy with --set" "set_claim_ok_out MATCHES \"only if funded by apbd_oku_timur_2024\"")

# A policy's parameters, listed by check and set by --set (tests/data/batch/README.md, income-limit).
set(income_limit ${DATA}/income-limit.json)
entitle(param_check 0 check ${income_limit})
expect("check lists the parameters"
       "param_check_out MATCHES \"parameters \\\\(2\\\\):\n  income_limit: money Rp2.000.000: Batas penghasilan\"")
entitle(param_run 0 run --policy ${income_limit} --roster ${DATA}/income-limit.csv --out ${WORK}/param.csv
        --period 2024-01..2024-01)
file(READ ${WORK}/param.csv param_csv)
expect("as written, P1 and P2 are ineligible" "param_csv MATCHES \"\nP1,ineligible,rentan,DI_LUAR_BATAS,.*\nP2,ineligible,\"")
entitle(param_set 0 run --policy ${income_limit} --roster ${DATA}/income-limit.csv --out ${WORK}/param-set.csv
        --period 2024-01..2024-01 --set income_limit=Rp2.500.000 --set oldest_age=80)
file(READ ${WORK}/param-set.csv param_set_csv)
expect("with the limits raised, P1 and P2 are eligible"
       "param_set_csv MATCHES \"\nP1,eligible,rentan,.*\nP2,eligible,rentan,.*\nP3,undetermined,rentan,,,monthly_income,\"")
expect("the summary says what was set"
       "param_set_out MATCHES \"set for this run: income_limit=Rp2.500.000 \\\\(the policy has Rp2.000.000\\\\), oldest_age=80\"")
entitle(param_bad 2 run --policy ${income_limit} --roster ${DATA}/income-limit.csv --out ${WORK}/param-bad.csv
        --period 2024-01..2024-01 --set income_limit=banyak)
expect("a parameter set to what its type cannot read"
       "param_bad_err MATCHES \"--set income_limit=banyak: the parameter \\\"income_limit\\\": expected an amount\"")
expect("a refused --set writes nothing" "NOT EXISTS ${WORK}/param-bad.csv")

# check lists derived values and decision tables, and names an input no row of a table matches:
# here no row gives a tier to someone neither extremely poor nor a guru mengaji or marbot.
file(WRITE ${WORK}/tier.json [[{"format": "entitle-policy/1", "id": "tier",
  "facts": {"extreme_poor": {"type": "bool"},
            "occupation": {"type": "enum", "values": ["guru_mengaji", "marbot", "petani"]}},
  "tables": [{"id": "tier", "label": "Tingkat prioritas", "citation": "Perbup OKU Timur 2024",
              "hit_policy": "first", "inputs": ["extreme_poor", "occupation"],
              "outputs": [{"id": "tier", "type": "integer"}],
              "rows": [{"when": [true, "-"], "then": 1},
                       {"when": ["-", {"in": ["guru_mengaji", "marbot"]}], "then": 2}]}],
  "derived": [{"id": "tier", "type": "integer", "label": "Tingkat", "citation": "Perbup OKU Timur 2024",
               "value": {"table": "tier"}}],
  "rules": [{"id": "r", "label": "r", "reason": "R", "citation": "c", "when": {"fact": "tier", "<=": 2}}]}]])
entitle(table_check 0 check ${WORK}/tier.json)
expect("check lists the derived values" "table_check_out MATCHES \"derived values \\\\(1\\\\):\n  tier: integer: Tingkat \\\\[Perbup OKU Timur 2024\\\\]\"")
expect("check lists the tables"
       "table_check_out MATCHES \"tables \\\\(1\\\\):\n  tier: Tingkat prioritas \\\\(first; \\\"extreme_poor\\\", \\\"occupation\\\" -> \\\"tier\\\"; 2 rows\\\\)\"")
expect("check names an input no row matches"
       "table_check_out MATCHES \"\n    no row matches: extreme_poor = false, occupation = petani\n\"")

# The national pack's JKK rate table, read through the regency's kelas_risiko (a missing class
# taken as 1, else risk_class, whose values are 1 to 5): a row for each value, so nothing uncovered.
entitle(pack_check 0 check ${POLICIES}/oku-timur/non-asn-2022.json --policies ${POLICIES})
expect("check lists the JKK rate table"
       "pack_check_out MATCHES \"\n  iuran_jkk_pu: Iuran JKK [^\n]*\\\\(unique; \\\"kelas_risiko\\\" -> \\\"rate\\\"; 5 rows\\\\)\"")
expect("the JKK rate table covers every class" "NOT pack_check_out MATCHES \"no row matches\"")

# overlap (docs/overlap.md): what it refuses before reading, a roster with no repeated id (exit 0),
# and an enrolled list with a row that has no id (exit 4, the list and the line named). The figures
# of a run that finds something are in tests/data/overlap/README.md, checked by the doc commands.
set(iuran ${POLICIES}/oku-timur/pekerja-rentan-2024-iuran.json)
set(overlap_data ${DATA}/../overlap)
entitle(overlap_stdin 2 overlap --policy ${iuran} --roster - --out ${WORK}/o.csv)
expect("overlap refuses standard input" "overlap_stdin_err MATCHES \"--roster -: overlap reads each roster several times\"")
entitle(overlap_no_roster 2 overlap --policy ${iuran} --out ${WORK}/o.csv)
expect("overlap needs a roster" "overlap_no_roster_err MATCHES \"--roster is needed\"")
entitle(overlap_json 2 overlap --policy ${iuran} --roster ${roster} --out ${WORK}/o.json)
expect("overlap writes CSV only" "overlap_json_err MATCHES \"overlap writes a .csv file\"")
file(COPY_FILE ${roster} ${WORK}/mine.csv)
entitle(overlap_over_input 2 overlap --policy ${iuran} --roster ${WORK}/mine.csv --out ${WORK}/mine.csv)
expect_same_file("overlap leaves the roster it was told to write over" ${WORK}/mine.csv ${roster})
entitle(overlap_none 0 overlap --policy ${iuran} --roster ${roster} --period 2024-01..2024-12 --out ${WORK}/none.csv)
file(READ ${WORK}/none.csv none)
expect("nothing found: the header alone"
       "none STREQUAL \"id,roster,line,status,reason,funded_by,funded_months,funded,double_funded_months,paid_twice,enrolled\n\"")
expect("nothing found: 9 rows, 1 rejected (A8), 9 ids" "overlap_none_out MATCHES \"^9 rows read from 1 roster \\\\(1 of them rejected\\\\), 9 distinct ids\"")
# On two threads, the same rows as the doc commands' run on one (tests/data/overlap/README.md).
entitle(overlap_threads 1 overlap --policy ${iuran} --roster ${overlap_data}/dinsos.csv --roster ${overlap_data}/desa.csv
        --enrolled ${overlap_data}/peserta.csv --id-column nik --period 2024-01..2024-12 --threads 2 --out ${WORK}/o2.csv)
file(READ ${WORK}/o2.csv two_threads)
file(READ ${overlap_data}/overlap.expected.csv expected_overlap)
string(REPLACE "${overlap_data}/" "" two_threads "${two_threads}")
expect("overlap on two threads: the expected rows" "two_threads STREQUAL expected_overlap")
file(WRITE ${WORK}/peserta-bad.csv "nik,nama\n1608010101850009,Siti\n,Budi\n")
entitle(overlap_bad_list 4 overlap --policy ${iuran} --roster ${overlap_data}/dinsos.csv --id-column nik
        --enrolled ${WORK}/peserta-bad.csv --period 2024-01..2024-12 --out ${WORK}/bad-list.csv)
expect("a row of the enrolled list without an id: named with its line" "overlap_bad_list_err MATCHES \"peserta-bad.csv: line 3, column nik\"")
expect("no output after an error" "NOT EXISTS ${WORK}/bad-list.csv")

# diff (docs/diff.md): nothing to compare, an output over the roster, a reform that is the baseline
# (nobody changes: exit 0, the header alone), and the quota-3 fixture as the reform over the nine
# people: A3, A4 and A9 lose their funding (tests/data/batch/README.md), 3 x Rp201.600 less.
entitle(diff_nothing 2 diff --policy ${iuran} --roster ${roster} --out ${WORK}/changes.csv)
expect("diff needs a reform" "diff_nothing_err MATCHES \"nothing to compare\"")
entitle(diff_over_input 2 diff --policy ${iuran} --reform ${quota3} --policies ${POLICIES} --roster ${WORK}/mine.csv
        --out ${WORK}/mine.csv)
expect_same_file("diff leaves the roster it was told to write over" ${WORK}/mine.csv ${roster})
entitle(diff_same 0 diff --policy ${iuran} --reform ${iuran} --roster ${roster} --period 2024-01..2024-12
        --out ${WORK}/same.csv)
file(STRINGS ${WORK}/same.csv same_lines)
list(LENGTH same_lines same_count)
expect("a reform that is the baseline: the header alone" "same_count EQUAL 1")
entitle(diff_quota3 1 diff --policy ${iuran} --reform ${quota3} --policies ${POLICIES} --roster ${roster}
        --period 2024-01..2024-12 --out ${WORK}/quota3.ndjson --summary ${WORK}/quota3.json)
file(STRINGS ${WORK}/quota3.ndjson quota3_lines)
list(LENGTH quota3_lines quota3_count)
expect("three people change" "quota3_count EQUAL 3")
list(GET quota3_lines 0 first_change)
string(JSON first_id GET "${first_change}" id)
string(JSON first_after GET "${first_change}" after funding)
expect("A3 first, waitlisted after" "first_id STREQUAL A3 AND first_after STREQUAL waitlisted")
file(READ ${WORK}/quota3.json quota3_summary)
string(JSON lost GET "${quota3_summary}" funding lost)
string(JSON regency_change GET "${quota3_summary}" paid_by_payer PEMKAB_OKU_TIMUR change)
expect("3 lose funding, Rp604.800 less" "lost EQUAL 3 AND regency_change EQUAL -604800")

# A reform reading a fact no column of the roster gives: stopped when its read begins, the roster
# named, and no output left.
file(WRITE ${WORK}/desa.json [[{"format": "entitle-policy/1", "id": "desa", "facts": {"desa": {"type": "string"}},
  "rules": [{"id": "r", "label": "r", "reason": "R", "citation": "c", "when": {"fact": "desa", "starts_with": ["16.08."]}}]}]])
entitle(diff_reform_column 4 diff --policy ${iuran} --reform ${WORK}/desa.json --roster ${roster}
        --period 2024-01..2024-12 --out ${WORK}/desa-changes.csv)
expect("the reform's missing column is named, with the roster"
       "diff_reform_column_err MATCHES \"oku-small.csv: line 1: .*desa\"")
expect("no changes file after the error" "NOT EXISTS ${WORK}/desa-changes.csv")

# test (docs/scenarios.md): a scenario that cannot hold fails, printed as expected against got,
# exit 1; a scenario file with a bad status is refused with its place, exit 4; no path, exit 2.
file(MAKE_DIRECTORY ${WORK}/scenarios)
file(WRITE ${WORK}/scenarios/wrong.test.json [[{"format": "entitle-test/1", "policy": "oku-timur/pekerja-rentan-2024-iuran",
  "cases": [{"name": "a farmer at the limit", "citation": "PP 44/2015: 12 x Rp16.800", "period": "2024-01..2024-12",
             "facts": {"nik": "1608010101800001", "domicile_code": "16.08.01.2001", "birth_date": "1980-01-01",
                       "employment": "informal", "occupation": "petani", "extreme_poor": false,
                       "monthly_income": 2000000, "enrolled_bpjs_tk": false},
             "expect": {"status": "eligible", "paid": {"PEMKAB_OKU_TIMUR": 201600}}},
            {"name": "wrong on purpose", "citation": "none", "period": "2024-01..2024-12",
             "facts": {"nik": "1608010101800001", "domicile_code": "16.08.01.2001", "birth_date": "1980-01-01",
                       "employment": "informal", "occupation": "petani", "extreme_poor": false,
                       "monthly_income": 2000000, "enrolled_bpjs_tk": false},
             "expect": {"status": "eligible", "paid": {"PEMKAB_OKU_TIMUR": 200000}}}]}]])
entitle(test_fails 1 test ${WORK}/scenarios --policies ${POLICIES})
expect("a failing scenario is printed as expected against got"
       "test_fails_out MATCHES \"FAIL [^\n]*wrong.test.json: /cases/1 wrong on purpose\n  paid by PEMKAB_OKU_TIMUR: expected Rp200.000, got Rp201.600\n\"")
expect("the count" "test_fails_out MATCHES \"\n1 passed, 1 failed\n$\"")
file(WRITE ${WORK}/bad.test.json [[{"format": "entitle-test/1", "policy": "x", "cases": [{"name": "n", "citation": "c",
  "as_of": "2024-01-01", "facts": {}, "expect": {"status": "yes"}}]}]])
entitle(test_bad_file 4 test ${WORK}/bad.test.json)
expect("a bad scenario file is named with its place"
       "test_bad_file_err MATCHES \"bad.test.json: /cases/0/expect/status: expected eligible, ineligible or undetermined\"")
entitle(test_no_path 2 test)

# The evaluation date is within the policy's dates: BSU 2020 is in force from 14 August 2020
# (Permenaker 14/2020), so --as-of 2020-08-13 is refused (exit 3) before any row is read, and a
# period starting in August 2020 is decided on the 14th.
entitle(before_in_force 3 explain --policy ${POLICIES}/id/bsu-2020.json --as-of 2020-08-13 --rule penerima_bsu_2020)
expect("a day before the policy is refused"
       "before_in_force_err MATCHES \"in force from 2020-08-14 until 2020-12-31. the evaluation date is 2020-08-13\"")
file(WRITE ${WORK}/bsu.csv "id,citizen,participant_type,wage,active_june_2020,kartu_prakerja\nW1,true,pu,4999999,true,false\n")
entitle(bsu_period 0 run --policy ${POLICIES}/id/bsu-2020.json --rule penerima_bsu_2020 --roster ${WORK}/bsu.csv
        --period 2020-08..2020-08 --out ${WORK}/bsu-out.csv --summary ${WORK}/bsu-summary.json)
file(READ ${WORK}/bsu-summary.json bsu_summary)
string(JSON bsu_as_of GET "${bsu_summary}" as_of)
expect("a period starting in the policy's first month is decided on its first day" "bsu_as_of STREQUAL 2020-08-14")

# analyze (docs/analysis.md): a policy with one impossible rule is found, exit 1, in text and as
# JSON; the shipped policies analysed clean are in ctest's policies.analysis.*. What it refuses:
# no policy, no day to decide on, a population that does not read or that no policy has, exit 2.
file(WRITE ${WORK}/impossible.json [[{"format": "entitle-policy/1", "id": "test/impossible", "title": "t",
  "effective": {"from": "2024-01-01", "until": "2024-12-31"},
  "facts": {"birth_date": {"type": "date"}},
  "rules": [{"id": "adult_child", "label": "an adult under 10", "reason": "AGE", "citation": "c",
             "when": {"all": [{"age_of": "birth_date", ">=": 20}, {"age_of": "birth_date", "<": 10}]}}]}]])
entitle(analyze_found 1 analyze impossible.json)
expect("an impossible rule is found"
       "analyze_found_out MATCHES \"\nnever_holds: test/impossible /rules/0: the rule adult_child \\\\(an adult under 10\\\\) can never hold: no facts make it yes\n\n1 finding, 0 undecided\n$\"")
entitle(analyze_json 1 analyze impossible.json --json)
string(JSON kind GET "${analyze_json_out}" findings 0 kind)
string(JSON format GET "${analyze_json_out}" format)
string(JSON analyze_day GET "${analyze_json_out}" days test/impossible)
expect("analyze --json" "kind STREQUAL never_holds AND format STREQUAL entitle-analysis/1 AND analyze_day STREQUAL 2024-01-01")
entitle(analyze_none 2 analyze)
expect("analyze needs a policy" "analyze_none_err MATCHES \"analyze takes one or more POLICY files or ids\"")
entitle(analyze_no_date 2 analyze oku-timur/pekerja-rentan-2024 --policies ${POLICIES})
expect("analyze needs a day" "analyze_no_date_err MATCHES \"give the day to decide rules on, --as-of DATE\"")
entitle(analyze_bad_population 2 analyze impossible.json --population "{\"fact\": \"birth_date\", \"<=\": }")
expect("a population that does not read" "analyze_bad_population_err MATCHES \"^entitle: --population: \"")
entitle(analyze_unknown_rule 2 analyze impossible.json --population no_such_rule)
expect("a population rule no policy has"
       "analyze_unknown_rule_err MATCHES \"no policy given has a rule .no_such_rule. for the population\"")
entitle(analyze_unknown_fact 2 analyze impossible.json --population "{\"fact\": \"income\", \"is\": \"present\"}")
expect("a population over a fact the policy lacks" "analyze_unknown_fact_err MATCHES \"--population: .*income\"")
entitle(analyze_population_json 1 analyze oku-timur/pekerja-rentan-2024-iuran --policies ${POLICIES}
        --population "{\"all\": [{\"fact\": \"domicile_code\", \"starts_with\": [\"16.08.\"]}, {\"fact\": \"employment\", \"=\": \"informal\"}]}")
expect("a population as JSON: an informal resident of 66 falls through"
       "analyze_population_json_out MATCHES \"falls_through: .*employment = informal.*birth_date = 1958-01-01|falls_through: .*birth_date = 1958-01-01.*employment = informal\"")

if(failures GREATER 0)
  message(FATAL_ERROR "${failures} check(s) failed")
endif()
