# Runs every command of the sh blocks of README.md, docs/cli.md, docs/overlap.md, docs/diff.md,
# docs/scenarios.md and docs/analysis.md as written, from a scratch directory holding a copy of policies/, the demo roster as people.csv,
# the rosters of tests/data/overlap, and the person.json and heir.json the commands read; only the
# tool's name is replaced by the built tool's path. A command the docs gain and this test does not
# know fails it, and so does one it knows that the docs lost.
#   cmake -DENTITLE=<tool> -DSOURCE=<project dir> -DWORK=<scratch dir> -P doc_commands_test.cmake
cmake_minimum_required(VERSION 3.25)

file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(COPY ${SOURCE}/policies DESTINATION ${WORK})
file(COPY_FILE ${SOURCE}/examples/data/oku-timur-2024-roster.csv ${WORK}/people.csv)
foreach(name dinsos desa peserta)
  file(COPY_FILE ${SOURCE}/tests/data/overlap/${name}.csv ${WORK}/${name}.csv)
endforeach()
# The same people under Indonesian headers, as docs/cli.md reads them with --id-column and --column.
file(READ ${WORK}/people.csv people)
string(REPLACE "id,nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,"
       "nomor,nik,domicile_code,tgl_lahir,employment,occupation,extreme_poor,penghasilan," orang "${people}")
file(WRITE ${WORK}/orang.csv "${orang}")
# Domicile 16.07 is not OKU Timur (16.08): ineligible for the regency's program.
file(WRITE ${WORK}/person.json [[{"nik": "1608010101800001", "domicile_code": "16.07.01.2001",
  "birth_date": "1980-01-01", "employment": "informal", "occupation": "petani", "extreme_poor": true,
  "monthly_income": 1000000, "enrolled_bpjs_tk": false}]])
file(WRITE ${WORK}/heir.json [[{"declared_income": 1000000, "contribution_months": 3, "membership_active": true}]])
set(failures 0)

# The commands of the ```sh blocks of a markdown file, continuation lines joined, spaces squeezed.
# Read whole and split by hand: as a CMake list, a line ending in a backslash would swallow the
# next, and brackets would stop the splitting (commands hold no semicolons; brackets only balanced).
function(commands_of markdown out)
  file(READ ${markdown} text)
  string(REGEX REPLACE "\\\\\n[ ]*" " " text "${text}")
  # Brackets are kept out of the split (a CMake list would not split inside them) and put back in
  # each command, where they are balanced (a JSON condition).
  string(REPLACE "[" "<open-bracket>" text "${text}")
  string(REPLACE "]" "<close-bracket>" text "${text}")
  string(REPLACE ";" "," text "${text}")
  string(REPLACE "\n" ";" lines "${text}")
  set(in_sh FALSE)
  set(found "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^```sh")
      set(in_sh TRUE)
    elseif(line MATCHES "^```")
      set(in_sh FALSE)
    elseif(in_sh)
      string(STRIP "${line}" line)
      string(REGEX REPLACE "[ ]+" " " line "${line}")
      string(REPLACE "<open-bracket>" "[" line "${line}")
      string(REPLACE "<close-bracket>" "]" line "${line}")
      if(NOT line STREQUAL "")
        list(APPEND found "${line}")
      endif()
    endif()
  endforeach()
  set(${out} "${found}" PARENT_SCOPE)
endfunction()

set(iuran policies/oku-timur/pekerja-rentan-2024-iuran.json)
set(run_args "run --policy ${iuran} --roster people.csv --period 2024-01..2024-12 --out decisions.csv --summary summary.json --rejects rejects.csv")
set(explain_id "explain --policy ${iuran} --roster people.csv --id OKUT-00013")
set(run_set_args "run --policy ${iuran} --roster people.csv --period 2024-01..2024-12 --out decisions.csv --summary summary.json --set apbd_oku_timur_2024.quota=1000")
# Each command the docs show: its exit code and what its standard output must match. The demo
# roster has 6,000 people, five of them bad rows on purpose (docs/cli.md), so run exits 1; the
# regency funds 4,650 people at Rp16.800 a month for 12 months: Rp937.440.000.
set(known
  "build/release/entitle ${run_args} --threads 2" "entitle ${run_args}"
  "entitle ${run_set_args}"
  "entitle run --policy ${iuran} --roster - --period 2024-01..2024-12 --out decisions.csv --summary summary.json --rejects rejects.csv < people.csv"
  "entitle run --policy ${iuran} --roster orang.csv --id-column nomor --column birth_date=tgl_lahir --column monthly_income=penghasilan --columns birth_date,monthly_income --period 2024-01..2024-12 --out decisions.csv --summary summary.json --rejects rejects.csv"
  "build/release/entitle ${explain_id}" "entitle ${explain_id}"
  "entitle demo"
  "entitle check ${iuran}"
  "entitle explain --policy ${iuran} --as-of 2024-03-01 < person.json"
  "entitle claim --policy policies/id/bpjs-ketenagakerjaan.json --event work_accident_death --on 2024-05-10 --child tk_sd --child smp < heir.json"
  "entitle test policies"
  "entitle analyze policies/oku-timur/pekerja-rentan-2024-iuran.json policies/kotabaru/pekerja-rentan-2024.json"
  "entitle analyze policies/oku-timur/pekerja-rentan-2024-iuran.json --population penduduk_oku_timur"
  "entitle analyze policies/oku-timur/pekerja-rentan-2024-iuran.json --population '{\"all\": [{\"rule\": \"penduduk_oku_timur\"}, {\"rule\": \"bukan_asn\"}, {\"rule\": \"nik_valid\"}]}'"
  "entitle diff --policy ${iuran} --set apbd_oku_timur_2024.quota=5000 --set apbd_oku_timur_2024.budget=1008000000 --roster people.csv --period 2024-01..2024-12 --out changes.csv --summary diff.json"
  "entitle overlap --policy ${iuran} --roster dinsos.csv --roster desa.csv --enrolled peserta.csv --id-column nik --period 2024-01..2024-12 --out overlap.csv")
set(run_exit 1)
set(run_output "rows read 6000 = decided 5995 \\+ rejected 5.*4650 funded of 4650.*spent Rp937.440.000 of Rp937.440.000")
# OKUT-00013: a marbot with Rp2.000.000 a month, eligible, but ranked past the quota: nobody pays,
# and the price is quoted: 12 x (JKK 1% of the enrolment's registered Rp1.000.000, Rp10.000, + JKM
# Rp6.800) = Rp201.600.
set(explain_id_exit 0)
set(explain_id_output "rentan_oku_timur_2024 on 2024-01-01: eligible.*: Rp0; quoted Rp201.600, paid by nobody.*waitlisted at rank [0-9]+ of")
# A quota of 1000 set for the run: the first 1000 of the 5,266 eligible are funded, 1000 x Rp201.600
# = Rp201.600.000 of the budget; the summary says what was set.
set(run_set_exit 1)
set(run_set_output "\nset for this run: apbd_oku_timur_2024.quota=1000 \\(the policy has 4650\\)\n.*1000 funded of 1000, 4266 waitlisted; spent Rp201.600.000 of Rp937.440.000")
set(demo_exit 0)
set(demo_output "4650 funded of 4650, [0-9]+ waitlisted; spent Rp937.440.000 of Rp937.440.000")
set(check_exit 0)
set(check_output "apbd_oku_timur_2024: PEMKAB_OKU_TIMUR pays 100%.*\nvalid\n")
set(explain_stdin_exit 0)
set(explain_stdin_output "ineligible \\(BUKAN_PENDUDUK_OKU_TIMUR\\)")
# 48 x Rp1.000.000 + Rp12.000.000 + Rp10.000.000 + Rp1.500.000 + Rp2.000.000 (PP 82/2019).
set(claim_exit 0)
set(claim_output "under id/bpjs-ketenagakerjaan: Rp73.500.000")
# tests/data/overlap/README.md: NIK ...800001 funded under both rosters, 12 x (Rp10.000 + Rp6.800)
# paid twice; two enrolled NIKs funded. Exit 1: something found. overlap.csv is checked whole below.
set(overlap_exit 1)
set(overlap_output "9 rows read from 2 rosters \\(2 of them rejected\\), 6 distinct ids\n.*in more than one row: +3\n.*funded twice: +1 \\(Rp201.600 paid twice\\)\n.*in the enrolled list: +2 \\(2 of them funded")
# docs/diff.md: a quota of 5,000 and a budget of Rp1.008.000.000 fund the 350 people ranked 4,651 to
# 5,000, each Rp201.600 (12 x (Rp10.000 + Rp6.800), PP 44/2015): Rp70.560.000 more. Exit 1: people
# changed; changes.csv is a header and their 350 lines.
set(diff_exit 1)
set(diff_output "rows read 6000. 350 people changed\n.*funding: 350 gained, 0 lost\n.*PEMKAB_OKU_TIMUR: Rp937.440.000 -> Rp1.008.000.000 \\(\\+Rp70.560.000\\)")
# docs/scenarios.md: the shipped scenario files, one beside each shipped policy: 110 scenarios.
set(test_exit 0)
set(test_output "^110 passed, 0 failed\n$")
# docs/analysis.md: the two regencies' subsidies share JKK and JKM in 2024, but no domicile starts
# with both 16.08. and 63.02.: nothing found. Of the residents, a civil servant falls through (the
# rule bukan_asn: PP 70/2015, TASPEN); of the residents with a NIK who are not, one born 1958-01-01,
# 66 on 2024-01-01, past the program's 15 to 65 (its rule usia_15_65). Exit 1: something found.
set(analyze_exit 0)
set(analyze_output "17 rules, 2 subsidies, 1 pair of subsidies sharing a program-month\n\n0 findings, 0 undecided\n$")
set(analyze_population_exit 1)
set(analyze_population_output "falls_through: [^\n]*\n  for example: domicile_code = \"16.08.\", employment = asn\n.*rentan_oku_timur_2024 is no \\(ASN\\)\n\n1 finding, 0 undecided\n$")
set(analyze_population_json_exit 1)
set(analyze_population_json_output "falls_through: .*birth_date = 1958-01-01, employment = non_asn\n.*rentan_oku_timur_2024 is no \\(USIA_DI_LUAR_BATAS\\)\n\n1 finding, 0 undecided\n$")
# What builds and tests the project, this test among them: not run from here.
set(not_run "scripts/setup.sh && cmake --workflow --preset demo" "scripts/setup.sh && cmake --workflow --preset test")

function(kind_of command out)
  if(command MATCHES "^entitle run .* --set ")
    set(kind run_set)
  elseif(command MATCHES "^(build/release/)?entitle run ")
    set(kind run)
  elseif(command MATCHES "^(build/release/)?entitle explain .*--id ")
    set(kind explain_id)
  elseif(command MATCHES "^(build/release/)?entitle explain ")
    set(kind explain_stdin)
  elseif(command MATCHES "^entitle analyze .*--population '")
    set(kind analyze_population_json)
  elseif(command MATCHES "^entitle analyze .*--population")
    set(kind analyze_population)
  elseif(command MATCHES "^entitle (demo|check|claim|overlap|diff|test|analyze)")
    set(kind ${CMAKE_MATCH_1})
  endif()
  set(${out} ${kind} PARENT_SCOPE)
endfunction()

set(shown "")
foreach(doc README.md docs/cli.md docs/overlap.md docs/diff.md docs/scenarios.md docs/analysis.md)
  commands_of(${SOURCE}/${doc} commands)
  list(APPEND shown ${commands})
  foreach(command IN LISTS commands)
    if(command IN_LIST not_run)
      continue()
    endif()
    if(NOT command IN_LIST known)
      message(SEND_ERROR "FAILED: ${doc} shows a command this test does not run: ${command}")
      math(EXPR failures "${failures} + 1")
      continue()
    endif()
    kind_of("${command}" kind)
    string(REGEX REPLACE "^(build/release/)?entitle " "\"${ENTITLE}\" " line "${command}")
    file(REMOVE ${WORK}/decisions.csv ${WORK}/summary.json ${WORK}/rejects.csv ${WORK}/overlap.csv
                ${WORK}/changes.csv ${WORK}/diff.json)
    execute_process(COMMAND sh -c "${line}" WORKING_DIRECTORY ${WORK} RESULT_VARIABLE code OUTPUT_VARIABLE out
                    ERROR_VARIABLE err)
    if(NOT code STREQUAL "${${kind}_exit}" OR NOT out MATCHES "${${kind}_output}")
      message(SEND_ERROR "FAILED: ${doc}: ${command}\n  exit ${code}, expected ${${kind}_exit}; "
                         "output expected to match ${${kind}_output}\n${out}\n${err}")
      math(EXPR failures "${failures} + 1")
    endif()
    if(kind STREQUAL "overlap")
      execute_process(COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK}/overlap.csv
                              ${SOURCE}/tests/data/overlap/overlap.expected.csv RESULT_VARIABLE differ)
      if(differ)
        message(SEND_ERROR "FAILED: ${command}: overlap.csv differs from tests/data/overlap/overlap.expected.csv")
        math(EXPR failures "${failures} + 1")
      endif()
    endif()
    if(kind STREQUAL "diff")
      file(STRINGS ${WORK}/changes.csv changes)
      list(LENGTH changes change_lines)
      file(READ ${WORK}/diff.json totals)
      string(JSON change GET "${totals}" paid_by_payer PEMKAB_OKU_TIMUR change)
      if(NOT change_lines EQUAL 351 OR NOT change EQUAL 70560000)
        message(SEND_ERROR "FAILED: ${command}: expected 350 changes and Rp70.560.000 more, found "
                           "${change_lines} lines and ${change}")
        math(EXPR failures "${failures} + 1")
      endif()
    endif()
    if(kind STREQUAL "run")
      file(STRINGS ${WORK}/rejects.csv rejects)
      file(STRINGS ${WORK}/decisions.csv decisions)
      list(LENGTH rejects rejects_lines)
      list(LENGTH decisions decision_lines)
      file(READ ${WORK}/summary.json summary)
      string(JSON decided GET "${summary}" rows decided)
      list(GET decisions 0 decisions_header)
      if(command MATCHES "--columns birth_date,monthly_income" AND NOT decisions_header MATCHES ",birth_date,monthly_income$")
        message(SEND_ERROR "FAILED: ${command}: the decisions' header ends ${decisions_header}")
        math(EXPR failures "${failures} + 1")
      endif()
      if(NOT rejects_lines EQUAL 6 OR NOT decision_lines EQUAL 5996 OR NOT decided EQUAL 5995)
        message(SEND_ERROR "FAILED: ${command}: expected 5 rejects and 5995 decisions (and headers), found "
                           "${rejects_lines} and ${decision_lines} lines, ${decided} decided")
        math(EXPR failures "${failures} + 1")
      endif()
    endif()
  endforeach()
endforeach()
foreach(command IN LISTS known not_run)
  if(NOT command IN_LIST shown)
    message(SEND_ERROR "FAILED: the docs no longer show ${command}: update this test")
    math(EXPR failures "${failures} + 1")
  endif()
endforeach()

if(failures GREATER 0)
  message(FATAL_ERROR "${failures} check(s) failed")
endif()
