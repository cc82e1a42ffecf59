package org.idsolutions.pipeline.generate;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.idsolutions.pipeline.generate.Geography.Admin1;
import org.idsolutions.pipeline.generate.Geography.Admin2;
import org.idsolutions.pipeline.generate.Geography.Country;
import org.idsolutions.pipeline.raw.TrackingFields;

/**
 * DTM-shaped tracking files: per country one or two operations (disjoint admin 1 areas), one round
 * a month, one file per operation and year, in the four shapes of data-samples (API envelope, bare
 * JSON array with timestamps, CSV with and without an HXL row). Admin 2 rows are split by reason
 * and origin, admin 1 rows sum them per reason, an admin 0 row sums the round.
 *
 * <p>Messiness in good rows: reason spelt in other cases, ISO2-style p-codes, name-only admin 2
 * rows, counts as JSON strings, missing or inconsistent sex splits. About 0.2 % extra bad rows
 * (negative or non-numeric count, impossible or future date, unknown p-code, no operation, exact
 * duplicate), all of which the pipeline must quarantine. The truth is the sum of an admin 2 unit's
 * rows in its month's round; admin 1 and country sum their units.
 */
final class TrackingGenerator {
  /** The DTM fields in the order the pipeline reads them (and data-samples writes them). */
  static final String[] FIELDS = TrackingFields.ALL.toArray(new String[0]);

  private static final String[] HXL = {
    "#meta+id",
    "#operation+name",
    "#country+name",
    "#country+code",
    "#adm1+name",
    "#adm1+code",
    "#adm2+name",
    "#adm2+code",
    "#geo+admin_level",
    "#affected+idps+ind",
    "#affected+returnees+ind",
    "#date+reported",
    "#date+year",
    "#date+month",
    "#meta+round",
    "#cause+displacement",
    "#affected+idps+m",
    "#affected+idps+f",
    "#adm1+name+origin",
    "#adm1+code+origin",
    "#meta+assessment+type",
    "#status+operation"
  };
  private static final boolean[] NUMERIC = new boolean[FIELDS.length];

  static {
    for (int i : new int[] {0, 8, 9, 10, 12, 13, 14, 16, 17}) {
      NUMERIC[i] = true;
    }
  }

  private static final int ID = 0, OP = 1, A1N = 4, A1P = 5, A2N = 6, A2P = 7, LEVEL = 8;
  private static final int IDP = 9, RET = 10, DATE = 11, YEAR = 12, MONTH = 13, ROUND = 14;
  private static final int REASON = 15, MALES = 16, FEMALES = 17, ORIGIN_N = 18, ORIGIN_P = 19;

  private static final String[] REASONS = {
    "Conflict",
    "Natural disaster",
    "Communal clashes",
    "Banditry",
    "Conflict; Natural disaster",
    "Not available"
  };
  private static final double[] REASON_WEIGHTS = {6, 2, 1.5, 1.5, 1, 0.5};

  /** What was written. */
  record Stats(long rows, long badRows, int files, long incrementRows, long incrementBadRows) {}

  /** One record: its field values (null = absent) and whether its counts are JSON strings. */
  private static final class Rec {
    final String[] v = new String[FIELDS.length];
    boolean countsAsText;
  }

  private record Stream(int reason, Admin1 origin) {}

  private record Operation(String name, int day, boolean returnees, List<Admin1> areas) {}

  private final Plan plan;
  private final int totalMonths;
  private long rows;
  private long badRows;
  private long incrementRows;
  private long incrementBadRows;
  private int files;

  private TrackingGenerator(Plan plan) {
    this.plan = plan;
    this.totalMonths = plan.months() + 1;
  }

  static Stats write(
      Geography geo, Plan plan, Path baseDir, Path incrementDir, Writer truth, SplittableRandom rng)
      throws IOException {
    Files.createDirectories(baseDir);
    Files.createDirectories(incrementDir);
    TrackingGenerator g = new TrackingGenerator(plan);
    truth.write("country,admin_level,admin_code,month,idp_stock,increment\n");
    for (int c = 0; c < geo.countries.size(); c++) {
      g.country(c, geo.countries.get(c), baseDir, incrementDir, truth, rng.split());
    }
    return new Stats(g.rows, g.badRows, g.files, g.incrementRows, g.incrementBadRows);
  }

  private void country(
      int index, Country country, Path baseDir, Path incrementDir, Writer truth, SplittableRandom r)
      throws IOException {
    List<Admin1> a1 = country.admin1();
    List<Operation> ops = new ArrayList<>();
    if (a1.size() >= 4) {
      ops.add(new Operation(country.name() + " - Zone A", 15, true, a1.subList(0, a1.size() / 2)));
      ops.add(
          new Operation(
              country.name() + " - Zone B", 25, false, a1.subList(a1.size() / 2, a1.size())));
    } else {
      ops.add(new Operation(country.name() + " - National", 10, true, a1));
    }
    // Series first, in a fixed order, so the values do not depend on how files are split.
    Map<Admin2, Stream[]> streams = new LinkedHashMap<>();
    Map<Admin2, int[][]> idps = new LinkedHashMap<>();
    Map<Admin2, Double> returneeRatio = new LinkedHashMap<>();
    for (Admin1 area : a1) {
      for (Admin2 unit : area.admin2()) {
        Stream[] s = pickStreams(area, a1, r);
        streams.put(unit, s);
        idps.put(unit, series(s.length, r));
        returneeRatio.put(unit, 0.05 + 0.8 * r.nextDouble());
      }
    }
    writeTruth(country, idps, truth);
    for (int o = 0; o < ops.size(); o++) {
      Operation op = ops.get(o);
      long[] ids = {(index * 4L + o + 1) * 100_000_000L};
      for (int year = plan.firstMonth().getYear(); year <= plan.lastMonth().getYear(); year++) {
        int shape = (index + o + year) % 4;
        String file =
            String.format(
                Locale.ROOT,
                "%s-%s-%d.%s",
                country.iso3().toLowerCase(Locale.ROOT),
                o == 0 ? "a" : "b",
                year,
                shape == 0 || shape == 2 ? "json" : "csv");
        List<Rec> recs = new ArrayList<>();
        for (int t = 0; t < plan.months(); t++) {
          if (plan.firstMonth().plusMonths(t).getYear() == year) {
            round(country, op, t, shape == 2, streams, idps, returneeRatio, ids, recs, r);
          }
        }
        writeFile(baseDir.resolve(file), shape, recs);
        rows += recs.size();
      }
      List<Rec> next = new ArrayList<>();
      long badBefore = badRows;
      round(country, op, plan.months(), false, streams, idps, returneeRatio, ids, next, r);
      incrementBadRows += badRows - badBefore;
      badRows = badBefore;
      YearMonth m = plan.lastMonth().plusMonths(1);
      String file =
          String.format(
              Locale.ROOT,
              "%s-%s-%d-%02d.json",
              country.iso3().toLowerCase(Locale.ROOT),
              o == 0 ? "a" : "b",
              m.getYear(),
              m.getMonthValue());
      writeFile(incrementDir.resolve(file), 0, next);
      incrementRows += next.size();
    }
  }

  private static Stream[] pickStreams(Admin1 own, List<Admin1> all, SplittableRandom r) {
    int k = 2 + pick(r, new double[] {4, 4, 2});
    List<Stream> out = new ArrayList<>();
    for (int tries = 0; out.size() < k && tries < 50; tries++) {
      Stream s =
          new Stream(
              pick(r, REASON_WEIGHTS), r.nextDouble() < 0.6 ? own : all.get(r.nextInt(all.size())));
      if (!out.contains(s)) {
        out.add(s);
      }
    }
    return out.toArray(new Stream[0]);
  }

  /** A smooth random walk per unit, split into streams with drifting weights. */
  private int[][] series(int streams, SplittableRandom r) {
    double level = Math.exp(Math.log(300) + r.nextDouble() * Math.log(40_000 / 300.0));
    double trend = -0.03 + 0.065 * r.nextDouble();
    double[] w = new double[streams];
    for (int i = 0; i < streams; i++) {
      w[i] = 0.5 + 2.5 * r.nextDouble();
    }
    int[][] v = new int[totalMonths][streams];
    for (int t = 0; t < totalMonths; t++) {
      level = Math.max(80, level * Math.exp(trend + 0.04 * gauss(r)));
      trend += 0.002 * gauss(r);
      double sum = 0;
      for (int i = 0; i < streams; i++) {
        w[i] *= Math.exp(0.05 * gauss(r));
        sum += w[i];
      }
      for (int i = 0; i < streams; i++) {
        v[t][i] = (int) Math.max(5, Math.round(level * w[i] / sum));
      }
    }
    return v;
  }

  private void writeTruth(Country country, Map<Admin2, int[][]> idps, Writer truth)
      throws IOException {
    long[] national = new long[totalMonths];
    for (Admin1 area : country.admin1()) {
      long[] regional = new long[totalMonths];
      for (Admin2 unit : area.admin2()) {
        int[][] v = idps.get(unit);
        for (int t = 0; t < totalMonths; t++) {
          long sum = 0;
          for (int x : v[t]) {
            sum += x;
          }
          regional[t] += sum;
          truthLine(truth, country.iso3(), 2, unit.pcode(), t, sum);
        }
      }
      for (int t = 0; t < totalMonths; t++) {
        national[t] += regional[t];
        truthLine(truth, country.iso3(), 1, area.pcode(), t, regional[t]);
      }
    }
    for (int t = 0; t < totalMonths; t++) {
      truthLine(truth, country.iso3(), 0, country.iso3(), t, national[t]);
    }
  }

  private void truthLine(Writer w, String country, int level, String code, int t, long value)
      throws IOException {
    YearMonth m = plan.firstMonth().plusMonths(t);
    w.write(
        country
            + ","
            + level
            + ","
            + code
            + ","
            + m
            + "-01,"
            + value
            + ","
            + (t >= plan.months())
            + "\n");
  }

  private void round(
      Country country,
      Operation op,
      int t,
      boolean timestamps,
      Map<Admin2, Stream[]> streams,
      Map<Admin2, int[][]> idps,
      Map<Admin2, Double> returneeRatio,
      long[] ids,
      List<Rec> out,
      SplittableRandom r) {
    YearMonth m = plan.firstMonth().plusMonths(t);
    String date =
        String.format(Locale.ROOT, "%s-%02d%s", m, op.day(), timestamps ? "T00:00:00" : "");
    Rec a0 = base(country, op, 0, m, date, t + 1, ++ids[0]);
    out.add(a0);
    long a0Idp = 0;
    long a0Ret = 0;
    for (Admin1 area : op.areas()) {
      long[] idpByReason = new long[REASONS.length];
      long[] retByReason = new long[REASONS.length];
      List<Rec> unitRows = new ArrayList<>();
      for (Admin2 unit : area.admin2()) {
        Stream[] s = streams.get(unit);
        int[] v = idps.get(unit)[t];
        for (int i = 0; i < s.length; i++) {
          int ret = (int) Math.round(v[i] * returneeRatio.get(unit));
          Rec rec = base(country, op, 2, m, date, t + 1, ++ids[0]);
          rec.v[A1N] = area.name();
          rec.v[A1P] = area.pcode();
          rec.v[A2N] = unit.name();
          rec.v[A2P] = unit.pcode();
          rec.v[IDP] = Integer.toString(v[i]);
          rec.v[RET] = op.returnees() ? Integer.toString(ret) : null;
          rec.v[REASON] = spell(REASONS[s[i].reason()], r);
          sexSplit(rec, v[i], true, r);
          rec.v[ORIGIN_N] = s[i].origin().name();
          rec.v[ORIGIN_P] = s[i].origin().pcode();
          mess(rec, country, r);
          unitRows.add(rec);
          idpByReason[s[i].reason()] += v[i];
          retByReason[s[i].reason()] += ret;
          if (r.nextInt(500) == 0) {
            unitRows.add(bad(rec, country, ++ids[0], r));
            badRows++;
          }
        }
      }
      for (int k = 0; k < REASONS.length; k++) {
        if (idpByReason[k] == 0) {
          continue;
        }
        Rec rec = base(country, op, 1, m, date, t + 1, ++ids[0]);
        rec.v[A1N] = area.name();
        rec.v[A1P] = area.pcode();
        rec.v[IDP] = Long.toString(idpByReason[k]);
        rec.v[RET] = op.returnees() ? Long.toString(retByReason[k]) : null;
        rec.v[REASON] = REASONS[k];
        sexSplit(rec, idpByReason[k], false, r);
        out.add(rec);
        a0Idp += idpByReason[k];
        a0Ret += retByReason[k];
      }
      out.addAll(unitRows);
    }
    a0.v[IDP] = Long.toString(a0Idp);
    a0.v[RET] = op.returnees() ? Long.toString(a0Ret) : null;
    sexSplit(a0, a0Idp, false, r);
  }

  private static Rec base(
      Country country, Operation op, int level, YearMonth m, String date, int round, long id) {
    Rec rec = new Rec();
    rec.v[ID] = Long.toString(id);
    rec.v[OP] = op.name();
    rec.v[2] = country.name();
    rec.v[3] = country.iso3();
    rec.v[LEVEL] = Integer.toString(level);
    rec.v[DATE] = date;
    rec.v[YEAR] = Integer.toString(m.getYear());
    rec.v[MONTH] = Integer.toString(m.getMonthValue());
    rec.v[ROUND] = Integer.toString(round);
    rec.v[20] = "BA";
    rec.v[21] = "Active";
    return rec;
  }

  private static String spell(String reason, SplittableRandom r) {
    int x = r.nextInt(10);
    if (reason.equals("Conflict")) {
      return x == 0 ? "conflict" : x == 1 ? "CONFLICT" : reason;
    }
    if (reason.equals("Natural disaster")) {
      return x < 2 ? "natural Disaster" : reason;
    }
    return reason;
  }

  /** Sex split: missing on 15 % of rows; on 2 % of admin 2 rows it does not add up. */
  private static void sexSplit(Rec rec, long total, boolean allowOff, SplittableRandom r) {
    if (r.nextInt(100) < 15) {
      return;
    }
    long males = Math.max(0, Math.min(total, Math.round(total * (0.44 + 0.06 * r.nextDouble()))));
    long females = total - males;
    if (allowOff && r.nextInt(50) == 0) {
      females = Math.max(0, females + (r.nextBoolean() ? 1 : -1) * (3 + r.nextInt(38)));
    }
    rec.v[MALES] = Long.toString(males);
    rec.v[FEMALES] = Long.toString(females);
  }

  /** Good-row messiness that the pipeline repairs: ISO2 p-codes, name-only rows, text counts. */
  private static void mess(Rec rec, Country country, SplittableRandom r) {
    int x = r.nextInt(1000);
    if (x < 10) {
      rec.v[A1P] = country.iso2() + rec.v[A1P].substring(3);
      rec.v[A2P] = country.iso2() + rec.v[A2P].substring(3);
    } else if (x < 15) {
      rec.v[A2P] = "";
      rec.v[A2N] = rec.v[A2N].toUpperCase(Locale.ROOT).replace(' ', '-');
    } else if (x < 20) {
      rec.countsAsText = true;
    }
  }

  /** An extra row the pipeline must quarantine, made from a good one. */
  private static Rec bad(Rec good, Country country, long id, SplittableRandom r) {
    Rec b = new Rec();
    System.arraycopy(good.v, 0, b.v, 0, FIELDS.length);
    b.v[ID] = Long.toString(id);
    switch (r.nextInt(7)) {
      case 0 -> b.v[IDP] = "-" + good.v[IDP];
      case 1 -> {
        b.v[IDP] = "n/a";
        b.countsAsText = true;
      }
      case 2 -> b.v[DATE] = b.v[YEAR] + "-13-45";
      case 3 -> {
        b.v[DATE] = "2031-01-15";
        b.v[YEAR] = "2031";
        b.v[MONTH] = "1";
      }
      case 4 -> {
        b.v[A1P] = good.v[A1P].startsWith(country.iso3()) ? good.v[A1P] : country.iso3() + "01";
        b.v[A2P] = b.v[A1P] + "999";
        b.v[A2N] = "Nowhere Camp";
      }
      case 5 -> b.v[OP] = "";
      default -> { // an exact copy of the row before it
        b.v[ID] = good.v[ID];
        b.countsAsText = good.countsAsText;
      }
    }
    return b;
  }

  private static int pick(SplittableRandom r, double[] weights) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double x = r.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      x -= weights[i];
      if (x < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  static double gauss(SplittableRandom r) {
    double u = 1 - r.nextDouble();
    double v = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shapes: 0 API envelope, 1 CSV with HXL row, 2 bare JSON array, 3 CSV without HXL row. */
  private void writeFile(Path file, int shape, List<Rec> recs) throws IOException {
    files++;
    try (Writer w =
        new java.io.BufferedWriter(
            new java.io.OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
            1 << 16)) {
      if (shape == 0 || shape == 2) {
        w.write(shape == 0 ? "{\"isSuccess\": true, \"message\": null, \"result\": [\n" : "[\n");
        for (int i = 0; i < recs.size(); i++) {
          w.write(jsonLine(recs.get(i)));
          w.write(i + 1 < recs.size() ? ",\n" : "\n");
        }
        w.write(shape == 0 ? "]}\n" : "]\n");
      } else {
        w.write(String.join(",", FIELDS));
        w.write('\n');
        if (shape == 1) {
          w.write(String.join(",", HXL));
          w.write('\n');
        }
        StringBuilder b = new StringBuilder(256);
        for (Rec rec : recs) {
          b.setLength(0);
          for (int i = 0; i < FIELDS.length; i++) {
            if (i > 0) {
              b.append(',');
            }
            b.append(Text.csv(rec.v[i], ','));
          }
          w.write(b.append('\n').toString());
        }
      }
    }
  }

  private static String jsonLine(Rec rec) {
    StringBuilder b = new StringBuilder(512).append('{');
    for (int i = 0; i < FIELDS.length; i++) {
      if (i > 0) {
        b.append(", ");
      }
      b.append('"').append(FIELDS[i]).append("\": ");
      String v = rec.v[i];
      boolean asNumber =
          NUMERIC[i] && v != null && !(rec.countsAsText && (i == IDP || i == MALES)) && isLong(v);
      b.append(asNumber ? v : Text.json(v));
    }
    return b.append('}').toString();
  }

  private static boolean isLong(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = s.charAt(0) == '-' ? 1 : 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return s.length() > (s.charAt(0) == '-' ? 1 : 0);
  }
}
