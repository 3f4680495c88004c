#!/usr/bin/env python3
"""Writes examples/data/oku-timur-2024-roster.csv: the bundled roster of `entitle demo`.

6,000 made-up people of Kabupaten OKU Timur, drawn with a fixed seed so that the file is the same
on every run: mostly vulnerable informal workers who qualify, some who do not (another regency,
civil servants, already enrolled, over 65, income above Rp2,000,000), a few whose income is not
recorded, and five bad rows (an impossible date, an unknown occupation, a missing field, and an id
used twice) to show how a batch reports them.
"""
import random
import sys

rng = random.Random(20240901)
OCCUPATIONS = ["guru_mengaji", "marbot", "petani", "nelayan", "pedagang", "buruh_harian", "ojek", "lainnya"]
header = "id,nik,domicile_code,birth_date,employment,occupation,extreme_poor,monthly_income,enrolled_bpjs_tk"
rows = []


def person(i):
    district = rng.randint(1, 20)
    village = rng.randint(1, 30)
    nik = "1608%02d%06d%04d" % (district, rng.randint(10101, 311299), i % 10000)
    birth = "%04d-%02d-%02d" % (rng.randint(1962, 2006), rng.randint(1, 12), rng.randint(1, 28))
    occupation = rng.choice(OCCUPATIONS)
    income = rng.choice([500000, 750000, 1000000, 1250000, 1500000, 1750000, 2000000])
    return {
        "id": "OKUT-%05d" % i,
        "nik": nik,
        "domicile_code": "16.08.%02d.%04d" % (district, 2000 + village),
        "birth_date": birth,
        "employment": "informal",
        "occupation": occupation,
        "extreme_poor": "true" if rng.random() < 0.15 else "false",
        "monthly_income": str(income),
        "enrolled_bpjs_tk": "false",
    }


for i in range(1, 6001):
    p = person(i)
    roll = rng.random()
    if roll < 0.03:
        p["domicile_code"] = "16.07.%02d.2001" % rng.randint(1, 15)  # another regency
    elif roll < 0.05:
        p["employment"] = "asn"
    elif roll < 0.07:
        p["enrolled_bpjs_tk"] = "true"
    elif roll < 0.08:
        p["birth_date"] = "1950-%02d-10" % rng.randint(1, 12)  # over 65
    elif roll < 0.11:
        p["occupation"] = rng.choice(["petani", "pedagang", "ojek"])
        p["extreme_poor"] = "false"
        p["monthly_income"] = str(rng.choice([2500000, 3000000, 4000000]))
    elif roll < 0.12:
        p["occupation"] = "petani"
        p["extreme_poor"] = "false"
        p["monthly_income"] = ""  # not recorded: undetermined
    rows.append(",".join(p[k] for k in header.split(",")))

rows[99] = rows[99].replace(rows[99].split(",")[3], "2023-02-29")  # an impossible date
rows[1999] = rows[1999].replace("," + rows[1999].split(",")[5] + ",", ",nelayan_laut,")  # unknown value
rows[2999] = ",".join(rows[2999].split(",")[:-1])  # a field short
rows[4999] = "OKUT-04000" + rows[4999][len("OKUT-05000"):]  # the id of row 4000 again

sys.stdout.write(header + "\r\n" + "".join(r + "\r\n" for r in rows))
