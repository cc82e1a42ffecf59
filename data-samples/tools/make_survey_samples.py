#!/usr/bin/env python3
"""Generate the synthetic household-survey samples under data-samples/surveys/.

Run from the repository root:

    python3 data-samples/tools/make_survey_samples.py

Standard library only. Each survey has its own random.Random(seed): two runs
give byte-identical files. Everything is SYNTHETIC: no real survey data and no
real persons. Names, phone numbers (+234 ... 555 ... pattern), e-mail addresses
(@example.org), GPS coordinates and comments are invented so that the pipeline
can prove it drops personal data. Admin p-codes are the real ones from
data-samples/reference/admin-units.csv.

Files written
-------------
  data-samples/surveys/nga-msna-2024.csv   Kobo export: ';' separator, UTF-8
        BOM, every value double-quoted, CRLF line ends, group paths joined
        with '/' (grp_hh/displacement_status). Interviews 2024-08-05..2024-10-25.
  data-samples/surveys/nga-msna-2025.csv   the same survey, next round, as an
        export read through R (make.names) and written back: ',' separator,
        no BOM, quoting only where needed, LF line ends, '.' instead of '/'
        and an 'X' before every leading '_' (X_uuid, X_submission_time,
        X_index, X_id, X_geolocation, X_gps_latitude, X_gps_longitude).
        Interviews 2025-08-04..2025-10-24.

Design (both rounds): stratified two-stage cluster sample. 15 LGAs (5 per
state in Borno NG008, Adamawa NG002, Yobe NG036); stratum = admin2 x
population group (e.g. NG008021-idp), 45 strata; 3-6 clusters (sites) per
stratum except the lonely one, 8-20 households per cluster; cluster_id
(NGA24-Cnnn / NGA25-Cnnn) unique across the file; every good row's stratum is
its admin2 + '-' + displacement_status. Households: ~44% idp, ~25% returnee,
~31% host_community (the non-displaced comparator).
weight = (M_h / m_h) * (N_hi / n_hi) * household adjustment (0.97..1.03).
Lonely PSU (single cluster) in both rounds: stratum NG036006-returnee
(Geidam returnees).

Bad rows (all EXTRA rows, each in an existing cluster; removing them - and,
for the duplicated _uuid, keeping the later submission - leaves the good data
consistent). Rows are written in _submission_time order, _index 1..N.
The _uuid values are checked by the script: it stops if the generated bad
rows do not match this list (update both after changing the generator).
----------------------------------------------------------------------------
  file               _index _uuid                                 problem
  nga-msna-2024.csv  2005  a2a63385-c340-4251-aa68-0081504c5e7b  weight empty
                           (NG036003-idp, cluster NGA24-C139)
  nga-msna-2024.csv  1532  44068479-a488-4e7b-911e-ec633b68207e  weight "0.0000"
                           (NG036007-host_community, NGA24-C174)
  nga-msna-2024.csv  1938  c250a090-f124-4dfa-8c21-8c7cfec7e97e  weight negative
                           "-132.2698" (NG008011-returnee, NGA24-C048)
  nga-msna-2024.csv  1527  452066f0-7706-4348-8427-b1321703acc9  weight "n/a"
                           (not a number; NG036007-host_community, NGA24-C174)
  nga-msna-2024.csv  1067  e575c184-e8a0-40ee-b8c0-a67386939613  displacement_status
                           "refugee" (unknown group), in idp cluster NGA24-C114
                           (stratum NG002010-idp)
  nga-msna-2024.csv   622  67d81204-49dd-4a3b-8a30-2ab134af5184  today 2023-12-01
                           (start/end on that day too: device clock), outside
                           the round's dates; _submission_time is 2024
                           (NG002010-returnee, NGA24-C118)
  nga-msna-2024.csv   774  0be9a2ef-ea4c-4cda-9d03-b10fc55599a0  admin1 "NG099"
                           (not in the reference); admin2 NG036014, stratum
                           NG036014-idp and cluster NGA24-C155 are real
  nga-msna-2024.csv  2335 + 2484  96c7d801-3819-48db-8813-e97ea1187bcd  duplicate
                           _uuid: _index 2335 (submitted 2024-10-07T15:10:29,
                           shelter_adequate "no") is re-submitted as _index 2484
                           (2024-10-10T20:18:18, shelter_adequate "yes"); all
                           other values equal except _submission_time, _index,
                           _id. Keep 2484, quarantine 2335 (NG002013-idp).
  nga-msna-2025.csv   999  96e6494b-acd6-455d-9ec9-208cad5cd745  weight empty
                           (NG008024-idp, NGA25-C061)
  nga-msna-2025.csv  1228  29c55f81-92f7-4db9-bed6-2b4626cd276a  weight "0.0000"
                           (NG002020-host_community, NGA25-C079)
  nga-msna-2025.csv  2408  d5ecbd92-340f-4ed6-8a26-42ff91c7f90f  weight negative
                           "-571.3893" (NG002010-host_community, NGA25-C121)
  nga-msna-2025.csv  2878  a00b18d5-8f8f-4f14-abc3-3d8579cef99e  weight "NA" (R's
                           missing value; NG036014-idp, NGA25-C149)
  nga-msna-2025.csv  1682  b033a78b-f31e-4d22-b241-80624f9c30ee  displacement_status
                           "refugee" (unknown group), in idp cluster NGA25-C015
                           (stratum NG008013-idp)
  nga-msna-2025.csv  2642  ee5efb87-be59-48f7-b1dc-791a11dae165  today 2024-12-01
                           (start/end on that day too), outside the round's
                           dates; _submission_time is 2025 (NG002010-returnee,
                           NGA25-C116)
  nga-msna-2025.csv  2201  b6edc1f1-ab3e-4641-ab61-7d94ffa602b9  admin1 "NG099"
                           (not in the reference); admin2 NG008021, stratum
                           NG008021-host_community, cluster NGA25-C011 are real
  nga-msna-2025.csv  389 + 484  da41bca9-4d4d-4794-84f7-20bdf26eb943  duplicate
                           _uuid: _index 389 (2025-08-13T17:08:12,
                           shelter_adequate "yes") is re-submitted as _index 484
                           (2025-08-16T21:25:10, shelter_adequate "no"). Keep
                           484, quarantine 389 (NG008011-returnee).

Other deliberate features (valid data, not errors)
--------------------------------------------------
  ~2% item missingness (empty) on every question except displacement_status
  and hh_size; ~3% dont_know and ~1% prefer_not_to_answer on yes/no items;
  children_enrolled empty when school_age_children is 0 (skip logic);
  documents_held 0/1 columns empty when documents_held is empty; comments
  with commas, semicolons, double quotes and non-ASCII punctuation.
"""

import csv
import datetime as dt
import math
import os
import sys
import uuid

import random

ROOT = os.getcwd()
REF = os.path.join(ROOT, "data-samples", "reference", "admin-units.csv")
OUT = os.path.join(ROOT, "data-samples", "surveys")

COLUMNS = [
    "start", "end", "today",
    "grp_loc/admin1", "grp_loc/admin2", "grp_loc/site_name",
    "stratum", "cluster_id", "weight",
    "grp_resp/resp_name", "grp_resp/resp_phone", "grp_resp/resp_email",
    "_geolocation", "_gps_latitude", "_gps_longitude",
    "grp_hh/displacement_status", "grp_hh/hh_size",
    "grp_prot/violence_12m", "grp_prot/free_movement",
    "grp_fs/fies_score",
    "grp_shelter/shelter_adequate",
    "grp_health/health_access",
    "grp_edu/school_age_children", "grp_edu/children_enrolled",
    "grp_liv/employed", "grp_liv/income_covers_needs",
    "grp_hlp/tenure_secure",
    "grp_docs/documents_held",
    "grp_docs/documents_held/birth_certificate",
    "grp_docs/documents_held/national_id",
    "grp_docs/documents_held/voter_card",
    "grp_docs/documents_held/none",
    "grp_comments/other_comments",
    "_uuid", "_submission_time", "_index", "_id",
]

# Bad-row _uuid values documented in the header (checked after generation).
EXPECTED_BAD = {
    "nga-msna-2024": [
        "a2a63385-c340-4251-aa68-0081504c5e7b",  # weight empty
        "44068479-a488-4e7b-911e-ec633b68207e",  # weight 0
        "c250a090-f124-4dfa-8c21-8c7cfec7e97e",  # weight negative
        "452066f0-7706-4348-8427-b1321703acc9",  # weight not a number
        "e575c184-e8a0-40ee-b8c0-a67386939613",  # refugee
        "67d81204-49dd-4a3b-8a30-2ab134af5184",  # today outside the round
        "0be9a2ef-ea4c-4cda-9d03-b10fc55599a0",  # admin1 NG099
        "96c7d801-3819-48db-8813-e97ea1187bcd",  # duplicate _uuid (later copy)
    ],
    "nga-msna-2025": [
        "96e6494b-acd6-455d-9ec9-208cad5cd745",
        "29c55f81-92f7-4db9-bed6-2b4626cd276a",
        "d5ecbd92-340f-4ed6-8a26-42ff91c7f90f",
        "a00b18d5-8f8f-4f14-abc3-3d8579cef99e",
        "b033a78b-f31e-4d22-b241-80624f9c30ee",
        "ee5efb87-be59-48f7-b1dc-791a11dae165",
        "b6edc1f1-ab3e-4641-ab61-7d94ffa602b9",
        "da41bca9-4d4d-4794-84f7-20bdf26eb943",
    ],
}

# --------------------------------------------------------------------------
# Reference
# --------------------------------------------------------------------------
def load_units():
    units = {}
    with open(REF, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for row in rows[2:]:
        loc, level, pcode, name, parent, _valid = row
        units[pcode] = (int(level), name, parent)
    return units


UNITS = load_units()

# admin1 -> [(admin2, approximate centre lat, lon)]; 5 LGAs per state.
LGAS = {
    "NG008": [("NG008021", 11.846, 13.157), ("NG008013", 11.880, 13.262),
              ("NG008016", 11.653, 13.418), ("NG008011", 11.086, 13.690),
              ("NG008024", 12.670, 13.612)],
    "NG002": [("NG002020", 9.230, 12.460), ("NG002021", 9.185, 12.420),
              ("NG002014", 10.268, 13.264), ("NG002010", 10.890, 13.630),
              ("NG002013", 10.621, 13.389)],
    "NG036": [("NG036003", 11.747, 11.961), ("NG036014", 11.709, 11.081),
              ("NG036007", 11.350, 11.950), ("NG036006", 12.894, 11.927),
              ("NG036001", 12.863, 11.041)],
}
for a1, lgas in LGAS.items():
    assert UNITS[a1][0] == 1, a1
    for a2, _lat, _lon in lgas:
        level, _name, parent = UNITS[a2]  # KeyError = p-code not in reference
        assert level == 2 and parent == a1, (a2, a1)

LONELY_STRATUM = "NG036006-returnee"
GROUPS = ["idp", "returnee", "host_community"]

SITE_STEMS = [
    "Sabon Gari", "Tudun Wada", "Angwan Sarki", "Kofar Gabas", "Bakin Ruwa",
    "Gidan Kwano", "Yelwa", "Zango", "Kasuwar Shanu", "Dan Fulani", "Kwari",
    "Bulama", "Lawanti", "Goniri", "Maina Hari", "Kolori", "Abbari",
    "Fadamari", "Shuwari", "Mairi", "Gomari", "Kalari", "Hausari", "Fulatari",
    "Bakin Kogi", "Gadan", "Jiddari", "Limanti", "Mashamari", "Dalori",
    "Gwange", "Bolori", "Sulumburi", "Bra Bra", "Kawuri", "Mandara Girau",
    "Teachers' Village", "Unguwar Fada", "Dogon Dutse", "Kumshe",
]
IDP_SUFFIX = ["IDP Camp", "Camp", "Informal Site", "Settlement", "Transit Centre"]
VILLAGE_SUFFIX = ["", "", "", " Ward", " Village"]

FIRST_F = ["Aisha", "Fatima", "Hauwa", "Zainab", "Amina", "Hadiza", "Falmata",
           "Yagana", "Kaltum", "Maryam", "Bintu", "Hajja", "Grace", "Esther",
           "Ruth", "Saratu", "Jummai", "Ladi", "Asabe", "Safiya", "Zara"]
FIRST_M = ["Musa", "Ibrahim", "Abubakar", "Usman", "Mohammed", "Bukar", "Modu",
           "Ali", "Babagana", "Umar", "Lawan", "Goni", "Kachalla", "Yakubu",
           "John", "Daniel", "Emmanuel", "Samuel", "Isa", "Adamu", "Haruna"]
SURNAMES = ["Bukar", "Mustapha", "Abba", "Goni", "Kolo", "Lawan", "Musa",
            "Yusuf", "Adamu", "Danjuma", "Bello", "Ibrahim", "Usman", "Garba",
            "Mshelia", "Haruna", "Tijjani", "Kachalla", "Mohammed", "Ali",
            "Zarma", "Bulama", "Kyari", "Dauda", "Pwajok", "Wakawa", "Modu"]
PHONE_PREFIX = ["803", "806", "813", "816", "703", "706", "805", "807", "815",
                "802", "808", "812", "701", "902", "907", "809", "817"]

COMMENTS = [
    "Household head absent, wife answered",
    "Interview interrupted by rain; continued after 20 minutes",
    "Family arrived from Bama in 2019",
    "Respondent wants information on return assistance",
    "Two households share the same shelter",
    "Elderly respondent, some questions repeated",
    "Respondent says \"the borehole is broken\" since June",
    "No latrine in the compound; uses neighbour's",
    "Children out of school because fees are too high",
    "Roof damaged during last rainy season \u2013 not repaired",
    "Husband went back to farm in the village, returns monthly",
    "Respondent did not want to discuss security incidents",
    "Lost documents when fleeing; asked how to replace NIN slip",
    "Translator used (Kanuri)",
    "Translator used (Fulfulde)",
    "Household receives food vouchers; last distribution 2 months ago",
]
COMMENTS_PII = [
    "Respondent asked to be called back on {phone} about food distribution",
    "Call her brother on {phone}, he knows the landlord",
    "Send the referral to {email}",
    "Son\u2019s e-mail for follow-up: {email}",
    "Wants protection referral; phone {phone}, e-mail {email}",
]


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
def logit(p):
    return math.log(p / (1 - p))


def expit(x):
    return 1 / (1 + math.exp(-x))


def fmt_dt_local(t):
    # Kobo start/end: device time with milliseconds and the WAT offset.
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (t.microsecond // 1000) + "+01:00"


def fmt_dt_utc(t):
    # Kobo _submission_time: server time, UTC, no offset.
    return t.strftime("%Y-%m-%dT%H:%M:%S")


# Probability of the "good" answer (violence_12m: probability of "yes" = bad),
# by group, round 2024. 2025 shifts IDPs (and a little returnees) to better.
BASE = {
    #                    idp   returnee host
    "violence_12m":      (0.20, 0.13, 0.07),
    "free_movement":     (0.62, 0.72, 0.86),
    "shelter_adequate":  (0.34, 0.55, 0.76),
    "health_access":     (0.54, 0.60, 0.73),
    "employed":          (0.30, 0.42, 0.56),
    "income_covers_needs": (0.14, 0.22, 0.36),
    "tenure_secure":     (0.20, 0.46, 0.72),
    "enrolment":         (0.55, 0.63, 0.74),
    "birth_certificate": (0.28, 0.35, 0.50),
    "national_id":       (0.33, 0.44, 0.61),
    "voter_card":        (0.42, 0.54, 0.66),
    "fies_p":            (0.60, 0.51, 0.40),  # per-item probability of "yes"
}
SHIFT = {2024: (0.0, 0.0, 0.0), 2025: (0.25, 0.06, 0.0)}  # logit shift, good direction
YESNO = ["violence_12m", "free_movement", "shelter_adequate", "health_access",
         "employed", "income_covers_needs", "tenure_secure"]
YESNO_COL = {
    "violence_12m": "grp_prot/violence_12m",
    "free_movement": "grp_prot/free_movement",
    "shelter_adequate": "grp_shelter/shelter_adequate",
    "health_access": "grp_health/health_access",
    "employed": "grp_liv/employed",
    "income_covers_needs": "grp_liv/income_covers_needs",
    "tenure_secure": "grp_hlp/tenure_secure",
}
MISSING = 0.02


class Survey:
    def __init__(self, survey_id, year, seed, first_day, last_day, id_start):
        self.survey_id = survey_id
        self.year = year
        self.rng = random.Random(seed)
        self.first_day = first_day
        self.last_day = last_day
        self.id_start = id_start
        self.gi = {}
        self.rows = []
        self.clusters = []

    # ---- small random helpers --------------------------------------------
    def uuid4(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def phone(self):
        r = self.rng
        pre = r.choice(PHONE_PREFIX)
        last = "%04d" % r.randint(100, 199)
        style = r.random()
        if style < 0.6:
            return "+234 %s 555 %s" % (pre, last)
        if style < 0.85:
            return "0%s 555 %s" % (pre, last)
        return "0%s555%s" % (pre, last)

    def person(self):
        r = self.rng
        first = r.choice(FIRST_F if r.random() < 0.55 else FIRST_M)
        last = r.choice(SURNAMES)
        return first, last

    def email(self, first, last):
        r = self.rng
        style = r.randint(0, 2)
        local = ["%s.%s" % (first, last), "%s%s%d" % (first, last, r.randint(1, 99)),
                 "%s_%s" % (first[0], last)][style]
        return local.lower() + "@example.org"

    def yesno(self, p_yes):
        r = self.rng.random()
        if r < MISSING:
            return ""
        if r < MISSING + 0.03:
            return "dont_know"
        if r < MISSING + 0.04:
            return "prefer_not_to_answer"
        return "yes" if self.rng.random() < p_yes else "no"

    # ---- design ----------------------------------------------------------
    def build_design(self):
        r = self.rng
        stems_used = {}
        serial = 0
        for a1, lgas in LGAS.items():
            for a2, lat, lon in lgas:
                lga_eff = r.gauss(0, 0.25)
                stems = r.sample(SITE_STEMS, len(SITE_STEMS))
                stems_used[a2] = stems
                for g_i, g in enumerate(GROUPS):
                    stratum = "%s-%s" % (a2, g)
                    if stratum == LONELY_STRATUM:
                        m_h, frame = 1, r.randint(3, 5)
                    elif g == "idp":
                        m_h, frame = r.choice([5, 6, 6]), r.randint(25, 140)
                    elif g == "returnee":
                        m_h, frame = r.choice([3, 4, 4]), r.randint(12, 90)
                    else:
                        m_h, frame = r.choice([4, 4, 5]), r.randint(30, 160)
                    n_hh_pop = {"idp": r.randint(6000, 60000),
                                "returnee": r.randint(2500, 25000),
                                "host_community": r.randint(9000, 70000)}[g]
                    for c in range(m_h):
                        serial += 1
                        stem = stems.pop()
                        if g == "idp":
                            site = "%s %s" % (stem, r.choice(IDP_SUFFIX))
                        else:
                            site = stem + r.choice(VILLAGE_SUFFIX)
                        if stratum == LONELY_STRATUM:
                            n = r.randint(18, 20)
                        elif r.random() < 0.07:
                            n = r.randint(8, 10)
                        else:
                            n = r.randint({"idp": 15, "returnee": 12, "host_community": 11}[g], 20)
                        big_n = max(n + 5, int(round(n_hh_pop / frame * math.exp(r.gauss(0, 0.45)))))
                        day = self.first_day + dt.timedelta(
                            days=r.randint(0, (self.last_day - self.first_day).days))
                        self.clusters.append({
                            "admin1": a1, "admin2": a2, "stratum": stratum, "group": g,
                            "g_i": g_i,
                            "cluster_id": "NGA%d-C%03d" % (self.year % 100, serial),
                            "site": site, "n": n,
                            "base_w": (frame / m_h) * (big_n / n),
                            "effect": lga_eff + r.gauss(0, 0.35),
                            "lat": lat + r.uniform(-0.06, 0.06),
                            "lon": lon + r.uniform(-0.06, 0.06),
                            "day": day,
                        })
        # the fieldwork spans the whole window: first and last cluster on its ends
        self.clusters[0]["day"] = self.first_day
        self.clusters[-1]["day"] = self.last_day

    # ---- one household ---------------------------------------------------
    def household(self, cl, group=None):
        r = self.rng
        g = cl["group"] if group is None else group
        g_i = GROUPS.index(g) if g in GROUPS else cl["g_i"]
        shift = SHIFT[self.year][g_i]
        z = cl["effect"] + 0.5 * r.gauss(0, 1)

        def p_good(item):
            return expit(logit(BASE[item][g_i]) + shift + 0.8 * z)

        row = {}
        # timing: interview on the cluster's day (a few spill to the next day)
        day = cl["day"] + dt.timedelta(days=1 if r.random() < 0.1 and cl["day"] < self.last_day else 0)
        start = dt.datetime.combine(day, dt.time(8, 0)) + dt.timedelta(
            seconds=r.randint(0, 9 * 3600), milliseconds=r.randint(0, 999))
        end = start + dt.timedelta(seconds=r.randint(18 * 60, 55 * 60), milliseconds=r.randint(0, 999))
        delay = r.random()
        end_utc = end - dt.timedelta(hours=1)
        if delay < 0.45:
            sub = end_utc + dt.timedelta(seconds=r.randint(60, 3 * 3600))
        elif delay < 0.8:
            sub = dt.datetime.combine(day, dt.time(16, 0)) + dt.timedelta(seconds=r.randint(0, 5 * 3600))
            sub = max(sub, end_utc + dt.timedelta(seconds=r.randint(60, 600)))
        else:
            sub = dt.datetime.combine(day + dt.timedelta(days=r.randint(1, 3)), dt.time(6, 0)) \
                + dt.timedelta(seconds=r.randint(0, 14 * 3600))
        row["start"] = fmt_dt_local(start)
        row["end"] = fmt_dt_local(end)
        row["today"] = day.isoformat()
        row["_sub_dt"] = sub
        row["grp_loc/admin1"] = cl["admin1"]
        row["grp_loc/admin2"] = cl["admin2"]
        row["grp_loc/site_name"] = cl["site"]
        row["stratum"] = cl["stratum"]
        row["cluster_id"] = cl["cluster_id"]
        row["weight"] = "%.4f" % (cl["base_w"] * r.uniform(0.97, 1.03))

        # PII
        first, last = self.person()
        row["grp_resp/resp_name"] = "%s %s" % (first, last)
        row["grp_resp/resp_phone"] = self.phone() if r.random() < 0.88 else ""
        row["grp_resp/resp_email"] = self.email(first, last) if r.random() < 0.35 else ""
        lat = cl["lat"] + r.uniform(-0.008, 0.008)
        lon = cl["lon"] + r.uniform(-0.008, 0.008)
        row["_geolocation"] = "%.6f %.6f" % (lat, lon)
        row["_gps_latitude"] = "%.6f" % lat
        row["_gps_longitude"] = "%.6f" % lon

        # household
        row["grp_hh/displacement_status"] = g
        hh_size = r.choices(range(1, 13), weights=[3, 6, 9, 12, 13, 13, 12, 10, 8, 6, 4, 4])[0]
        row["grp_hh/hh_size"] = str(hh_size)

        for item in YESNO:
            if item == "violence_12m":
                p_yes = expit(logit(BASE[item][g_i]) - shift - 0.8 * z)
            else:
                p_yes = p_good(item)
            row[YESNO_COL[item]] = self.yesno(p_yes)

        p_fies = expit(logit(BASE["fies_p"][g_i]) - shift - 0.9 * z)
        fies = sum(1 for _ in range(8) if r.random() < p_fies)
        row["grp_fs/fies_score"] = "" if r.random() < MISSING else str(fies)

        max_children = min(6, hh_size - 1)
        sac = min(max_children, sum(1 for _ in range(max(0, hh_size - 1)) if r.random() < 0.38))
        if r.random() < MISSING:
            row["grp_edu/school_age_children"] = ""
            row["grp_edu/children_enrolled"] = ""
        else:
            row["grp_edu/school_age_children"] = str(sac)
            if sac == 0:
                row["grp_edu/children_enrolled"] = ""  # skip logic
            else:
                p_enr = p_good("enrolment")
                enr = sum(1 for _ in range(sac) if r.random() < p_enr)
                row["grp_edu/children_enrolled"] = "" if r.random() < MISSING else str(enr)

        held = [code for code in ("birth_certificate", "national_id", "voter_card")
                if r.random() < p_good(code)]
        if r.random() < MISSING:
            row["grp_docs/documents_held"] = ""
            for code in ("birth_certificate", "national_id", "voter_card", "none"):
                row["grp_docs/documents_held/" + code] = ""
        else:
            row["grp_docs/documents_held"] = " ".join(held) if held else "none"
            for code in ("birth_certificate", "national_id", "voter_card"):
                row["grp_docs/documents_held/" + code] = "1" if code in held else "0"
            row["grp_docs/documents_held/none"] = "0" if held else "1"

        c = r.random()
        if c < 0.07:
            p1, p2 = self.person()
            row["grp_comments/other_comments"] = r.choice(COMMENTS_PII).format(
                phone=self.phone(), email=self.email(p1, p2))
        elif c < 0.27:
            row["grp_comments/other_comments"] = r.choice(COMMENTS)
        else:
            row["grp_comments/other_comments"] = ""

        row["_uuid"] = self.uuid4()
        return row

    # ---- whole survey ----------------------------------------------------
    def generate(self):
        r = self.rng
        self.build_design()
        for cl in self.clusters:
            for _ in range(cl["n"]):
                hh = self.household(cl)
                hh["_bad"] = ""
                self.rows.append(hh)
        good = list(self.rows)

        def extra(problem, group=None):
            cl = r.choice([c for c in self.clusters if c["group"] == "idp"] if group else self.clusters)
            hh = self.household(cl, group)
            hh["_bad"] = problem
            self.rows.append(hh)
            return hh

        extra("weight empty")["weight"] = ""
        extra("weight 0")["weight"] = "0.0000"
        hh = extra("weight negative")
        hh["weight"] = "-" + hh["weight"]
        extra("weight not a number")["weight"] = "n/a" if self.year == 2024 else "NA"
        extra("displacement_status refugee (unknown group)", group="refugee")
        hh = extra("today outside the round's dates")
        bad_day = dt.date(self.year - 1, 12, 1)
        for key in ("start", "end"):
            hh[key] = bad_day.isoformat() + hh[key][10:]
        hh["today"] = bad_day.isoformat()
        extra("admin1 NG099 not in the reference")["grp_loc/admin1"] = "NG099"
        # duplicate _uuid: re-submission of an existing household, 3 days later,
        # one answer changed.
        orig = r.choice(good)
        dup = dict(orig)
        old = orig["grp_shelter/shelter_adequate"]
        dup["grp_shelter/shelter_adequate"] = "no" if old == "yes" else "yes"
        dup["_sub_dt"] = orig["_sub_dt"] + dt.timedelta(days=3, seconds=r.randint(0, 20000))
        dup["_bad"] = "duplicate _uuid: later re-submission, shelter_adequate %s -> %s" % (
            old or "(empty)", dup["grp_shelter/shelter_adequate"])
        orig["_dup_earlier"] = True
        self.rows.append(dup)

        # export order: submission time; _index 1..N, _id increasing with gaps
        self.rows.sort(key=lambda x: (x["_sub_dt"], x["_uuid"]))
        next_id = self.id_start
        for i, hh in enumerate(self.rows, 1):
            next_id += r.randint(1, 37)
            hh["_submission_time"] = fmt_dt_utc(hh["_sub_dt"])
            hh["_index"] = str(i)
            hh["_id"] = str(next_id)


def r_name(name):
    """Column name as R's make.names() gives it (read.csv(check.names = TRUE))."""
    out = "".join(ch if ch.isalnum() or ch in "._" else "." for ch in name)
    if out[0] == "_" or out[0].isdigit():
        out = "X" + out
    return out


def write_2024(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        w = csv.writer(f, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        w.writerow(COLUMNS)
        for hh in rows:
            w.writerow([hh[c] for c in COLUMNS])


def write_2025(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
        w.writerow([r_name(c) for c in COLUMNS])
        for hh in rows:
            w.writerow([hh[c] for c in COLUMNS])


SURVEYS = [
    ("nga-msna-2024", 2024, 2024080501, dt.date(2024, 8, 5), dt.date(2024, 10, 25), 498213577, write_2024),
    ("nga-msna-2025", 2025, 2025080401, dt.date(2025, 8, 4), dt.date(2025, 10, 24), 612004211, write_2025),
]


def main():
    os.makedirs(OUT, exist_ok=True)
    total = 0
    for survey_id, year, seed, d0, d1, id0, writer in SURVEYS:
        s = Survey(survey_id, year, seed, d0, d1, id0)
        s.generate()
        path = os.path.join(OUT, survey_id + ".csv")
        writer(path, s.rows)
        size = os.path.getsize(path)
        total += size
        bad = [hh for hh in s.rows if hh["_bad"]]
        households = len(s.rows) - len(bad)
        by_group = {g: sum(1 for hh in s.rows if not hh["_bad"] and hh["grp_hh/displacement_status"] == g)
                    for g in GROUPS}
        strata = sorted({c["stratum"] for c in s.clusters})
        lonely = [st for st in strata if sum(1 for c in s.clusters if c["stratum"] == st) == 1]
        print("surveys/%s.csv: %d data rows (%d households + %d bad rows), %d strata, %d clusters, "
              "lonely PSU stratum %s, %d bytes"
              % (survey_id, len(s.rows), households, len(bad), len(strata), len(s.clusters),
                 ",".join(lonely), size))
        print("  households by group: " + ", ".join("%s %d" % kv for kv in by_group.items()))
        order = ["weight empty", "weight 0", "weight negative", "weight not a number",
                 "displacement_status refugee", "today outside", "admin1 NG099", "duplicate _uuid"]
        bad.sort(key=lambda hh: [i for i, o in enumerate(order) if hh["_bad"].startswith(o)][0])
        for hh in bad:
            print("  bad row _index %s _uuid %s: %s" % (hh["_index"], hh["_uuid"], hh["_bad"]))
        got = [hh["_uuid"] for hh in bad]
        if got != EXPECTED_BAD[survey_id]:
            sys.exit("bad-row _uuid values differ from the list in the header: %s" % got)
        if households < 3000 or lonely != [LONELY_STRATUM]:
            sys.exit("design check failed")
    print("surveys total: %d bytes" % total)
    if total >= 3 * 1024 * 1024:
        sys.exit("survey samples exceed 3 MB")


if __name__ == "__main__":
    main()
