#!/usr/bin/env python3
"""Generate the synthetic DTM-shaped tracking samples under data-samples/.

Run from the repository root:

    python3 data-samples/tools/make_tracking_samples.py

Standard library only, fixed seed: two runs give byte-identical files.
All figures are SYNTHETIC (no real DTM data; its licence forbids redistribution).
Unit names and p-codes are real: they come from the OCHA Global P-Codes list in
../shared/reference/global-pcodes-adm1-2.csv (copied as a subset to
data-samples/reference/admin-units.csv by this script).

Files written
-------------
  data-samples/reference/admin-units.csv   header + HXL row + every NGA/TCD row
                                           of the shared list, bytes unchanged
                                           (CRLF kept, BOM dropped)
  data-samples/tracking/nga-northeast-api.json  DTM API envelope, NGA, operation
        "Nigeria - North-East", rounds 1..29, 15th of each month 2024-01..2026-06
        with 2025-04 skipped (round 15 = 2025-03-15, round 16 = 2025-05-15)
  data-samples/tracking/nga-ncnw-export.csv     CSV + HXL row, operation
        "Nigeria - North-Central and North-West", rounds 1..24, 25th of each
        month 2024-07..2026-06
  data-samples/tracking/tcd-lac-api.json        bare JSON array, operation
        "Chad - Lac", rounds 1..12, 2024-03-10T00:00:00 .. 2025-02-10T00:00:00
  data-samples/tracking/tcd-lac-export.csv      CSV, no HXL row, "Chad - Lac",
        rounds 13..26, 2025-03-10 .. 2026-04-10 (continues the same series)

Deliberate messiness (real rows, NOT extra rows; the data stay consistent once
the pipeline repairs them)
------------------------------------------------------------------------------
  nga-northeast-api.json  id 100746  name-only admin-2 row: admin2Pcode "" and
        admin2Name "ASKIRA-UBA" (reference: NG008002 "Askira/Uba"), admin1Pcode
        NG008 present (round 10).
  nga-northeast-api.json  ~a dozen admin-2 rows carry numPresentIdpInd (and a
        few numberMales) as JSON strings, e.g. "1520"; the values are valid.
  all files  displacementReason spelt Conflict / conflict / CONFLICT /
        Natural disaster / natural Disaster on admin-2 rows; admin-1 rows use
        the canonical spelling (compare case-insensitively).
  tcd-lac-export.csv  ISO2-style p-codes: every row of department Fouli has
        admin2Pcode TD0704 (reference TCD0704) and admin1Pcode TD07 (reference
        TCD07); every admin-1 row of Kanem has admin1Pcode TD06 (TCD06).
  tcd-lac-api.json  department Kaya (TCD0703) is not reported in rounds 6, 7, 8
        (the Lac admin-1 rows of those rounds sum the other departments only).
  nga-northeast-api.json  month 2025-04 has no round (date jumps two months).
  numberMales / numberFemales: null (empty) on ~15% of rows; on ~2% of the
        remaining rows they do not add up exactly to numPresentIdpInd.

Deliberate inconsistency (real rows)
------------------------------------
  nga-northeast-api.json  Yobe (NG036), round 18 (2025-07-15): every admin-1
        row of Yobe is 20% higher (rounded) than the sum of its admin-2 rows
        for that reason. The admin-0 row of round 18 is the sum of the admin-1
        rows as written (so it includes the inflation).

Bad rows (all EXTRA rows; removing them leaves the good data consistent)
------------------------------------------------------------------------
  nga-northeast-api.json  id 190001  numPresentIdpInd negative (-1250)
                                     (Gwoza NG008011, round 7)
  nga-northeast-api.json  id 190002  unknown admin-2 p-code NG008999
                                     ("Gajiram", Borno NG008, round 12)
  nga-northeast-api.json  id 101541  duplicated id: exact copy of the row with
                                     id 101541 (Maiduguri NG008021, round 20),
                                     written right after the original row
  nga-ncnw-export.csv     id 290001  numPresentIdpInd "n/a"
                                     (Gusau NG037007, round 5)
  nga-ncnw-export.csv     id 290002  reportingDate "2025-13-45" (bad date)
                                     (Jibia NG021016, round 9)
  tcd-lac-api.json        id 390001  reportingDate "2031-01-15T00:00:00"
                                     (future; Mamdi TCD0701, round 10)
  tcd-lac-api.json        id 390002  operation "" (empty)
                                     (Wayi TCD0702, round 4)
  tcd-lac-export.csv      id 490001  reportingDate "31/02/2025" (impossible)
                                     (Mamdi TCD0701, round 13)

Operation overlap (operation priority)
--------------------------------------
  Adamawa (NG002) LGAs Madagali (NG002010) and Mubi North (NG002014) are
  reported by both "Nigeria - North-East" (15th of the month) and
  "Nigeria - North-Central and North-West" (25th of the month) in every month
  2024-07 .. 2026-06 except 2025-04 (North-East skipped that month), with
  different figures.
"""

import csv
import io
import json
import math
import os
import random
import sys

SEED = 20260101
rng = random.Random(SEED)

ROOT = os.getcwd()
SRC_REF = os.path.join(ROOT, "..", "shared", "reference", "global-pcodes-adm1-2.csv")
OUT = os.path.join(ROOT, "data-samples")
REF_OUT = os.path.join(OUT, "reference", "admin-units.csv")
TRACK = os.path.join(OUT, "tracking")

FIELDS = [
    "id", "operation", "admin0Name", "admin0Pcode", "admin1Name", "admin1Pcode",
    "admin2Name", "admin2Pcode", "adminLevel", "numPresentIdpInd", "numReturneeInd",
    "reportingDate", "yearReportingDate", "monthReportingDate", "roundNumber",
    "displacementReason", "numberMales", "numberFemales", "idpOriginAdmin1Name",
    "idpOriginAdmin1Pcode", "assessmentType", "operationStatus",
]

HXL_TAGS = {
    "id": "#meta+id",
    "operation": "#operation+name",
    "admin0Name": "#country+name",
    "admin0Pcode": "#country+code",
    "admin1Name": "#adm1+name",
    "admin1Pcode": "#adm1+code",
    "admin2Name": "#adm2+name",
    "admin2Pcode": "#adm2+code",
    "adminLevel": "#geo+admin_level",
    "numPresentIdpInd": "#affected+idps+ind",
    "numReturneeInd": "#affected+returnees+ind",
    "reportingDate": "#date+reported",
    "yearReportingDate": "#date+year",
    "monthReportingDate": "#date+month",
    "roundNumber": "#meta+round",
    "displacementReason": "#cause+displacement",
    "numberMales": "#affected+idps+m",
    "numberFemales": "#affected+idps+f",
    "idpOriginAdmin1Name": "#adm1+name+origin",
    "idpOriginAdmin1Pcode": "#adm1+code+origin",
    "assessmentType": "#meta+assessment+type",
    "operationStatus": "#status+operation",
}


# --------------------------------------------------------------------------
# Reference: copy the NGA / TCD subset and index it
# --------------------------------------------------------------------------
def copy_reference():
    with open(SRC_REF, "rb") as f:
        data = f.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    lines = data.splitlines(keepends=True)
    keep = lines[:2] + [ln for ln in lines[2:]
                        if ln.split(b",", 1)[0].strip(b'"') in (b"NGA", b"TCD")]
    os.makedirs(os.path.dirname(REF_OUT), exist_ok=True)
    with open(REF_OUT, "wb") as f:
        f.write(b"".join(keep))
    units = {}
    text = b"".join(keep).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows[2:]:
        loc, level, pcode, name, parent, _valid = row
        units[pcode] = {"country": loc, "level": int(level), "name": name, "parent": parent}
    return units, len(keep) - 2


UNITS, REF_ROWS = copy_reference()


def unit(pcode, parent=None):
    u = UNITS[pcode]  # KeyError = a p-code not in the reference: fail loudly
    if parent is not None and u["parent"] != parent:
        raise SystemExit("%s is not a child of %s" % (pcode, parent))
    return pcode, u["name"]


COUNTRY = {"NGA": "Nigeria", "TCD": "Chad"}


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------
def months(y, m, n):
    out = []
    for _ in range(n):
        out.append((y, m))
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


REASON_VARIANTS = {
    "Conflict": ["Conflict"] * 8 + ["conflict", "CONFLICT"],
    "Natural disaster": ["Natural disaster"] * 4 + ["natural Disaster"],
}


def spell(reason):
    v = REASON_VARIANTS.get(reason)
    return rng.choice(v) if v else reason


def weighted(choices):
    total = sum(w for _, w in choices)
    x = rng.random() * total
    for c, w in choices:
        x -= w
        if x < 0:
            return c
    return choices[-1][0]


def sex_split(total, ratio, allow_off=True):
    """Return (males, females); None, None in ~15% of rows."""
    if rng.random() < 0.15:
        return None, None
    males = int(round(total * (ratio + rng.gauss(0, 0.01))))
    males = max(0, min(total, males))
    females = total - males
    if allow_off and rng.random() < 0.02:
        females = max(0, females + rng.choice([-1, 1]) * rng.randint(3, 40))
    return males, females


class UnitSeries:
    """Smooth IDP series for one admin-2 unit, split into reason/origin streams."""

    def __init__(self, low, high, streams, n):
        self.level = math.exp(rng.uniform(math.log(low), math.log(high)))
        self.trend = rng.uniform(-0.03, 0.035)
        self.streams = streams  # list of (reason, origin_pcode)
        self.weights = [rng.uniform(0.5, 3.0) for _ in streams]
        self.ret_ratio = rng.uniform(0.05, 0.9)
        self.sex_ratio = rng.uniform(0.44, 0.50)
        self.values = []  # per time step: list of (reason, origin, idp, returnees)
        for _ in range(n):
            self.step()

    def step(self):
        self.level *= math.exp(self.trend + rng.gauss(0, 0.04))
        self.level = max(self.level, 80.0)
        self.trend += rng.gauss(0, 0.002)
        self.weights = [w * math.exp(rng.gauss(0, 0.05)) for w in self.weights]
        self.ret_ratio = min(1.5, self.ret_ratio * math.exp(rng.gauss(0, 0.03)))
        s = sum(self.weights)
        row = []
        for (reason, origin), w in zip(self.streams, self.weights):
            idp = max(5, int(round(self.level * w / s)))
            ret = max(0, int(round(idp * self.ret_ratio * math.exp(rng.gauss(0, 0.1)))))
            row.append((reason, origin, idp, ret))
        self.values.append(row)


def pick_streams(own_state, states, reasons):
    k = weighted([(2, 4), (3, 4), (4, 2)])
    out = []
    tries = 0
    while len(out) < k and tries < 50:
        tries += 1
        reason = weighted(reasons)
        origin = own_state if rng.random() < 0.6 else rng.choice(states)
        if (reason, origin) not in out:
            out.append((reason, origin))
    return out


def base_row(op, country, level):
    r = dict.fromkeys(FIELDS)
    r["operation"] = op
    r["admin0Name"] = COUNTRY[country]
    r["admin0Pcode"] = country
    r["adminLevel"] = level
    r["assessmentType"] = "BA"
    r["operationStatus"] = "Active"
    return r


def set_date(r, date_str, y, m, rnd):
    r["reportingDate"] = date_str
    r["yearReportingDate"] = y
    r["monthReportingDate"] = m
    r["roundNumber"] = rnd


class IdSeq:
    def __init__(self, start):
        self.n = start

    def __call__(self):
        self.n += 1
        return self.n


def build_operation(op, country, states, series, rounds, date_fmt, id_start,
                    with_returnees, skip=None, admin1_code_override=None,
                    admin2_override=None, inflate=None, hooks=None):
    """Build the rows of one file.

    states: list of (admin1_pcode, [admin2_pcode, ...])
    series: {admin2_pcode: UnitSeries}
    rounds: list of (round_number, time_index, (y, m), day)
    skip: set of (admin2_pcode, round_number) not reported
    hooks: {(admin2_pcode, round_number): fn(rows_of_unit, ids) -> extra rows}
    """
    ids = IdSeq(id_start)
    skip = skip or set()
    hooks = hooks or {}
    rows = []
    for rnd, t, (y, m), day in rounds:
        date_str = date_fmt.format(y=y, m=m, d=day)
        a0 = base_row(op, country, 0)
        a0["id"] = ids()
        set_date(a0, date_str, y, m, rnd)
        rows.append(a0)
        a0_idp = 0
        a0_ret = 0
        round_rows = []
        for a1_code, a2_codes in states:
            a1_pc, a1_name = unit(a1_code, country)
            a1_written = admin1_code_override.get(a1_code, a1_pc) if admin1_code_override else a1_pc
            per_reason = {}
            order = []
            a2_rows = []
            ratio_sum = 0.0
            n_reported = 0
            for a2_code in a2_codes:
                if (a2_code, rnd) in skip:
                    continue
                a2_pc, a2_name = unit(a2_code, a1_code)
                s = series[a2_code]
                ratio_sum += s.sex_ratio
                n_reported += 1
                unit_rows = []
                for reason, origin, idp, ret in s.values[t]:
                    r = base_row(op, country, 2)
                    r["id"] = ids()
                    r["admin1Name"] = a1_name
                    r["admin1Pcode"] = a1_pc
                    r["admin2Name"] = a2_name
                    r["admin2Pcode"] = a2_pc
                    if admin2_override and a2_code in admin2_override:
                        r["admin1Pcode"], r["admin2Pcode"] = admin2_override[a2_code]
                    r["numPresentIdpInd"] = idp
                    r["numReturneeInd"] = ret if with_returnees else None
                    set_date(r, date_str, y, m, rnd)
                    r["displacementReason"] = spell(reason)
                    r["numberMales"], r["numberFemales"] = sex_split(idp, s.sex_ratio)
                    o_pc, o_name = unit(origin, country)
                    r["idpOriginAdmin1Name"] = o_name
                    r["idpOriginAdmin1Pcode"] = o_pc
                    unit_rows.append(r)
                    if reason not in per_reason:
                        per_reason[reason] = [0, 0]
                        order.append(reason)
                    per_reason[reason][0] += idp
                    per_reason[reason][1] += ret
                hook = hooks.get((a2_code, rnd))
                if hook:
                    unit_rows = hook(unit_rows)
                a2_rows.extend(unit_rows)
            if not a2_rows:
                continue
            avg_ratio = ratio_sum / n_reported
            for reason in order:
                idp, ret = per_reason[reason]
                if inflate and inflate == (a1_code, rnd):
                    idp = int(round(idp * 1.2))
                r = base_row(op, country, 1)
                r["id"] = ids()
                r["admin1Name"] = a1_name
                r["admin1Pcode"] = a1_written
                r["numPresentIdpInd"] = idp
                r["numReturneeInd"] = ret if with_returnees else None
                set_date(r, date_str, y, m, rnd)
                r["displacementReason"] = reason
                r["numberMales"], r["numberFemales"] = sex_split(idp, avg_ratio, False)
                round_rows.append(r)
                a0_idp += idp
                a0_ret += ret
            round_rows.extend(a2_rows)
        a0["numPresentIdpInd"] = a0_idp
        a0["numReturneeInd"] = a0_ret if with_returnees else None
        a0["numberMales"], a0["numberFemales"] = sex_split(a0_idp, 0.47, False)
        rows.extend(round_rows)
    return rows


def write_json(path, rows, envelope):
    lines = [json.dumps(r, ensure_ascii=False) for r in rows]
    body = "[\n" + ",\n".join(lines) + "\n]"
    if envelope:
        text = '{"isSuccess": true, "message": null, "result": ' + body + "}\n"
    else:
        text = body + "\n"
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_csv(path, rows, hxl):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FIELDS)
        if hxl:
            w.writerow([HXL_TAGS[k] for k in FIELDS])
        for r in rows:
            w.writerow(["" if r[k] is None else r[k] for k in FIELDS])


def bad_copy(row, new_id, **changes):
    r = dict(row)
    r["id"] = new_id
    r.update(changes)
    return r


# --------------------------------------------------------------------------
# Nigeria: units
# --------------------------------------------------------------------------
NE_STATES = [
    ("NG008", ["NG008021", "NG008013", "NG008016", "NG008003",   # Maiduguri Jere Konduga Bama
               "NG008011", "NG008002", "NG008024", "NG008008"]),  # Gwoza Askira/Uba Monguno Dikwa
    ("NG002", ["NG002020", "NG002021", "NG002014", "NG002015",   # Yola N/S, Mubi N/S
               "NG002013", "NG002010", "NG002007", "NG002004"]),  # Michika Madagali Hong Gombi
    ("NG036", ["NG036003", "NG036014", "NG036006", "NG036007",   # Damaturu Potiskum Geidam Gujba
               "NG036008", "NG036016", "NG036005", "NG036001"]),  # Gulani Yunusari Fune Bade
]
NCNW_STATES = [
    ("NG037", ["NG037001", "NG037007", "NG037010", "NG037013", "NG037014", "NG037011"]),
    ("NG021", ["NG021003", "NG021016", "NG021032", "NG021013", "NG021019", "NG021007"]),
    ("NG034", ["NG034013", "NG034009", "NG034006", "NG034019", "NG034008", "NG034012"]),
    ("NG002", ["NG002010", "NG002014"]),  # Madagali, Mubi North: also in North-East
]
OVERLAP = ["NG002010", "NG002014"]

NE_REASONS = [("Conflict", 6), ("Natural disaster", 2), ("Communal clashes", 1),
              ("Conflict; Natural disaster", 1.5)]
NCNW_REASONS = [("Banditry", 5), ("Communal clashes", 2), ("Conflict", 2),
                ("Natural disaster", 1), ("Not available", 0.5)]
TCD_REASONS = [("Conflict", 5), ("Natural disaster", 3), ("Not available", 1),
               ("Conflict; Natural disaster", 1)]

NE_MONTHS_ALL = months(2024, 1, 30)           # 2024-01 .. 2026-06
NE_SKIP_MONTH = (2025, 4)
NE_ROUNDS = []
for t, ym in enumerate(NE_MONTHS_ALL):
    if ym == NE_SKIP_MONTH:
        continue
    NE_ROUNDS.append((len(NE_ROUNDS) + 1, t, ym, 15))

NCNW_MONTHS = months(2024, 7, 24)             # 2024-07 .. 2026-06
NCNW_ROUNDS = [(i + 1, i, ym, 25) for i, ym in enumerate(NCNW_MONTHS)]

# ---- series (order of generation fixed => deterministic) ----
ne_state_codes = [s for s, _ in NE_STATES]
ne_series = {}
for st, lgas in NE_STATES:
    for lga in lgas:
        low, high = (2000, 60000) if st == "NG008" else (400, 20000)
        ne_series[lga] = UnitSeries(low, high, pick_streams(st, ne_state_codes, NE_REASONS),
                                    len(NE_MONTHS_ALL))

ncnw_origin_states = ["NG037", "NG021", "NG034", "NG019", "NG027"]
ncnw_series = {}
for st, lgas in NCNW_STATES:
    for lga in lgas:
        if lga in OVERLAP:
            continue
        ncnw_series[lga] = UnitSeries(300, 15000, pick_streams(st, ncnw_origin_states, NCNW_REASONS),
                                      len(NCNW_MONTHS))


class DerivedSeries:
    """North-Central/North-West figures for an Adamawa LGA that North-East also
    reports: same order of magnitude, different figures and breakdown."""

    def __init__(self, src, offset, n):
        self.sex_ratio = src.sex_ratio
        streams = pick_streams("NG002", ["NG002", "NG008", "NG036"], NE_REASONS)
        weights = [rng.uniform(0.5, 3.0) for _ in streams]
        bias = rng.uniform(0.85, 1.15)
        self.values = []
        for i in range(n):
            total = sum(v[2] for v in src.values[offset + i]) * bias * math.exp(rng.gauss(0, 0.05))
            weights = [w * math.exp(rng.gauss(0, 0.05)) for w in weights]
            s = sum(weights)
            self.values.append([(reason, origin, max(5, int(round(total * w / s))), 0)
                                for (reason, origin), w in zip(streams, weights)])


ne_offset = NE_MONTHS_ALL.index(NCNW_MONTHS[0])
for lga in OVERLAP:
    ncnw_series[lga] = DerivedSeries(ne_series[lga], ne_offset, len(NCNW_MONTHS))

# --------------------------------------------------------------------------
# Chad: units
# --------------------------------------------------------------------------
TCD_STATES = [
    ("TCD07", ["TCD0701", "TCD0702", "TCD0703", "TCD0704"]),  # Mamdi Wayi Kaya Fouli
    ("TCD06", ["TCD0601", "TCD0602", "TCD0603"]),             # Kanem Nord Kanem Wadi Bissam
]
TCD_MONTHS = months(2024, 3, 26)              # 2024-03 .. 2026-04
tcd_series = {}
for st, deps in TCD_STATES:
    for dep in deps:
        low, high = (1500, 40000) if st == "TCD07" else (300, 6000)
        tcd_series[dep] = UnitSeries(low, high,
                                     pick_streams(st, ["TCD07", "TCD06", "TCD19", "TCD05"], TCD_REASONS),
                                     len(TCD_MONTHS))
TCD_ROUNDS = [(i + 1, i, ym, 10) for i, ym in enumerate(TCD_MONTHS)]

# --------------------------------------------------------------------------
# Messy values applied after generation
# --------------------------------------------------------------------------
def stringify_some(rows, prob):
    seen = {}
    for r in rows:
        seen[r["id"]] = seen.get(r["id"], 0) + 1
    for r in rows:
        if r["id"] % 100000 >= 90000 or seen[r["id"]] > 1:
            continue  # leave bad rows and the duplicated pair alone
        if r["adminLevel"] == 2 and isinstance(r["numPresentIdpInd"], int):
            if rng.random() < prob:
                r["numPresentIdpInd"] = str(r["numPresentIdpInd"])
                if r["numberMales"] is not None and rng.random() < 0.4:
                    r["numberMales"] = str(r["numberMales"])


# ---- file a: Nigeria North-East ----
def ne_name_only(unit_rows):
    r = unit_rows[0]
    r["admin2Pcode"] = ""
    r["admin2Name"] = "ASKIRA-UBA"
    return unit_rows


def ne_negative(unit_rows):
    return unit_rows + [bad_copy(unit_rows[0], 190001, numPresentIdpInd=-1250,
                                 numberMales=None, numberFemales=None, numReturneeInd=310)]


def ne_unknown(unit_rows):
    return unit_rows + [bad_copy(unit_rows[0], 190002, admin2Pcode="NG008999", admin2Name="Gajiram",
                                 numPresentIdpInd=2140, numReturneeInd=0,
                                 numberMales=1003, numberFemales=1137,
                                 displacementReason="Conflict",
                                 idpOriginAdmin1Name="Borno", idpOriginAdmin1Pcode="NG008")]


def ne_duplicate(unit_rows):
    return [unit_rows[0], dict(unit_rows[0])] + unit_rows[1:]


rows_a = build_operation(
    "Nigeria - North-East", "NGA", NE_STATES, ne_series, NE_ROUNDS,
    "{y:04d}-{m:02d}-{d:02d}", 100000, True,
    inflate=("NG036", 18),
    hooks={("NG008002", 10): ne_name_only,
           ("NG008011", 7): ne_negative,
           ("NG008024", 12): ne_unknown,
           ("NG008021", 20): ne_duplicate})
stringify_some(rows_a, 0.006)


# ---- file b: Nigeria North-Central and North-West ----
def ncnw_na(unit_rows):
    return unit_rows + [bad_copy(unit_rows[0], 290001, numPresentIdpInd="n/a",
                                 numberMales=None, numberFemales=None)]


def ncnw_bad_date(unit_rows):
    return unit_rows + [bad_copy(unit_rows[-1], 290002, reportingDate="2025-13-45",
                                 yearReportingDate=2025, monthReportingDate=13)]


rows_b = build_operation(
    "Nigeria - North-Central and North-West", "NGA", NCNW_STATES, ncnw_series, NCNW_ROUNDS,
    "{y:04d}-{m:02d}-{d:02d}", 200000, False,
    hooks={("NG037007", 5): ncnw_na, ("NG021016", 9): ncnw_bad_date})


# ---- files c + d: Chad Lac (one series, rounds 1..12 API, 13..26 export) ----
def tcd_future(unit_rows):
    return unit_rows + [bad_copy(unit_rows[0], 390001, reportingDate="2031-01-15T00:00:00",
                                 yearReportingDate=2031, monthReportingDate=1)]


def tcd_no_op(unit_rows):
    return unit_rows + [bad_copy(unit_rows[-1], 390002, operation="", assessmentType=None)]


def tcd_impossible(unit_rows):
    return unit_rows + [bad_copy(unit_rows[0], 490001, reportingDate="31/02/2025",
                                 yearReportingDate=2025, monthReportingDate=2)]


rows_c = build_operation(
    "Chad - Lac", "TCD", TCD_STATES, tcd_series, TCD_ROUNDS[:12],
    "{y:04d}-{m:02d}-{d:02d}T00:00:00", 300000, False,
    skip={("TCD0703", 6), ("TCD0703", 7), ("TCD0703", 8)},
    hooks={("TCD0701", 10): tcd_future, ("TCD0702", 4): tcd_no_op})

rows_d = build_operation(
    "Chad - Lac", "TCD", TCD_STATES, tcd_series, TCD_ROUNDS[12:],
    "{y:04d}-{m:02d}-{d:02d}", 400000, False,
    admin1_code_override={"TCD06": "TD06"},
    admin2_override={"TCD0704": ("TD07", "TD0704")},
    hooks={("TCD0701", 13): tcd_impossible})

# --------------------------------------------------------------------------
# Write
# --------------------------------------------------------------------------
os.makedirs(TRACK, exist_ok=True)
outputs = [
    ("nga-northeast-api.json", rows_a, lambda p, r: write_json(p, r, True)),
    ("nga-ncnw-export.csv", rows_b, lambda p, r: write_csv(p, r, True)),
    ("tcd-lac-api.json", rows_c, lambda p, r: write_json(p, r, False)),
    ("tcd-lac-export.csv", rows_d, lambda p, r: write_csv(p, r, False)),
]
print("reference/admin-units.csv: %d unit rows" % REF_ROWS)
total = 0
for name, rows, writer in outputs:
    path = os.path.join(TRACK, name)
    writer(path, rows)
    size = os.path.getsize(path)
    total += size
    by_level = [sum(1 for r in rows if r["adminLevel"] == lv) for lv in (0, 1, 2)]
    print("tracking/%s: %d rows (admin0 %d, admin1 %d, admin2 %d), %d bytes"
          % (name, len(rows), by_level[0], by_level[1], by_level[2], size))
print("tracking total: %d bytes" % total)
if total >= 4 * 1024 * 1024:
    sys.exit("tracking samples exceed 4 MB")
