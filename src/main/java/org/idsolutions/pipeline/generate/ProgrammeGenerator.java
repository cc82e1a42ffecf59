package org.idsolutions.pipeline.generate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.idsolutions.pipeline.generate.Geography.Admin1;
import org.idsolutions.pipeline.generate.Geography.Country;

/**
 * Programme records: 3W sheets (70 % of activities; one sheet per country and start year, with an
 * HXL row or, every other country, French headers mapped by conf/3w-columns.yaml) and IATI activity
 * XML (30 %, one file per country) with organisations, locations with shares or none
 * (country-wide), DAC sectors, yearly budgets and transactions, all in USD.
 *
 * <p>About 0.5 % extra bad activities (end before start, no start date, unknown area, budget not a
 * number, currency without a rate), which the pipeline must quarantine whole. The truth is each
 * country's total budget of the good activities, which budget_usd must add up to over all periods.
 */
final class ProgrammeGenerator {
  private static final String[] ORGS = {
    "UNDP",
    "IOM",
    "UNHCR",
    "WFP",
    "FAO",
    "UNICEF",
    "Relief Partners International",
    "Hope Across Borders",
    "Community Action Network",
    "Local Resilience Forum"
  };
  private static final String[] PARTNERS = {
    "Lake Basin Youth Alliance",
    "Women for Peace Association",
    "Rural Water Trust",
    "Sahel Development Society",
    ""
  };
  private static final String[][] CLUSTERS = {
    {"Protection", "Protection"},
    {"Food Security", "Sécurité alimentaire"},
    {"Shelter/NFI", "Abris/NFI"},
    {"WASH", "EHA"},
    {"Health", "Santé"},
    {"Education", "Éducation"},
    {"Early Recovery", "Relèvement précoce"}
  };
  private static final String[] DAC = {
    "15220", "15110", "16010", "11220", "12220", "72010", "74020", "16030", "15160", "31120"
  };
  private static final LocalDate FIRST = LocalDate.of(2023, 1, 1);
  private static final LocalDate LAST = LocalDate.of(2025, 12, 31);
  private static final LocalDate LAST_RATE_DAY = LocalDate.of(2026, 12, 31);

  record Stats(long activities, long badActivities, int files, long incrementActivities) {}

  private long activities;
  private long bad;
  private long increment;
  private int files;

  /** One activity: where, when, how much. */
  private record Activity(
      String org,
      String partner,
      int cluster,
      List<Admin1> areas,
      String admin2,
      LocalDate start,
      LocalDate end,
      long budget,
      int reached) {}

  static Stats write(
      Geography geo, Plan plan, Path baseDir, Path incrementDir, Writer truth, SplittableRandom rng)
      throws IOException {
    Files.createDirectories(baseDir);
    Files.createDirectories(incrementDir);
    truth.write("country,budget_usd,activities,increment\n");
    ProgrammeGenerator g = new ProgrammeGenerator();
    int perCountry = Math.max(50, plan.activities() / geo.countries.size());
    List<String[]> newRows = new ArrayList<>();
    for (int c = 0; c < geo.countries.size(); c++) {
      Country country = geo.countries.get(c);
      SplittableRandom r = rng.split();
      g.country(country, c % 2 == 1, perCountry, baseDir, truth, r);
      int extra = Math.max(2, perCountry / 50);
      long sum = 0;
      for (int i = 0; i < extra; i++) {
        LocalDate start = LocalDate.of(2025, 11, 1).plusDays(r.nextInt(120));
        Activity a = activity(country, start, r);
        newRows.add(threeW(country, a, false));
        sum += a.budget();
      }
      truth.write(country.iso3() + "," + sum + "," + extra + ",true\n");
      g.increment += extra;
    }
    writeThreeW(incrementDir.resolve("3w-new-activities-2026.csv"), newRows, false);
    g.files++;
    return new Stats(g.activities, g.bad, g.files, g.increment);
  }

  private void country(
      Country country, boolean french, int n, Path dir, Writer truth, SplittableRandom r)
      throws IOException {
    List<List<String[]>> sheets = new ArrayList<>();
    for (int y = FIRST.getYear(); y <= LAST.getYear(); y++) {
      sheets.add(new ArrayList<>());
    }
    StringBuilder xml = new StringBuilder(1 << 16);
    xml.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        .append("<!-- SYNTHETIC activities written by `jobs/pipeline generate`. -->\n")
        .append("<iati-activities version=\"2.03\" generated-datetime=\"2025-12-01T06:00:00Z\">\n");
    long sum = 0;
    int good = 0;
    for (int i = 0; i < n; i++) {
      LocalDate start =
          FIRST.plusDays(r.nextInt((int) (LAST.toEpochDay() - FIRST.toEpochDay()) - 60));
      Activity a = activity(country, start, r);
      boolean iati = r.nextInt(10) < 3;
      boolean isBad = r.nextInt(200) == 0;
      int sheet = start.getYear() - FIRST.getYear();
      if (iati) {
        iati(xml, country, i, a, isBad ? 1 + r.nextInt(3) : 0, r);
      } else {
        String[] row = threeW(country, a, french);
        if (isBad) {
          spoil(row, country, r);
        }
        sheets.get(sheet).add(row);
      }
      if (isBad) {
        bad++;
      } else {
        sum += a.budget();
        good++;
      }
      activities++;
    }
    xml.append("</iati-activities>\n");
    String iso = country.iso3().toLowerCase(Locale.ROOT);
    Files.writeString(dir.resolve("iati-" + iso + ".xml"), xml, StandardCharsets.UTF_8);
    files++;
    for (int s = 0; s < sheets.size(); s++) {
      if (!sheets.get(s).isEmpty()) {
        writeThreeW(
            dir.resolve("3w-" + iso + "-" + (FIRST.getYear() + s) + ".csv"), sheets.get(s), french);
        files++;
      }
    }
    truth.write(country.iso3() + "," + sum + "," + good + ",false\n");
  }

  private static Activity activity(Country country, LocalDate start, SplittableRandom r) {
    List<Admin1> all = country.admin1();
    List<Admin1> areas = new ArrayList<>();
    int k =
        r.nextInt(10) == 0 ? 0 : 1 + (r.nextInt(4) == 0 ? r.nextInt(Math.min(3, all.size())) : 0);
    while (areas.size() < k) {
      Admin1 a = all.get(r.nextInt(all.size()));
      if (!areas.contains(a)) {
        areas.add(a);
      }
    }
    String admin2 = null;
    if (areas.size() == 1 && r.nextInt(5) > 0) {
      List<Geography.Admin2> units = areas.get(0).admin2();
      admin2 = units.get(r.nextInt(units.size())).pcode();
    }
    LocalDate end = start.plusDays(60 + r.nextInt(480));
    if (end.isAfter(LAST_RATE_DAY)) {
      end = LAST_RATE_DAY; // conf/fx-rates.csv has rates up to 2026
    }
    return new Activity(
        ORGS[r.nextInt(ORGS.length)],
        PARTNERS[r.nextInt(PARTNERS.length)],
        r.nextInt(CLUSTERS.length),
        areas,
        admin2,
        start,
        end,
        500L * (20 + r.nextInt(4000)),
        r.nextInt(5000));
  }

  /** A 3W row: a sheet has exactly one area per row, so a country-wide activity takes admin 1. */
  private static String[] threeW(Country country, Activity a, boolean french) {
    Admin1 area = a.areas().isEmpty() ? country.admin1().get(0) : a.areas().get(0);
    return new String[] {
      a.org(),
      a.partner(),
      CLUSTERS[a.cluster()][french ? 1 : 0],
      (french ? "Activité " : "Activity ") + CLUSTERS[a.cluster()][0].toLowerCase(Locale.ROOT),
      area.pcode(),
      area.name(),
      a.areas().size() == 1 && a.admin2() != null ? a.admin2() : "",
      a.start().toString(),
      a.end().toString(),
      Long.toString(a.budget()),
      Integer.toString(a.reached()),
      french ? "En cours" : "Ongoing"
    };
  }

  private static void spoil(String[] row, Country country, SplittableRandom r) {
    switch (r.nextInt(4)) {
      case 0 -> row[8] = LocalDate.parse(row[7]).minusDays(10).toString();
      case 1 -> row[7] = "";
      case 2 -> {
        row[4] = country.iso3() + "98";
        row[6] = "";
      }
      default -> row[9] = "n/a";
    }
  }

  private static void writeThreeW(Path file, List<String[]> rows, boolean french)
      throws IOException {
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      if (french) {
        w.write(
            "Organisation,Partenaire,Secteur,Activité,Code province,Province,Code département,"
                + "Date début,Date fin,Budget USD,Personnes atteintes,Statut\n");
      } else {
        w.write(
            "Organisation,Implementing partner,Cluster,Activity,Admin1 P-code,Admin1,"
                + "Admin2 P-code,Start date,End date,Budget (USD),People reached,Status\n");
        w.write(
            "#org+name,#org+impl+name,#sector+cluster+name,#activity+name,#adm1+code,#adm1+name,"
                + "#adm2+code,#date+start,#date+end,#value+budget+usd,#reached+ind,#status\n");
      }
      StringBuilder b = new StringBuilder(256);
      for (String[] row : rows) {
        b.setLength(0);
        for (int i = 0; i < row.length; i++) {
          if (i > 0) {
            b.append(',');
          }
          b.append(Text.csv(row[i], ','));
        }
        w.write(b.append('\n').toString());
      }
    }
  }

  /**
   * One IATI activity. Budgets are one line per calendar year of the activity, splitting the total
   * by days so that the lines add up to it exactly. {@code spoil}: 1 end before start, 2 unknown
   * area, 3 a currency without a rate.
   */
  private static void iati(
      StringBuilder x, Country country, int seq, Activity a, int spoilAs, SplittableRandom r) {
    int spoil = spoilAs == 2 && a.areas().isEmpty() ? 1 : spoilAs;
    LocalDate end = spoil == 1 ? a.start().minusDays(5) : a.end();
    String id = String.format(Locale.ROOT, "XM-SYN-%s-%06d", country.iso3(), seq + 1);
    String reporter = "XM-SYN-" + Math.abs(a.org().hashCode() % 1000);
    x.append(
            "  <iati-activity default-currency=\"USD\" last-updated-datetime=\"2025-11-18T14:06:11Z\">\n")
        .append("    <iati-identifier>")
        .append(id)
        .append("</iati-identifier>\n")
        .append("    <reporting-org ref=\"")
        .append(reporter)
        .append("\" type=\"40\"><narrative>")
        .append(xml(a.org()))
        .append("</narrative></reporting-org>\n")
        .append("    <title><narrative>")
        .append(xml(CLUSTERS[a.cluster()][0]))
        .append(" support in ")
        .append(xml(country.name()))
        .append("</narrative></title>\n")
        .append("    <participating-org ref=\"")
        .append(reporter)
        .append("\" role=\"2\" type=\"40\"><narrative>")
        .append(xml(a.org()))
        .append("</narrative></participating-org>\n");
    if (!a.partner().isEmpty()) {
      x.append("    <participating-org role=\"4\" type=\"22\"><narrative>")
          .append(xml(a.partner()))
          .append("</narrative></participating-org>\n");
    }
    x.append("    <activity-status code=\"2\"/>\n")
        .append("    <activity-date type=\"1\" iso-date=\"")
        .append(a.start())
        .append("\"/>\n")
        .append("    <activity-date type=\"3\" iso-date=\"")
        .append(end)
        .append("\"/>\n")
        .append("    <recipient-country code=\"")
        .append(country.iso2())
        .append("\" percentage=\"100\"/>\n");
    int n = a.areas().size();
    boolean shares = n > 1 && r.nextBoolean();
    for (int i = 0; i < n; i++) {
      String code = spoil == 2 && i == 0 ? country.iso3() + "97" : a.areas().get(i).pcode();
      x.append("    <location");
      if (shares) {
        x.append(" percentage=\"").append(i == 0 ? 100 - (n - 1) * (100 / n) : 100 / n).append('"');
      }
      x.append(">\n      <name><narrative>")
          .append(xml(a.areas().get(i).name()))
          .append(
              "</narrative></name>\n      <administrative vocabulary=\"G1\" level=\"1\" code=\"")
          .append(code)
          .append("\"/>\n    </location>\n");
    }
    String s1 = DAC[r.nextInt(DAC.length)];
    String s2 = DAC[r.nextInt(DAC.length)];
    if (s1.equals(s2)) {
      x.append("    <sector vocabulary=\"1\" code=\"")
          .append(s1)
          .append("\" percentage=\"100\"/>\n");
    } else {
      x.append("    <sector vocabulary=\"1\" code=\"")
          .append(s1)
          .append("\" percentage=\"60\"/>\n")
          .append("    <sector vocabulary=\"1\" code=\"")
          .append(s2)
          .append("\" percentage=\"40\"/>\n");
    }
    long days = a.end().toEpochDay() - a.start().toEpochDay() + 1;
    long left = a.budget();
    LocalDate from = a.start();
    while (!from.isAfter(a.end())) {
      LocalDate to = LocalDate.of(from.getYear(), 12, 31);
      if (to.isAfter(a.end())) {
        to = a.end();
      }
      long amount =
          to.equals(a.end())
              ? left
              : Math.round((double) a.budget() * (to.toEpochDay() - from.toEpochDay() + 1) / days);
      left -= amount;
      String currency = spoil == 3 && from.equals(a.start()) ? "XYZ" : "USD";
      x.append("    <budget type=\"1\" status=\"1\">\n      <period-start iso-date=\"")
          .append(from)
          .append("\"/>\n      <period-end iso-date=\"")
          .append(to)
          .append("\"/>\n      <value currency=\"")
          .append(currency)
          .append("\" value-date=\"")
          .append(from)
          .append("\">")
          .append(amount)
          .append("</value>\n    </budget>\n");
      from = to.plusDays(1);
    }
    transaction(x, "2", a.start(), a.budget());
    LocalDate mid = a.start().plusDays(days / 2);
    transaction(x, "3", a.start().plusDays(10), a.budget() / 2);
    transaction(x, "4", mid, a.budget() / 3);
    x.append("  </iati-activity>\n");
  }

  private static void transaction(StringBuilder x, String type, LocalDate date, long amount) {
    x.append("    <transaction>\n      <transaction-type code=\"")
        .append(type)
        .append("\"/>\n      <transaction-date iso-date=\"")
        .append(date)
        .append("\"/>\n      <value currency=\"USD\" value-date=\"")
        .append(date)
        .append("\">")
        .append(amount)
        .append("</value>\n    </transaction>\n");
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
