#!/usr/bin/env python3
"""Generate the synthetic programme (project) samples and their configuration.

Run from the repository root:

    python3 data-samples/tools/make_programme_samples.py

Standard library only. Each file has its own random.Random(seed): two runs give
byte-identical files. Everything is SYNTHETIC: no activity, budget, transaction
or 3W row describes a real project. Admin p-codes and names are the real ones
from data-samples/reference/admin-units.csv. The UN agencies and donors appear
with their real IATI organisation identifiers (to give the files a realistic
shape); every other organisation (ref prefix "XM-SYN-") is invented.

Files written
-------------
  data-samples/programmes/iati-activities.xml   IATI activity XML 2.03, 40
        activities (36 good + 4 bad), generated-datetime 2025-12-01T06:00:00Z,
        activities planned between 2023-07-01 and 2026-06-30.
  data-samples/programmes/3w-nga-2025.csv       3W sheet, Nigeria (Borno NG008,
        Adamawa NG002, Yobe NG036), header + HXL tag row (line 2), 215 data
        rows (210 good + 5 bad), ',' separator, UTF-8 (no BOM), LF.
  data-samples/programmes/3w-tcd-2025-notags.csv  3W sheet, Chad (Lac TCD07,
        Kanem TCD06), French headers, NO HXL row, 40 data rows (all good).
  conf/3w-columns.yaml      header -> HXL tag mapping for sheets without tags
  conf/fx-rates.csv         year,currency,usd_per_unit for 2023..2026 (no XAF)
  conf/sector-groups.csv    vocabulary,code,group (DAC purpose codes and
                            cluster names -> sector group)

Conventions (see data-samples/programmes/README.md)
---------------------------------------------------
  * <location percentage="60"> is a documented EXTENSION (IATI has no such
    attribute): the share of the activity in that location. Multi-location
    activities without it are split equally between their <location>s.
  * <administrative vocabulary="G1" level="1" code="NG008"/> carries the OCHA
    admin-1 p-code (as the brief asked; in the IATI codelist G1 is GeoNames).
  * Budgets and transactions always carry an explicit @currency and
    @value-date; USD conversion uses the rate of the value-date's year.
    Two budgets have a value-date in the year before their period (A12's 2024
    budget: 2023-12-15; A30's 2025 budget: 2024-12-10) and so use that year's
    rate.

Deliberate bad records
----------------------------------------------------------------------------
  file                  record                          problem
  iati-activities.xml   XM-DAC-47066-PRJ-000221  (A21)  no <activity-date> at
                        all (IOM, Geidam/Yobe NG036; budget 2025 USD 369,000)
  iati-activities.xml   XI-IATI-EC_ECHO-PRJ-000226 (A26)  second budget
                        (2026-01-01..2026-06-30) is XAF 149,558,000, a
                        currency with no rate in conf/fx-rates.csv (first
                        budget, 2025, is EUR 459,000)
  iati-activities.xml   XM-DAC-41140-PRJ-000234  (A34)  disbursement (type 3)
                        of -45000 USD dated 2025-06-30 (negative value)
  iati-activities.xml   XM-DAC-41122-PRJ-000237  (A37)  only location has
                        administrative code NG099 (not in the reference)
  3w-nga-2025.csv       data row 24 (line 26)           end date before start
                        date (end = start - 92 days)
  3w-nga-2025.csv       data row 58 (line 60)           start date empty
  3w-nga-2025.csv       data row 99 (line 101)          negative budget
  3w-nga-2025.csv       data row 142 (line 144)         admin-1 p-code NG099
                        (not in the reference; Admin1 name "Borno" kept,
                        Admin2 P-code empty)
  3w-nga-2025.csv       data row 189 (line 191)         People reached
                        "approx 500" (not a number)
  3w-tcd-2025-notags.csv  none
The script stops if the bad records it detects in the files it wrote differ
from this list (update both after changing the generator).

Other deliberate features (valid data, not errors)
--------------------------------------------------
  * 3w-nga-2025.csv: 6 good rows write both dates as DD/MM/YYYY (some with a
    day <= 12, i.e. only readable with the DD/MM rule); blank "Implementing
    partner" means the organisation implements directly; Planned rows report
    0 people reached.
  * iati-activities.xml: A06 lists two locations in the same admin 1 (Borno:
    Maiduguri and Konduga) and one in Yobe, without percentages: equal shares
    per location give Borno 2/3 and Yobe 1/3. A16 is a Lake Chad Basin activity
    in two countries (recipient-country NG 70 / TD 30, locations 70 / 30).
    Budget periods follow calendar years, UK fiscal years (April-March, FCDO)
    or a single period of at most one year; the first FCDO budget of A04,
    2023-07-01..2024-03-31, crosses the leap day 2024-02-29.
"""

import csv
import datetime as dt
import io
import os
import random
import sys
import xml.etree.ElementTree as ET
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

ROOT = os.getcwd()
REF = os.path.join(ROOT, "data-samples", "reference", "admin-units.csv")
OUT = os.path.join(ROOT, "data-samples", "programmes")
CONF = os.path.join(ROOT, "conf")

XML_PATH = os.path.join(OUT, "iati-activities.xml")
NGA_PATH = os.path.join(OUT, "3w-nga-2025.csv")
TCD_PATH = os.path.join(OUT, "3w-tcd-2025-notags.csv")
COLUMNS_PATH = os.path.join(CONF, "3w-columns.yaml")
FX_PATH = os.path.join(CONF, "fx-rates.csv")
SECTORS_PATH = os.path.join(CONF, "sector-groups.csv")

GENERATED = "2025-12-01T06:00:00Z"
AS_OF = dt.date(2025, 12, 1)  # the data are "as of" this day (status, reach)
FIRST_DAY = dt.date(2023, 7, 1)
LAST_DAY = dt.date(2026, 6, 30)

EXPECTED_BAD_ACTIVITIES = {
    "XM-DAC-47066-PRJ-000221": "no activity-date",
    "XI-IATI-EC_ECHO-PRJ-000226": "currency without rate: XAF",
    "XM-DAC-41140-PRJ-000234": "negative value",
    "XM-DAC-41122-PRJ-000237": "unknown admin code: NG099",
}
EXPECTED_BAD_NGA = {  # data row number (1-based, after header + HXL row)
    24: "end before start",
    58: "missing start date",
    99: "negative budget",
    142: "unknown admin-1 p-code",
    189: "people reached not a number",
}


# --------------------------------------------------------------------------
# Reference
# --------------------------------------------------------------------------
def load_units():
    units = {}
    with open(REF, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    for row in rows[2:]:
        _loc, level, pcode, name, parent, _valid = row
        units[pcode] = (int(level), name, parent)
    return units


UNITS = load_units()
ADMIN1 = {"NG008": "Borno", "NG002": "Adamawa", "NG036": "Yobe", "TCD07": "Lac", "TCD06": "Kanem"}
for _code, _name in ADMIN1.items():
    assert UNITS[_code][0] == 1 and UNITS[_code][1] == _name, _code


def admin2_of(admin1):
    return sorted(c for c, (lvl, _n, parent) in UNITS.items() if lvl == 2 and parent == admin1)


# --------------------------------------------------------------------------
# Configuration files
# --------------------------------------------------------------------------
COLUMNS_YAML = """\
# Header -> HXL tag for 3W sheets that have no HXL row (matched case-insensitively, accents kept).
headers:
  "Organisation": "#org+name"
  "Partenaire": "#org+impl+name"
  "Secteur": "#sector+cluster+name"
  "Activité": "#activity+name"
  "Code province": "#adm1+code"
  "Province": "#adm1+name"
  "Code département": "#adm2+code"
  "Date début": "#date+start"
  "Date fin": "#date+end"
  "Budget USD": "#value+budget+usd"
  "Personnes atteintes": "#reached+ind"
  "Statut": "#status"
"""

# USD per unit of currency, annual averages (2023-2024 close to the published
# annual averages; 2025 approximate; 2026 an assumption for planning figures).
FX = {
    "USD": ["1", "1", "1", "1"],
    "EUR": ["1.0813", "1.0824", "1.1290", "1.1500"],
    "GBP": ["1.2435", "1.2781", "1.3180", "1.3300"],
    "CHF": ["1.1127", "1.1359", "1.2030", "1.2200"],
    "SEK": ["0.09425", "0.09462", "0.10200", "0.10400"],
    "NOK": ["0.09470", "0.09303", "0.09710", "0.09800"],
    "DKK": ["0.14502", "0.14514", "0.15140", "0.15420"],
    "CAD": ["0.74094", "0.73002", "0.71500", "0.72500"],
    "JPY": ["0.007117", "0.006605", "0.006670", "0.006700"],
}
FX_YEARS = [2023, 2024, 2025, 2026]

SECTOR_GROUPS = [
    # DAC 5-digit purpose codes used in iati-activities.xml
    ("1", "11220", "basic_services"),            # primary education
    ("1", "12220", "basic_services"),            # basic health care
    ("1", "14030", "basic_services"),            # basic drinking water and sanitation
    ("1", "15110", "governance"),                # public sector policy and admin. management
    ("1", "15160", "protection"),                # human rights
    ("1", "15220", "social_cohesion_peacebuilding"),  # civilian peace-building, conflict prevention
    ("1", "16010", "livelihoods"),               # social protection
    ("1", "16030", "shelter_land"),              # housing policy and admin. management
    ("1", "31120", "livelihoods"),               # agricultural development
    ("1", "72010", "basic_services"),            # material relief assistance and services
    ("1", "74020", "disaster_risk_climate"),     # multi-hazard response preparedness
    # other common codes
    ("1", "11230", "basic_services"),            # basic life skills for youth and adults
    ("1", "12240", "basic_services"),            # basic nutrition
    ("1", "12261", "basic_services"),            # health education
    ("1", "12262", "basic_services"),            # malaria control
    ("1", "14031", "basic_services"),            # basic drinking water supply
    ("1", "14032", "basic_services"),            # basic sanitation
    ("1", "15111", "governance"),                # public finance management
    ("1", "15112", "governance"),                # decentralisation, subnational government
    ("1", "15130", "governance"),                # legal and judicial development
    ("1", "15150", "governance"),                # democratic participation and civil society
    ("1", "15170", "protection"),                # women's rights organisations and movements
    ("1", "15180", "protection"),                # ending violence against women and girls
    ("1", "15210", "social_cohesion_peacebuilding"),  # security system management and reform
    ("1", "15240", "social_cohesion_peacebuilding"),  # reintegration and SALW control
    ("1", "15250", "protection"),                # removal of land mines and ERW
    ("1", "15261", "protection"),                # child soldiers (prevention and demobilisation)
    ("1", "16020", "livelihoods"),               # employment creation
    ("1", "16040", "shelter_land"),              # low-cost housing
    ("1", "16050", "basic_services"),            # multisector aid for basic social services
    ("1", "24040", "livelihoods"),               # informal/semi-formal financial intermediaries
    ("1", "31110", "livelihoods"),               # agricultural policy and admin. management
    ("1", "31130", "livelihoods"),               # agricultural land resources
    ("1", "32130", "livelihoods"),               # SME development
    ("1", "41010", "disaster_risk_climate"),     # environmental policy and admin. management
    ("1", "43030", "shelter_land"),              # urban development and management
    ("1", "43040", "livelihoods"),               # rural development
    ("1", "43060", "disaster_risk_climate"),     # disaster risk reduction
    ("1", "43072", "livelihoods"),               # household food security
    ("1", "72040", "livelihoods"),               # emergency food assistance
    ("1", "72050", "other"),                     # relief co-ordination and support services
    ("1", "73010", "shelter_land"),              # immediate post-emergency reconstruction
    ("1", "91010", "other"),                     # administrative costs
    ("1", "99810", "other"),                     # sectors not specified
    # cluster names, English then French (lower case; names equal in both once)
    ("cluster", "protection", "protection"),
    ("cluster", "food security", "livelihoods"),
    ("cluster", "shelter/nfi", "shelter_land"),
    ("cluster", "wash", "basic_services"),
    ("cluster", "health", "basic_services"),
    ("cluster", "education", "basic_services"),
    ("cluster", "early recovery", "livelihoods"),
    ("cluster", "cccm", "shelter_land"),
    ("cluster", "nutrition", "basic_services"),
    ("cluster", "sécurité alimentaire", "livelihoods"),
    ("cluster", "abris/nfi", "shelter_land"),
    ("cluster", "eha", "basic_services"),
    ("cluster", "santé", "basic_services"),
    ("cluster", "éducation", "basic_services"),
    ("cluster", "relèvement précoce", "livelihoods"),
]
GROUPS = {"livelihoods", "social_cohesion_peacebuilding", "governance", "basic_services",
          "shelter_land", "protection", "disaster_risk_climate", "other"}


def fx_csv():
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["year", "currency", "usd_per_unit"])
    for i, year in enumerate(FX_YEARS):
        for cur, rates in FX.items():
            w.writerow([year, cur, rates[i]])
    return out.getvalue()


def sector_groups_csv():
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["vocabulary", "code", "group"])
    for row in SECTOR_GROUPS:
        assert row[2] in GROUPS, row
        w.writerow(row)
    return out.getvalue()


# --------------------------------------------------------------------------
# IATI activities
# --------------------------------------------------------------------------
ORGS = {  # key: (ref, type, name)
    "UNDP": ("XM-DAC-41114", "40", "United Nations Development Programme"),
    "UNICEF": ("XM-DAC-41122", "40", "United Nations Children's Fund"),
    "WFP": ("XM-DAC-41140", "40", "World Food Programme"),
    "UNHCR": ("XM-DAC-41121", "40", "Office of the United Nations High Commissioner for Refugees"),
    "IOM": ("XM-DAC-47066", "40", "International Organization for Migration"),
    "FAO": ("XM-DAC-41301", "40", "Food and Agriculture Organization of the United Nations"),
    "WHO": ("XM-DAC-928", "40", "World Health Organization"),
    "UNFPA": ("XM-DAC-41119", "40", "United Nations Population Fund"),
    "FCDO": ("GB-GOV-1", "10", "Foreign, Commonwealth & Development Office"),
    "NLMFA": ("NL-1", "10", "Ministry of Foreign Affairs of the Netherlands"),
    "ECHO": ("XI-IATI-EC_ECHO", "15",
             "European Commission - European Civil Protection and Humanitarian Aid Operations"),
    "SIDA": ("SE-0", "10", "Swedish International Development Cooperation Agency"),
    # invented organisations
    "IRP": ("XM-SYN-INT-0001", "21", "Riverbend International Relief"),
    "HAN": ("XM-SYN-NG-0001", "22", "Harmattan Aid Network"),
    "SCF": ("XM-SYN-NG-0002", "22", "Sahelia Care Foundation"),
    "KDT": ("XM-SYN-NG-0003", "22", "Komadugu Development Trust"),
    "MHI": ("XM-SYN-NG-0004", "22", "Mandara Hope Initiative"),
    "GRS": ("XM-SYN-NG-0005", "22", "Gongola Relief Society"),
    "CBYA": ("XM-SYN-TD-0001", "22", "Chad Basin Youth Alliance"),
    "ALS": ("XM-SYN-TD-0002", "22", "Association Lac Solidarité"),
}

TOWNS = {  # town -> admin-1 p-code
    "Maiduguri": "NG008", "Konduga": "NG008", "Monguno": "NG008", "Gwoza": "NG008",
    "Bama": "NG008", "Dikwa": "NG008", "Ngala": "NG008", "Damboa": "NG008",
    "Yola": "NG002", "Mubi": "NG002", "Michika": "NG002",
    "Damaturu": "NG036", "Potiskum": "NG036", "Geidam": "NG036",
    "Bol": "TCD07", "Baga Sola": "TCD07", "Liwa": "TCD07",
    "Mao": "TCD06", "Nokou": "TCD06",
}

TITLES = {
    "72010": "Emergency relief assistance for displaced households in {}",
    "16010": "Social protection and cash transfers in {}",
    "15220": "Community peacebuilding and social cohesion in {}",
    "15110": "Local governance and public service delivery in {}",
    "14030": "Water supply and sanitation in {}",
    "12220": "Primary health care services in {}",
    "16030": "Shelter and housing support for returnees in {}",
    "31120": "Agricultural livelihoods recovery in {}",
    "74020": "Disaster preparedness and early warning in {}",
    "11220": "Primary education in emergencies in {}",
    "15160": "Protection and human rights monitoring in {}",
}

NG = [("NG", 100)]
TD = [("TD", 100)]

# key, reporting org, default currency, recipient countries, locations
# [(town, pct or None)] (town "!NG099" = bad code), sectors [(code, pct)],
# participating orgs [(key, role)], planned start, planned end, budget mode
# (cal = calendar years, ukfy = April-March, single = one period <= 1 year),
# extra options.
SPECS = [
    ("A01", "UNDP", "USD", NG, [("Maiduguri", None)], [("15220", 60), ("15110", 40)],
     [("UNDP", 2), ("KDT", 4)], "2024-01-01", "2025-12-31", "cal", {}),
    ("A02", "UNICEF", "USD", NG, [("Yola", None)], [("12220", 100)],
     [("UNICEF", 2)], "2024-04-01", "2025-03-31", "single", {}),
    ("A03", "WFP", "USD", NG, [("Maiduguri", 60), ("Damaturu", 40)], [("72010", 100)],
     [("FCDO", 1), ("WFP", 2)], "2024-07-01", "2025-06-30", "cal", {}),
    ("A04", "FCDO", "GBP", NG, [("Maiduguri", None)], [("16010", 50), ("31120", 50)],
     [("FCDO", 1), ("HAN", 4)], "2023-07-01", "2026-03-31", "ukfy", {}),
    ("A05", "UNDP", "USD", NG, [("Gwoza", None)], [("15220", 50), ("15160", 50)],
     [("SIDA", 1), ("UNDP", 2), ("SCF", 4)], "2024-10-01", "2026-06-30", "cal",
     {"tx_currency": {0: "SEK"}}),
    ("A06", "IOM", "USD", NG, [("Maiduguri", None), ("Konduga", None), ("Damaturu", None)],
     [("72010", 60), ("16030", 40)], [("IOM", 2)], "2024-02-01", "2025-01-31", "single", {}),
    ("A07", "ECHO", "EUR", NG, [("Monguno", None)], [("72010", 50), ("14030", 50)],
     [("ECHO", 1), ("IRP", 4)], "2024-05-01", "2025-04-30", "single", {}),
    ("A08", "UNHCR", "USD", NG, [("Bama", None)], [("15160", 60), ("16030", 40)],
     [("UNHCR", 2)], "2025-01-01", "2025-12-31", "single", {}),
    ("A09", "UNDP", "USD", NG, [("Maiduguri", 50), ("Yola", 30), ("Damaturu", 20)],
     [("15110", 50), ("15220", 30), ("16010", 20)],
     [("UNDP", 2), ("UNFPA", 4), ("MHI", 4)], "2024-01-01", "2026-06-30", "cal", {}),
    ("A10", "FAO", "USD", NG, [("Damboa", None)], [("31120", 100)],
     [("FAO", 2)], "2025-03-01", "2026-02-28", "single", {}),
    ("A11", "UNICEF", "USD", NG, [], [("11220", 100)],
     [("UNICEF", 2)], "2024-01-01", "2024-12-31", "single", {}),
    ("A12", "NLMFA", "EUR", NG, [("Maiduguri", None), ("Mubi", None)],
     [("15220", 40), ("15160", 30), ("15110", 30)],
     [("NLMFA", 1), ("IRP", 4)], "2023-10-01", "2025-09-30", "cal",
     {"value_date": {1: "2023-12-15"}}),
    ("A13", "ECHO", "EUR", TD, [("Bol", None)], [("72010", 60), ("12220", 40)],
     [("ECHO", 1), ("UNICEF", 4)], "2024-03-01", "2026-02-28", "cal", {}),
    ("A14", "WFP", "USD", TD, [("Baga Sola", None)], [("72010", 50), ("31120", 50)],
     [("WFP", 2), ("CBYA", 4)], "2024-06-01", "2025-05-31", "cal",
     {"tx_currency": {1: "EUR"}}),
    ("A15", "IOM", "USD", TD, [("Mao", None)], [("16030", 50), ("74020", 50)],
     [("IOM", 2)], "2025-07-01", "2026-06-30", "cal", {}),
    ("A16", "UNDP", "USD", [("NG", 70), ("TD", 30)], [("Maiduguri", 70), ("Bol", 30)],
     [("15220", 50), ("74020", 50)], [("SIDA", 1), ("UNDP", 2)],
     "2024-01-01", "2025-12-31", "cal", {}),
    ("A17", "UNFPA", "USD", NG, [("Maiduguri", None)], [("15160", 100)],
     [("UNFPA", 2)], "2023-07-01", "2024-06-30", "cal", {}),
    ("A18", "FCDO", "GBP", NG, [("Potiskum", None)], [("12220", 60), ("14030", 40)],
     [("FCDO", 1), ("UNICEF", 2), ("GRS", 4)], "2024-04-01", "2026-03-31", "ukfy", {}),
    ("A19", "WHO", "USD", NG, [("Maiduguri", None), ("Yola", None), ("Damaturu", None)],
     [("12220", 100)], [("WHO", 2)], "2025-01-01", "2025-12-31", "single", {}),
    ("A20", "IRP", "EUR", NG, [("Ngala", None)], [("14030", 70), ("12220", 30)],
     [("ECHO", 1), ("IRP", 2), ("HAN", 4)], "2024-09-01", "2025-08-31", "cal",
     {"tx_currency": {2: "GBP"}}),
    ("A21", "IOM", "USD", NG, [("Geidam", None)], [("16030", 100)],
     [("IOM", 2)], "2025-01-01", "2025-12-31", "single", {"bad": "no_dates"}),
    ("A22", "UNDP", "USD", NG, [], [("15110", 100)],
     [("UNDP", 2)], "2025-01-01", "2026-06-30", "cal", {}),
    ("A23", "UNICEF", "USD", NG, [("Michika", None)], [("11220", 100)],
     [("UNICEF", 2), ("MHI", 4)], "2025-09-01", "2026-06-30", "single", {}),
    ("A24", "UNHCR", "USD", TD, [("Bol", 60), ("Mao", 40)], [("15160", 50), ("16030", 50)],
     [("UNHCR", 2), ("ALS", 4)], "2024-01-01", "2025-12-31", "cal", {}),
    ("A25", "UNICEF", "USD", NG, [("Damaturu", None)], [("12220", 50), ("14030", 50)],
     [("UNICEF", 2)], "2025-01-01", "2026-06-30", "cal", {}),
    ("A26", "ECHO", "EUR", TD, [("Liwa", None)], [("72010", 100)],
     [("ECHO", 1), ("CBYA", 4)], "2025-01-01", "2026-06-30", "cal",
     {"bad": "xaf", "budget_currency": {1: "XAF"}}),
    ("A27", "WFP", "USD", TD, [("Bol", None), ("Mao", None)], [("72010", 60), ("31120", 40)],
     [("WFP", 2), ("FAO", 4)], "2025-04-01", "2026-03-31", "cal", {}),
    ("A28", "FAO", "USD", NG, [("Yola", None)], [("31120", 100)],
     [("FAO", 2)], "2026-01-01", "2026-06-30", "single", {}),
    ("A29", "UNHCR", "USD", TD, [], [("15160", 100)],
     [("UNHCR", 2)], "2024-07-01", "2025-06-30", "cal", {}),
    ("A30", "NLMFA", "EUR", NG, [("Mubi", 25), ("Maiduguri", 75)], [("15220", 50), ("15110", 50)],
     [("NLMFA", 1), ("SCF", 4)], "2025-01-01", "2026-06-30", "cal",
     {"value_date": {0: "2024-12-10"}}),
    ("A31", "IOM", "USD", NG, [("Dikwa", None)], [("72010", 50), ("16030", 50)],
     [("IOM", 2)], "2023-07-01", "2025-06-30", "cal", {}),
    ("A32", "FCDO", "GBP", TD, [("Bol", None)], [("74020", 60), ("16010", 40)],
     [("FCDO", 1), ("WFP", 4)], "2025-04-01", "2026-03-31", "ukfy", {}),
    ("A33", "UNICEF", "USD", NG, [("Konduga", None)], [("11220", 60), ("15160", 40)],
     [("UNICEF", 2), ("SCF", 4), ("KDT", 4)], "2024-01-01", "2024-12-31", "single",
     {"tx_currency": {1: "CHF"}}),
    ("A34", "WFP", "USD", NG, [("Monguno", None)], [("72010", 100)],
     [("WFP", 2)], "2025-01-01", "2025-12-31", "single", {"bad": "negative"}),
    ("A35", "UNDP", "USD", NG, [("Damaturu", None), ("Yola", None)], [("16010", 60), ("31120", 40)],
     [("UNDP", 2)], "2025-07-01", "2026-06-30", "cal", {}),
    ("A36", "ECHO", "EUR", NG, [("Maiduguri", None)], [("72010", 50), ("12220", 50)],
     [("ECHO", 1), ("WHO", 4)], "2023-09-01", "2024-08-31", "cal", {}),
    ("A37", "UNICEF", "USD", NG, [("!NG099", None)], [("12220", 100)],
     [("UNICEF", 2)], "2025-01-01", "2025-12-31", "single", {"bad": "ng099"}),
    ("A38", "IOM", "USD", NG, [], [("74020", 100)],
     [("IOM", 2)], "2025-10-01", "2026-06-30", "single", {}),
    ("A39", "IRP", "EUR", TD, [("Nokou", None)], [("14030", 100)],
     [("IRP", 2), ("ALS", 4)], "2024-02-01", "2025-07-31", "cal", {}),
    ("A40", "UNDP", "USD", TD, [("Mao", None)], [("15110", 50), ("15220", 50)],
     [("UNDP", 2)], "2026-01-01", "2026-06-30", "single", {}),
]

IATI_ORDER = ["iati-identifier", "reporting-org", "title", "description", "participating-org",
              "activity-status", "activity-date", "recipient-country", "location", "sector",
              "budget", "transaction"]


def d(s):
    return dt.date.fromisoformat(s)


def budget_periods(start, end, mode):
    if mode == "single":
        assert (end - start).days <= 366, (start, end)
        return [(start, end)]
    periods = []
    if mode == "cal":
        for y in range(start.year, end.year + 1):
            periods.append((max(start, dt.date(y, 1, 1)), min(end, dt.date(y, 12, 31))))
    elif mode == "ukfy":
        y = start.year if start.month >= 4 else start.year - 1
        while dt.date(y, 4, 1) <= end:
            periods.append((max(start, dt.date(y, 4, 1)), min(end, dt.date(y + 1, 3, 31))))
            y += 1
    else:
        raise ValueError(mode)
    return periods


def place_of(spec_locs, countries):
    if not spec_locs:
        return "Nigeria" if countries[0][0] == "NG" else "Chad"
    if len(countries) > 1:
        return "the Lake Chad Basin"
    admin1s = []
    for town, _pct in spec_locs:
        a1 = "NG099" if town.startswith("!") else TOWNS[town]
        if a1 not in admin1s:
            admin1s.append(a1)
    if len(spec_locs) == 1:
        town = spec_locs[0][0]
        if town.startswith("!"):
            return "north-east Nigeria"
        a1 = TOWNS[town]
        kind = "State" if a1.startswith("NG") else "province"
        return "%s, %s %s" % (town, ADMIN1[a1], kind)
    if all(a.startswith("NG") for a in admin1s):
        return "north-east Nigeria"
    return "Lac and Kanem provinces"


def money(rng, annual, days):
    return int(round(annual * days / 365.0 / 1000.0)) * 1000


class Activity:
    pass


def build_activities():
    rng = random.Random(20251201)
    acts = []
    for (key, rep, cur, countries, locs, sectors, parts, start, end, mode, opt) in SPECS:
        a = Activity()
        num = int(key[1:])
        a.key = key
        a.rep = rep
        a.cur = cur
        a.ident = "%s-PRJ-%06d" % (ORGS[rep][0], 200 + num)
        a.countries = countries
        a.locs = locs
        a.sectors = sectors
        a.parts = parts
        a.start, a.end = d(start), d(end)
        assert FIRST_DAY <= a.start < a.end <= LAST_DAY, key
        assert sum(p for _c, p in sectors) == 100, key
        assert sum(p for _c, p in countries) == 100, key
        pcts = [p for _t, p in locs]
        assert all(p is None for p in pcts) or sum(pcts) == 100, key
        assert 1 <= len(parts) <= 3, key
        a.bad = opt.get("bad")
        a.title = TITLES[sectors[0][0]].format(place_of(locs, countries))
        a.updated = "%sT%02d:%02d:%02dZ" % (
            (AS_OF - dt.timedelta(days=rng.randint(3, 240))).isoformat(),
            rng.randint(7, 18), rng.randint(0, 59), rng.randint(0, 59))
        # dates and status
        a.actual_start = None
        a.actual_end = None
        if a.start < AS_OF and rng.random() < 0.55:
            a.actual_start = a.start + dt.timedelta(days=rng.randint(0, 40))
        if a.end < AS_OF:
            a.actual_end = min(a.end + dt.timedelta(days=rng.randint(-20, 30)),
                               AS_OF - dt.timedelta(days=10))
            if a.actual_start is None and rng.random() < 0.5:
                a.actual_start = a.start + dt.timedelta(days=rng.randint(0, 20))
        if a.start > AS_OF:
            a.status = "1"
        elif a.actual_end is not None:
            a.status = "4" if a.actual_end < dt.date(2025, 6, 1) else "3"
        else:
            a.status = "2"
        # budgets
        annual = rng.randint(180, 2400) * 1000
        a.budgets = []
        vd_over = opt.get("value_date", {})
        cur_over = opt.get("budget_currency", {})
        for i, (ps, pe) in enumerate(budget_periods(a.start, a.end, mode)):
            days = (pe - ps).days + 1
            bcur = cur_over.get(i, cur)
            value = money(rng, annual, days)
            if bcur == "XAF":
                value = int(round(value * 655.957 / 1000.0)) * 1000
            a.budgets.append((ps, pe, bcur, vd_over.get(i, ps.isoformat()), value))
        # transactions (actuals up to AS_OF; none for pipeline activities)
        a.txs = []
        if a.status != "1":
            total = sum(v for _ps, _pe, c, _vd, v in a.budgets if c == cur)
            first = a.actual_start or a.start
            a.txs.append(("2", first, cur, total))
            last = min(a.actual_end or a.end, AS_OF - dt.timedelta(days=1))
            t = first + dt.timedelta(days=rng.randint(10, 40))
            disbursed = 0
            while t <= last and disbursed < total:
                share = rng.uniform(0.15, 0.35)
                amount = min(int(round(total * share / 100.0)) * 100, total - disbursed)
                disbursed += amount
                a.txs.append(("3", t, cur, amount))
                if rng.random() < 0.6:
                    exp = int(round(amount * rng.uniform(0.5, 0.95) / 100.0)) * 100
                    t4 = t + dt.timedelta(days=rng.randint(30, 90))
                    if t4 <= last:
                        a.txs.append(("4", t4, cur, exp))
                t = t + dt.timedelta(days=rng.randint(150, 200))
            a.txs.sort(key=lambda x: (x[1], x[0]))
            for idx, other in opt.get("tx_currency", {}).items():
                typ, when, _c, value = a.txs[idx]
                rate = Decimal(FX[cur][when.year - 2023]) / Decimal(FX[other][when.year - 2023])
                a.txs[idx] = (typ, when, other, int(round(value * rate / 100)) * 100)
        if a.bad == "negative":
            a.txs.append(("3", dt.date(2025, 6, 30), cur, -45000))
            a.txs.sort(key=lambda x: (x[1], x[0]))
        acts.append(a)
    return acts


def org_xml(tag, key, role=None, ind="    "):
    ref, typ, name = ORGS[key]
    attrs = "ref=%s" % quoteattr(ref)
    if role is not None:
        attrs += " role=\"%d\"" % role
    attrs += " type=%s" % quoteattr(typ)
    return "%s<%s %s><narrative>%s</narrative></%s>" % (ind, tag, attrs, escape(name), tag)


def activity_xml(a):
    L = []
    L.append('  <iati-activity last-updated-datetime="%s" xml:lang="en" default-currency="%s">'
             % (a.updated, a.cur))
    L.append("    <iati-identifier>%s</iati-identifier>" % escape(a.ident))
    L.append(org_xml("reporting-org", a.rep))
    L.append("    <title><narrative>%s</narrative></title>" % escape(a.title))
    L.append('    <description type="1"><narrative>SYNTHETIC sample activity %s, generated for '
             'pipeline tests; not a real project.</narrative></description>' % a.key)
    for key, role in a.parts:
        L.append(org_xml("participating-org", key, role))
    L.append('    <activity-status code="%s"/>' % a.status)
    if a.bad != "no_dates":
        dates = [("1", a.start)]
        if a.actual_start:
            dates.append(("2", a.actual_start))
        dates.append(("3", a.end))
        if a.actual_end:
            dates.append(("4", a.actual_end))
        for typ, when in dates:
            L.append('    <activity-date type="%s" iso-date="%s"/>' % (typ, when.isoformat()))
    for code, pct in a.countries:
        L.append('    <recipient-country code="%s" percentage="%d"/>' % (code, pct))
    for town, pct in a.locs:
        if town.startswith("!"):
            name, code = "Unknown State", town[1:]
        else:
            name, code = town, TOWNS[town]
        attr = ' percentage="%d"' % pct if pct is not None else ""
        L.append("    <location%s>" % attr)
        L.append('      <location-reach code="1"/>')
        L.append("      <name><narrative>%s</narrative></name>" % escape(name))
        L.append('      <administrative vocabulary="G1" level="1" code="%s"/>' % code)
        L.append("    </location>")
    for code, pct in a.sectors:
        L.append('    <sector vocabulary="1" code="%s" percentage="%d"/>' % (code, pct))
    for ps, pe, cur, vd, value in a.budgets:
        L.append('    <budget type="1" status="1">')
        L.append('      <period-start iso-date="%s"/>' % ps.isoformat())
        L.append('      <period-end iso-date="%s"/>' % pe.isoformat())
        L.append('      <value currency="%s" value-date="%s">%d</value>' % (cur, vd, value))
        L.append("    </budget>")
    for typ, when, cur, value in a.txs:
        L.append("    <transaction>")
        L.append('      <transaction-type code="%s"/>' % typ)
        L.append('      <transaction-date iso-date="%s"/>' % when.isoformat())
        L.append('      <value currency="%s" value-date="%s">%d</value>' % (cur, when.isoformat(), value))
        L.append("    </transaction>")
    L.append("  </iati-activity>")
    return L


def iati_xml(acts):
    L = ['<?xml version="1.0" encoding="UTF-8"?>',
         "<!-- SYNTHETIC sample data written by data-samples/tools/make_programme_samples.py."
         " No activity, budget or transaction is real. -->",
         '<iati-activities version="2.03" generated-datetime="%s">' % GENERATED]
    for a in acts:
        L.extend(activity_xml(a))
    L.append("</iati-activities>")
    return "\n".join(L) + "\n"


# --------------------------------------------------------------------------
# 3W sheets
# --------------------------------------------------------------------------
NGA_HEADER = ["Organisation", "Implementing partner", "Cluster", "Activity", "Admin1 P-code",
              "Admin1", "Admin2 P-code", "Start date", "End date", "Budget (USD)",
              "People reached", "Status"]
NGA_TAGS = ["#org+name", "#org+impl+name", "#sector+cluster+name", "#activity+name", "#adm1+code",
            "#adm1+name", "#adm2+code", "#date+start", "#date+end", "#value+budget+usd",
            "#reached+ind", "#status"]
TCD_HEADER = ["Organisation", "Partenaire", "Secteur", "Activité", "Code province", "Province",
              "Code département", "Date début", "Date fin", "Budget USD", "Personnes atteintes",
              "Statut"]

ACTIVITIES_EN = {
    "Protection": ["GBV case management", "Child protection case management", "Protection monitoring",
                   "Legal assistance for civil documentation", "Psychosocial support",
                   "HLP counselling and dispute resolution"],
    "Food Security": ["General food distribution", "Cash for food", "Seeds and tools distribution",
                      "Livelihood grants", "Dry-season farming support"],
    "Shelter/NFI": ["Emergency shelter kits", "NFI kits distribution", "Transitional shelter construction",
                    "Shelter repair for returnees"],
    "WASH": ["Borehole rehabilitation", "Latrine construction", "Hygiene promotion", "Water trucking"],
    "Health": ["Mobile health clinics", "Measles vaccination campaign", "Primary health care support",
               "Cholera response"],
    "Education": ["Temporary learning spaces", "Teacher training", "Back-to-school kits",
                  "Accelerated learning programme"],
    "Early Recovery": ["Cash for work", "Community infrastructure rehabilitation",
                       "Vocational training for youth", "Social cohesion dialogues"],
    "CCCM": ["Camp management", "Site improvement, drainage and decongestion",
             "Displacement site profiling"],
    "Nutrition": ["OTP for SAM treatment", "IYCF counselling", "Micronutrient supplementation"],
}
BUDGET_RANGE = {  # thousands of USD
    "Protection": (20, 400), "Food Security": (80, 1500), "Shelter/NFI": (50, 900), "WASH": (40, 700),
    "Health": (40, 800), "Education": (30, 500), "Early Recovery": (50, 900), "CCCM": (30, 400),
    "Nutrition": (40, 600),
}
COST_PER_PERSON = {  # USD
    "Protection": (40, 150), "Food Security": (60, 200), "Shelter/NFI": (80, 300), "WASH": (15, 60),
    "Health": (10, 50), "Education": (40, 160), "Early Recovery": (100, 400), "CCCM": (10, 40),
    "Nutrition": (30, 120),
}
ORGS_NGA = [  # organisation, clusters, possible implementing partners
    ("UNICEF", ["WASH", "Education", "Nutrition", "Protection"],
     ["Harmattan Aid Network", "Mandara Hope Initiative", "Sahelia Care Foundation"]),
    ("WFP", ["Food Security", "Nutrition"], ["Komadugu Development Trust", "Gongola Relief Society"]),
    ("UNHCR", ["Protection", "Shelter/NFI", "CCCM"], ["Sahelia Care Foundation", "Mandara Hope Initiative"]),
    ("IOM", ["CCCM", "Shelter/NFI", "WASH"], ["Gongola Relief Society"]),
    ("UNDP", ["Early Recovery"], ["Komadugu Development Trust", "Harmattan Aid Network"]),
    ("WHO", ["Health"], []),
    ("FAO", ["Food Security"], ["Gongola Relief Society"]),
    ("UNFPA", ["Protection", "Health"], ["Mandara Hope Initiative"]),
    ("Riverbend International Relief", ["WASH", "Shelter/NFI", "Health", "Early Recovery"],
     ["Harmattan Aid Network", "Komadugu Development Trust"]),
    ("Harmattan Aid Network", ["Protection", "Food Security", "WASH"], []),
    ("Sahelia Care Foundation", ["Education", "Protection", "Nutrition"], []),
    ("Komadugu Development Trust", ["Early Recovery", "Food Security"], []),
    ("Mandara Hope Initiative", ["Health", "Education"], []),
    ("Gongola Relief Society", ["Shelter/NFI", "WASH", "CCCM"], []),
]


def add_months(day, months):
    y, m = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + y, m + 1, 1)


def draw_dates(rng, lo, hi_start):
    span = (hi_start - lo).days
    start = lo + dt.timedelta(days=rng.randint(0, span))
    if rng.random() < 0.6:
        start = start.replace(day=1)
    months = rng.randint(2, 18)
    end = add_months(start.replace(day=1), months) - dt.timedelta(days=1)
    if start.day != 1:
        end = end + dt.timedelta(days=start.day - 1)
    end = min(end, LAST_DAY)
    return start, end


def status_of(start, end):
    if start > AS_OF:
        return "planned"
    if end < AS_OF:
        return "completed"
    return "ongoing"


def reached(rng, cluster, budget, status, start, end):
    if status == "planned":
        return 0
    lo, hi = COST_PER_PERSON[cluster]
    target = budget / rng.uniform(lo, hi)
    if status == "ongoing":
        elapsed = (AS_OF - start).days / max(1, (end - start).days)
        target *= min(1.0, elapsed) * rng.uniform(0.7, 1.05)
    return max(10, int(round(target / 10.0)) * 10)


def nga_rows():
    rng = random.Random(3052025)
    lgas = {a1: admin2_of(a1) for a1 in ("NG008", "NG002", "NG036")}
    rows = []
    n = 215
    for i in range(n):
        org, clusters, partners = ORGS_NGA[rng.randrange(len(ORGS_NGA))]
        cluster = rng.choice(clusters)
        partner = rng.choice(partners) if partners and rng.random() < 0.75 else ""
        activity = rng.choice(ACTIVITIES_EN[cluster])
        a1 = rng.choices(["NG008", "NG002", "NG036"], weights=[50, 25, 25])[0]
        a2 = rng.choice(lgas[a1])
        start, end = draw_dates(rng, dt.date(2024, 1, 1), dt.date(2026, 3, 31))
        lo, hi = BUDGET_RANGE[cluster]
        budget = rng.randint(lo * 2, hi * 2) * 500
        status = status_of(start, end)
        people = reached(rng, cluster, budget, status, start, end)
        rows.append({"org": org, "partner": partner, "cluster": cluster, "activity": activity,
                     "a1": a1, "a1name": ADMIN1[a1], "a2": a2, "start": start.isoformat(),
                     "end": end.isoformat(), "budget": str(budget), "people": str(people),
                     "status": {"planned": "Planned", "completed": "Completed",
                                "ongoing": "Ongoing"}[status],
                     "_start": start, "_end": end, "_bad": None})
    # bad rows (data row numbers are 1-based)
    r = rows[24 - 1]
    r["end"] = (r["_start"] - dt.timedelta(days=92)).isoformat()
    r["_bad"] = "end before start"
    r = rows[58 - 1]
    r["start"] = ""
    r["_bad"] = "missing start date"
    r = rows[99 - 1]
    r["budget"] = "-" + r["budget"]
    r["_bad"] = "negative budget"
    r = rows[142 - 1]
    r["a1"], r["a1name"], r["a2"] = "NG099", "Borno", ""
    r["_bad"] = "unknown admin-1 p-code"
    r = rows[189 - 1]
    assert r["status"] != "Planned"
    r["people"] = "approx 500"
    r["_bad"] = "people reached not a number"
    # DD/MM/YYYY on six good rows
    for k in (11, 47, 83, 120, 163, 204):
        r = rows[k - 1]
        assert r["_bad"] is None
        r["start"] = r["_start"].strftime("%d/%m/%Y")
        r["end"] = r["_end"].strftime("%d/%m/%Y")
        r["_ddmm"] = True
    ddmm = [r for r in rows if r.get("_ddmm")]
    assert any(r["_start"].day <= 12 for r in ddmm) and any(r["_start"].day > 12 for r in ddmm)
    return rows


ACTIVITIES_FR = {
    "Protection": ["Gestion de cas VBG", "Monitoring de protection", "Appui à la documentation civile",
                   "Soutien psychosocial"],
    "Sécurité alimentaire": ["Distribution générale de vivres", "Transferts monétaires",
                             "Appui en semences et outils", "Activités génératrices de revenus"],
    "Abris/NFI": ["Distribution de kits abris", "Distribution de kits NFI",
                  "Construction d'abris transitionnels"],
    "EHA": ["Réhabilitation de forages", "Construction de latrines", "Promotion de l'hygiène"],
    "Santé": ["Cliniques mobiles", "Campagne de vaccination contre la rougeole",
              "Appui aux centres de santé"],
    "Éducation": ["Espaces temporaires d'apprentissage", "Formation des enseignants",
                  "Kits scolaires, fournitures et manuels"],
    "Relèvement précoce": ["Argent contre travail", "Réhabilitation d'infrastructures communautaires",
                           "Formation professionnelle des jeunes", "Dialogues de cohésion sociale"],
    "Nutrition": ["Prise en charge de la MAS", "Conseil ANJE"],
    "CCCM": ["Gestion des sites de déplacés", "Profilage des sites"],
}
FR_TO_EN = {"Protection": "Protection", "Sécurité alimentaire": "Food Security",
            "Abris/NFI": "Shelter/NFI", "EHA": "WASH", "Santé": "Health", "Éducation": "Education",
            "Relèvement précoce": "Early Recovery", "Nutrition": "Nutrition", "CCCM": "CCCM"}
ORGS_TCD = [
    ("UNICEF", ["EHA", "Éducation", "Nutrition", "Protection"], ["Association Lac Solidarité", "Kanem Entraide"]),
    ("PAM", ["Sécurité alimentaire", "Nutrition"], ["Chad Basin Youth Alliance", "Bol Avenir Développement"]),
    ("HCR", ["Protection", "Abris/NFI"], ["Association Lac Solidarité"]),
    ("OIM", ["CCCM", "Abris/NFI", "EHA"], ["Kanem Entraide"]),
    ("PNUD", ["Relèvement précoce"], ["Chad Basin Youth Alliance"]),
    ("OMS", ["Santé"], []),
    ("FAO", ["Sécurité alimentaire"], ["Bol Avenir Développement"]),
    ("Riverbend International Relief", ["EHA", "Santé", "Abris/NFI"], ["Association Lac Solidarité"]),
    ("Association Lac Solidarité", ["Protection", "Éducation"], []),
    ("Chad Basin Youth Alliance", ["Relèvement précoce", "Protection"], []),
]


def tcd_rows():
    rng = random.Random(7062025)
    deps = {a1: admin2_of(a1) for a1 in ("TCD07", "TCD06")}
    rows = []
    for _i in range(40):
        org, secteurs, partners = ORGS_TCD[rng.randrange(len(ORGS_TCD))]
        secteur = rng.choice(secteurs)
        partner = rng.choice(partners) if partners and rng.random() < 0.7 else ""
        a1 = rng.choices(["TCD07", "TCD06"], weights=[65, 35])[0]
        a2 = rng.choice(deps[a1])
        start, end = draw_dates(rng, dt.date(2024, 1, 1), dt.date(2026, 3, 31))
        lo, hi = BUDGET_RANGE[FR_TO_EN[secteur]]
        budget = rng.randint(lo * 2, hi * 2) * 500
        status = status_of(start, end)
        people = reached(rng, FR_TO_EN[secteur], budget, status, start, end)
        rows.append({"org": org, "partner": partner, "cluster": secteur,
                     "activity": rng.choice(ACTIVITIES_FR[secteur]), "a1": a1, "a1name": ADMIN1[a1],
                     "a2": a2, "start": start.isoformat(), "end": end.isoformat(), "budget": str(budget),
                     "people": str(people),
                     "status": {"planned": "Planifié", "completed": "Terminé", "ongoing": "En cours"}[status],
                     "_start": start, "_end": end, "_bad": None})
    return rows


ROW_KEYS = ["org", "partner", "cluster", "activity", "a1", "a1name", "a2", "start", "end", "budget",
            "people", "status"]


def sheet_csv(header, tags, rows):
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    if tags:
        w.writerow(tags)
    for r in rows:
        w.writerow([r[k] for k in ROW_KEYS])
    return out.getvalue()


# --------------------------------------------------------------------------
# Checks on the written files (independent of the generator's structures)
# --------------------------------------------------------------------------
def read_fx():
    rates = {}
    with open(FX_PATH, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            rates[(int(row["year"]), row["currency"])] = Decimal(row["usd_per_unit"])
    return rates


def check_iati(rates):
    tree = ET.parse(XML_PATH)
    root = tree.getroot()
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    known = {c for c, (lvl, _n, _p) in UNITS.items() if lvl == 1}
    currencies = {c for (_y, c) in rates}
    ids = set()
    result = {"activities": [], "bad": {}, "total_usd": Decimal(0), "by_admin1": {}}
    for act in root.findall("iati-activity"):
        ident = act.findtext("iati-identifier")
        assert ident not in ids, ident
        ids.add(ident)
        assert act.get("default-currency") in ("USD", "EUR", "GBP")
        assert act.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        assert act.get("last-updated-datetime")
        tags = [c.tag for c in act]
        order = [IATI_ORDER.index(t) for t in tags]  # ValueError = unexpected element
        assert order == sorted(order), (ident, tags)
        for t in ("iati-identifier", "reporting-org", "title", "participating-org", "activity-status",
                  "recipient-country", "sector", "budget"):
            assert t in tags, (ident, t)
        assert 1 <= tags.count("participating-org") <= 3
        problems = []
        if not act.findall("activity-date"):
            problems.append("no activity-date")
        locs = act.findall("location")
        for loc in locs:
            assert [c.tag for c in loc] == ["location-reach", "name", "administrative"], ident
            code = loc.find("administrative").get("code")
            if code not in known:
                problems.append("unknown admin code: " + code)
        pcts = [loc.get("percentage") for loc in locs]
        if any(p is not None for p in pcts):
            assert all(p is not None for p in pcts) and sum(int(p) for p in pcts) == 100, ident
        assert sum(int(s.get("percentage")) for s in act.findall("sector")) == 100, ident
        assert sum(int(s.get("percentage")) for s in act.findall("recipient-country")) == 100, ident
        values = []
        for b in act.findall("budget"):
            assert [c.tag for c in b] == ["period-start", "period-end", "value"], ident
            ps = d(b.find("period-start").get("iso-date"))
            pe = d(b.find("period-end").get("iso-date"))
            assert ps <= pe and (pe - ps).days <= 366, ident
            values.append(("budget", b.find("value"), ps, pe))
        for t in act.findall("transaction"):
            assert [c.tag for c in t] == ["transaction-type", "transaction-date", "value"], ident
            values.append(("transaction", t.find("value"), None, None))
        for kind, v, _ps, _pe in values:
            if v.get("currency") not in currencies:
                problems.append("currency without rate: " + v.get("currency"))
            if Decimal(v.text) < 0:
                problems.append("negative value")
        roles = [p.get("role") for p in act.findall("participating-org")]
        info = {
            "key": act.findtext("description/narrative").split()[3].rstrip(","),
            "ident": ident,
            "joint": sum(1 for r in roles if r in ("2", "4")) >= 2,
            "locations": len(locs),
            "with_pct": any(p is not None for p in pcts),
            "country_wide": not locs,
            "budget_years": sorted({b[2].year for b in values if b[0] == "budget"}
                                   | {b[3].year for b in values if b[0] == "budget"}),
            "budgets": len(act.findall("budget")),
            "leap": any(b[0] == "budget" and b[2] <= dt.date(2024, 2, 29) <= b[3] for b in values),
            "usd": Decimal(0),
            "bad": sorted(set(problems)),
        }
        if problems:
            result["bad"][ident] = "; ".join(sorted(set(problems)))
        else:
            usd = Decimal(0)
            for kind, v, _ps, _pe in values:
                if kind == "budget":
                    year = d(v.get("value-date")).year
                    usd += Decimal(v.text) * rates[(year, v.get("currency"))]
            info["usd"] = usd
            result["total_usd"] += usd
            # share per admin 1 (equal per location when no percentages)
            if not locs:
                countries = act.findall("recipient-country")
                for c in countries:
                    k = "unspecified-" + c.get("code")
                    result["by_admin1"][k] = result["by_admin1"].get(k, Decimal(0)) + \
                        usd * Decimal(c.get("percentage")) / 100
            else:
                for loc in locs:
                    code = loc.find("administrative").get("code")
                    share = Decimal(loc.get("percentage")) / 100 if loc.get("percentage") \
                        else Decimal(1) / len(locs)
                    result["by_admin1"][code] = result["by_admin1"].get(code, Decimal(0)) + usd * share
        result["activities"].append(info)
    return result


def check_sheet(path, header, tags, admin1s):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == header, path
    body = rows[1:]
    if tags:
        assert rows[1] == tags, path
        body = rows[2:]
    assert all(len(r) == len(header) for r in body), path
    bad = {}
    good_budget = 0
    for n, r in enumerate(body, start=1):
        (_org, _partner, _cluster, _act, a1, a1name, a2, start, end, budget, people, _status) = r
        problems = []

        def parse(s):
            if "/" in s:
                return dt.datetime.strptime(s, "%d/%m/%Y").date()
            return dt.date.fromisoformat(s)

        if not start:
            problems.append("missing start date")
        elif not end:
            problems.append("missing end date")
        elif parse(end) < parse(start):
            problems.append("end before start")
        if a1 not in admin1s:
            problems.append("unknown admin-1 p-code")
        elif ADMIN1[a1] != a1name or UNITS[a2][2] != a1:
            problems.append("admin mismatch")
        if int(budget) < 0:
            problems.append("negative budget")
        if not people.isdigit():
            problems.append("people reached not a number")
        if problems:
            bad[n] = "; ".join(problems)
        else:
            good_budget += int(budget)
    return len(body), bad, good_budget


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(text)


def main():
    if not os.path.exists(REF):
        sys.exit("run from the repository root (missing %s)" % REF)
    acts = build_activities()
    write(COLUMNS_PATH, COLUMNS_YAML)
    write(FX_PATH, fx_csv())
    write(SECTORS_PATH, sector_groups_csv())
    write(XML_PATH, iati_xml(acts))
    write(NGA_PATH, sheet_csv(NGA_HEADER, NGA_TAGS, nga_rows()))
    write(TCD_PATH, sheet_csv(TCD_HEADER, None, tcd_rows()))

    rates = read_fx()
    assert "XAF" not in {c for (_y, c) in rates}
    groups = {}
    with open(SECTORS_PATH, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            assert (row["vocabulary"], row["code"]) not in groups, row
            groups[(row["vocabulary"], row["code"])] = row["group"]
    for s in SPECS:
        for code, _pct in s[5]:
            assert ("1", code) in groups, code
    for name in list(ACTIVITIES_EN) + list(ACTIVITIES_FR):
        assert ("cluster", name.lower()) in groups, name

    res = check_iati(rates)
    if res["bad"] != EXPECTED_BAD_ACTIVITIES:
        sys.exit("bad activities differ from the header list: %r" % res["bad"])
    n_nga, bad_nga, budget_nga = check_sheet(NGA_PATH, NGA_HEADER, NGA_TAGS, {"NG008", "NG002", "NG036"})
    if bad_nga != EXPECTED_BAD_NGA:
        sys.exit("bad 3W rows differ from the header list: %r" % bad_nga)
    n_tcd, bad_tcd, budget_tcd = check_sheet(TCD_PATH, TCD_HEADER, None, {"TCD07", "TCD06"})
    if bad_tcd:
        sys.exit("unexpected bad rows in the Chad sheet: %r" % bad_tcd)

    good = [a for a in res["activities"] if not a["bad"]]
    print("programmes/iati-activities.xml: %d activities (%d good + %d bad), %d budgets, %d transactions"
          % (len(acts), len(good), len(res["bad"]), sum(len(a.budgets) for a in acts),
             sum(len(a.txs) for a in acts)))
    for ident, why in res["bad"].items():
        print("  bad activity %s: %s" % (ident, why))

    def keys(pred):
        return ", ".join(a["key"] for a in good if pred(a))

    print("  joint (>= 2 orgs with role 2 or 4): " + keys(lambda a: a["joint"]))
    print("  multi-location with percentages:    " + keys(lambda a: a["locations"] > 1 and a["with_pct"]))
    print("  multi-location, equal split:        " + keys(lambda a: a["locations"] > 1 and not a["with_pct"]))
    print("  country-wide (no location):         " + keys(lambda a: a["country_wide"]))
    print("  multi-year (>= 2 budgets):          " + keys(lambda a: a["budgets"] > 1))
    print("  budget period containing 2024-02-29: " + keys(lambda a: a["leap"]))
    print("  budget USD, good activities, value-date year rates: %s (= %.2f)"
          % (res["total_usd"].normalize(), res["total_usd"]))
    for code in sorted(res["by_admin1"]):
        print("    %-15s %16.2f" % (code, res["by_admin1"][code]))
    print("programmes/3w-nga-2025.csv: %d data rows (%d good + %d bad), good-row budget USD %d"
          % (n_nga, n_nga - len(bad_nga), len(bad_nga), budget_nga))
    for n, why in bad_nga.items():
        print("  bad data row %d (line %d): %s" % (n, n + 2, why))
    print("programmes/3w-tcd-2025-notags.csv: %d data rows (all good), budget USD %d" % (n_tcd, budget_tcd))
    print("conf/fx-rates.csv: %d rates; conf/sector-groups.csv: %d mappings"
          % (len(rates), len(SECTOR_GROUPS)))
    total = sum(os.path.getsize(p) for p in (XML_PATH, NGA_PATH, TCD_PATH))
    print("programme samples total: %d bytes" % total)
    if "--per-activity" in sys.argv:
        for a in good:
            print("  %s %-30s %16.2f" % (a["key"], a["ident"], a["usd"]))


if __name__ == "__main__":
    main()
