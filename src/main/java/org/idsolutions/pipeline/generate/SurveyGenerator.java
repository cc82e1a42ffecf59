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
 * KoboToolbox-shaped household surveys, one per surveyed country and round, with their manifests.
 * The design is a stratified cluster sample: stratum = admin 1 x population group, 2 to 6 clusters
 * a stratum (one lonely-PSU stratum per survey), weight = N_h / n_h x an adjustment of +-5 %.
 *
 * <p>Each household answers the ten IRIS sub-criteria independently, overcome with a probability
 * set per sub-criterion, admin 1, group and round; 3 % of answers are missing (empty, dont_know or
 * prefer_not_to_answer). Those probabilities are the truth: per admin 1 the probability itself
 * (conditional on an answer), per country their average weighted by the strata's household counts.
 * Even rounds are written like a Kobo download (';', BOM, all quoted, CRLF, '/' in group paths),
 * odd ones like an export read through R (',', '.' for '/', X_ for a leading '_').
 *
 * <p>About 0.5 % extra bad rows: empty, zero, negative or non-numeric weight, unknown group, date
 * outside the round, unknown admin 1, and an earlier submission of a household's uuid.
 */
final class SurveyGenerator {
  static final String[] COLUMNS = {
    "start",
    "end",
    "today",
    "grp_loc/admin1",
    "grp_loc/admin2",
    "grp_loc/site_name",
    "stratum",
    "cluster_id",
    "weight",
    "grp_resp/resp_name",
    "grp_resp/resp_phone",
    "grp_resp/resp_email",
    "_geolocation",
    "_gps_latitude",
    "_gps_longitude",
    "grp_hh/displacement_status",
    "grp_hh/hh_size",
    "grp_prot/violence_12m",
    "grp_prot/free_movement",
    "grp_fs/fies_score",
    "grp_shelter/shelter_adequate",
    "grp_health/health_access",
    "grp_edu/school_age_children",
    "grp_edu/children_enrolled",
    "grp_liv/employed",
    "grp_liv/income_covers_needs",
    "grp_hlp/tenure_secure",
    "grp_docs/documents_held",
    "grp_docs/documents_held/birth_certificate",
    "grp_docs/documents_held/national_id",
    "grp_docs/documents_held/voter_card",
    "grp_docs/documents_held/none",
    "grp_comments/other_comments",
    "_uuid",
    "_submission_time",
    "_index",
    "_id"
  };

  /** The sub-criteria in conf/indicators.yaml order. */
  static final String[] SUB_CRITERIA = {
    "c1_1_no_violence", "c1_2_free_movement", "c2_1_food_security", "c2_2_adequate_housing",
    "c2_3_health_access", "c2_4_school_enrolment", "c3_1_employment", "c3_2_income_covers_needs",
    "c4_1_secure_tenure", "c5_1_civil_documentation"
  };

  private static final String[] GROUP_KEYS = {"idp", "returnee", "non_displaced"};
  private static final String[] GROUP_VALUES = {"idp", "returnee", "host_community"};
  private static final double MISSING = 0.03;
  private static final double NO_CHILDREN = 0.3;
  private static final String[] FIRST = {"Amina", "Ibrahim", "Fatima", "Moussa", "Grace", "Yusuf"};
  private static final String[] LAST = {"Bello", "Diallo", "Okafor", "Haroun", "Mbeki", "Sani"};

  record Stats(long rows, long badRows, int surveys, long incrementRows, long incrementBadRows) {}

  /** One survey round of one country. */
  private record Round(
      String label, int index, LocalDate start, LocalDate end, boolean increment) {}

  private long rows;
  private long badRows;
  private long incrementRows;
  private long incrementBadRows;
  private int surveys;

  static Stats write(
      Geography geo,
      Plan plan,
      Path dataDir,
      Path manifestDir,
      Path incrementDataDir,
      Path incrementManifestDir,
      Writer truth,
      SplittableRandom rng)
      throws IOException {
    for (Path p : List.of(dataDir, manifestDir, incrementDataDir, incrementManifestDir)) {
      Files.createDirectories(p);
    }
    truth.write(
        "survey_id,country,admin_level,admin_code,population_group,indicator_id,true_value,"
            + "increment\n");
    SurveyGenerator g = new SurveyGenerator();
    int perSurvey = Math.max(300, plan.households() / (geo.countries.size() * 2));
    for (int c = 0; c < geo.countries.size(); c++) {
      Country country = geo.countries.get(c);
      SplittableRandom r = rng.split();
      List<Admin1> areas = country.admin1().subList(0, Math.min(8, country.admin1().size()));
      double[][][] base = baseEffects(areas.size(), r);
      List<Round> rounds = new ArrayList<>();
      rounds.add(new Round("2024", 0, LocalDate.of(2024, 8, 1), LocalDate.of(2024, 10, 31), false));
      rounds.add(new Round("2025", 1, LocalDate.of(2025, 8, 1), LocalDate.of(2025, 10, 31), false));
      if (c == 0) {
        rounds.add(new Round("2026", 2, LocalDate.of(2026, 1, 5), LocalDate.of(2026, 2, 27), true));
      }
      for (Round round : rounds) {
        g.survey(
            country,
            areas,
            base,
            round,
            perSurvey,
            round.increment() ? incrementDataDir : dataDir,
            round.increment() ? incrementManifestDir : manifestDir,
            truth,
            r.split());
      }
    }
    return new Stats(g.rows, g.badRows, g.surveys, g.incrementRows, g.incrementBadRows);
  }

  /** Logit effects per admin 1, group and sub-criterion. */
  private static double[][][] baseEffects(int areas, SplittableRandom r) {
    double[] criterion = new double[SUB_CRITERIA.length];
    for (int k = 0; k < criterion.length; k++) {
      criterion[k] = -0.6 + 1.2 * r.nextDouble();
    }
    double[][][] e = new double[areas][GROUP_KEYS.length][SUB_CRITERIA.length];
    for (int a = 0; a < areas; a++) {
      double area = 0.5 * TrackingGenerator.gauss(r);
      for (int g = 0; g < GROUP_KEYS.length; g++) {
        double group = g == 2 ? 0.6 : g == 1 ? 0.1 : -0.3;
        for (int k = 0; k < SUB_CRITERIA.length; k++) {
          e[a][g][k] = criterion[k] + area + group + 0.3 * TrackingGenerator.gauss(r);
        }
      }
    }
    return e;
  }

  /** The probability a household answers the sub-criterion as overcome, given it answers. */
  private static double probability(double[][][] base, int a, int g, int k, Round round) {
    double drift = g == 2 ? 0 : 0.15 * round.index();
    double p = 1 / (1 + Math.exp(-(base[a][g][k] + drift)));
    return Math.max(0.15, Math.min(0.85, p));
  }

  private void survey(
      Country country,
      List<Admin1> areas,
      double[][][] base,
      Round round,
      int households,
      Path dataDir,
      Path manifestDir,
      Writer truth,
      SplittableRandom r)
      throws IOException {
    String id = country.iso3().toLowerCase(Locale.ROOT) + "-msna-" + round.label();
    long badBefore = badRows;
    boolean rStyle = round.index() % 2 == 1;
    Path data = dataDir.resolve(id + ".csv");
    int strata = areas.size() * GROUP_KEYS.length;
    int perStratum = Math.max(12, households / strata);
    double[] population = new double[strata];
    List<String[]> out = new ArrayList<>();
    int clusterSeq = 0;
    long days = round.end().toEpochDay() - round.start().toEpochDay();
    for (int a = 0; a < areas.size(); a++) {
      Admin1 area = areas.get(a);
      for (int g = 0; g < GROUP_KEYS.length; g++) {
        int h = a * GROUP_KEYS.length + g;
        population[h] = 1000 + r.nextInt(19_000);
        int n = (int) Math.round(perStratum * (0.8 + 0.4 * r.nextDouble()));
        boolean lonely = h == strata - 1;
        int clusters = lonely ? 1 : 2 + r.nextInt(5);
        for (int cl = 0; cl < clusters; cl++) {
          String cluster =
              String.format(
                  Locale.ROOT,
                  "%s%s-C%04d",
                  country.iso3(),
                  round.label().substring(2),
                  ++clusterSeq);
          String admin2 = area.admin2().get(r.nextInt(area.admin2().size())).pcode();
          int size = n / clusters + (cl < n % clusters ? 1 : 0);
          for (int i = 0; i < size; i++) {
            double weight = population[h] / n * (0.95 + 0.1 * r.nextDouble());
            LocalDate day = round.start().plusDays(r.nextLong(days + 1));
            String[] row =
                household(
                    area, admin2, GROUP_VALUES[g], cluster, h, weight, day, base, a, g, round, r);
            out.add(row);
            if (r.nextInt(200) == 0) {
              out.add(bad(row, country, round, r));
              badRows++;
            }
          }
        }
      }
    }
    for (int i = 0; i < out.size(); i++) {
      out.get(i)[35] = Integer.toString(i + 1);
    }
    writeCsv(data, out, rStyle);
    writeManifest(manifestDir.resolve(id + ".yaml"), id, country, round, data);
    writeTruth(truth, id, country, areas, base, round, population);
    surveys++;
    if (round.increment()) {
      incrementRows += out.size();
      incrementBadRows += badRows - badBefore;
      badRows = badBefore;
    } else {
      rows += out.size();
    }
  }

  private String[] household(
      Admin1 area,
      String admin2,
      String group,
      String cluster,
      int stratum,
      double weight,
      LocalDate day,
      double[][][] base,
      int a,
      int g,
      Round round,
      SplittableRandom r) {
    String[] v = new String[COLUMNS.length];
    int hour = 7 + r.nextInt(9);
    int minute = r.nextInt(60);
    v[0] = String.format(Locale.ROOT, "%sT%02d:%02d:00.000+01:00", day, hour, minute);
    v[1] = String.format(Locale.ROOT, "%sT%02d:%02d:00.000+01:00", day, hour + 1, minute);
    v[2] = day.toString();
    v[3] = area.pcode();
    v[4] = admin2;
    v[5] = "Site " + cluster.substring(cluster.length() - 4);
    v[6] = area.pcode() + "-" + group;
    v[7] = cluster;
    v[8] = String.format(Locale.ROOT, "%.4f", weight);
    v[9] = FIRST[r.nextInt(FIRST.length)] + " " + LAST[r.nextInt(LAST.length)];
    v[10] =
        r.nextInt(3) == 0
            ? ""
            : String.format(Locale.ROOT, "+000 70%d 555 %04d", r.nextInt(10), r.nextInt(10_000));
    v[11] =
        r.nextInt(4) == 0 ? v[9].toLowerCase(Locale.ROOT).replace(' ', '.') + "@example.org" : "";
    double lat = 5 + 10 * r.nextDouble();
    double lon = 5 + 20 * r.nextDouble();
    v[12] = String.format(Locale.ROOT, "%.6f %.6f", lat, lon);
    v[13] = String.format(Locale.ROOT, "%.6f", lat);
    v[14] = String.format(Locale.ROOT, "%.6f", lon);
    v[15] = group;
    v[16] = Integer.toString(1 + r.nextInt(10));
    // Sub-criteria in order; yes/no answers carry the outcome.
    v[17] = yesNo(r, !draw(base, a, g, 0, round, r), true);
    v[18] = yesNo(r, draw(base, a, g, 1, round, r), true);
    boolean foodSecure = draw(base, a, g, 2, round, r);
    v[19] = missing(r) ? "" : Integer.toString(foodSecure ? r.nextInt(4) : 4 + r.nextInt(5));
    v[20] = yesNo(r, draw(base, a, g, 3, round, r), true);
    v[21] = yesNo(r, draw(base, a, g, 4, round, r), true);
    boolean enrolled = draw(base, a, g, 5, round, r);
    if (r.nextDouble() < NO_CHILDREN) {
      v[22] = "0";
      v[23] = "";
    } else {
      int children = 1 + r.nextInt(5);
      v[22] = Integer.toString(children);
      v[23] = missing(r) ? "" : Integer.toString(enrolled ? children : r.nextInt(children));
    }
    v[24] = yesNo(r, draw(base, a, g, 6, round, r), true);
    v[25] = yesNo(r, draw(base, a, g, 7, round, r), true);
    v[26] = yesNo(r, draw(base, a, g, 8, round, r), true);
    boolean nationalId = draw(base, a, g, 9, round, r);
    if (missing(r)) {
      for (int i = 27; i <= 31; i++) {
        v[i] = "";
      }
    } else {
      boolean birth = r.nextBoolean();
      boolean voter = r.nextInt(3) == 0;
      List<String> held = new ArrayList<>();
      if (birth) {
        held.add("birth_certificate");
      }
      if (nationalId) {
        held.add("national_id");
      }
      if (voter) {
        held.add("voter_card");
      }
      boolean none = held.isEmpty();
      v[27] = none ? "none" : String.join(" ", held);
      v[28] = birth ? "1" : "0";
      v[29] = nationalId ? "1" : "0";
      v[30] = voter ? "1" : "0";
      v[31] = none ? "1" : "0";
    }
    int c = r.nextInt(40);
    v[32] = c == 0 ? "Said: \"we need water, food; and shelter\" – urgent" : c == 1 ? "ok" : "";
    v[33] = uuid(r);
    v[34] = String.format(Locale.ROOT, "%sT%02d:%02d:30", day, hour + 1, minute);
    v[36] = Long.toString(100_000_000L + r.nextInt(900_000_000));
    return v;
  }

  private static boolean draw(
      double[][][] base, int a, int g, int k, Round round, SplittableRandom r) {
    return r.nextDouble() < probability(base, a, g, k, round);
  }

  private static boolean missing(SplittableRandom r) {
    return r.nextDouble() < MISSING;
  }

  /** A yes/no answer, or a missing one (empty, dont_know, prefer_not_to_answer). */
  private static String yesNo(SplittableRandom r, boolean yes, boolean canBeMissing) {
    double x = r.nextDouble();
    if (canBeMissing && x < MISSING) {
      return x < 0.02 ? "" : x < 0.028 ? "dont_know" : "prefer_not_to_answer";
    }
    return yes ? "yes" : "no";
  }

  private static String uuid(SplittableRandom r) {
    return new java.util.UUID(
            (r.nextLong() & 0xffffffffffff0fffL) | 0x4000L,
            (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L)
        .toString();
  }

  /** An extra row the pipeline must quarantine, made from a good household. */
  private static String[] bad(String[] good, Country country, Round round, SplittableRandom r) {
    String[] b = good.clone();
    b[33] = uuid(r);
    b[36] = Long.toString(100_000_000L + r.nextInt(900_000_000));
    switch (r.nextInt(8)) {
      case 0 -> b[8] = "";
      case 1 -> b[8] = "0.0000";
      case 2 -> b[8] = "-" + good[8];
      case 3 -> b[8] = round.index() % 2 == 1 ? "NA" : "n/a";
      case 4 -> b[15] = "refugee";
      case 5 -> {
        LocalDate early = round.start().minusMonths(8);
        b[0] = early + b[0].substring(10);
        b[1] = early + b[1].substring(10);
        b[2] = early.toString();
      }
      case 6 -> b[3] = country.iso3() + "99";
      default -> {
        // An earlier submission of the same household with another answer: the later one is kept.
        b[33] = good[33];
        b[34] = good[2] + "T06:00:00";
        b[20] = "yes".equals(good[20]) ? "no" : "yes";
      }
    }
    return b;
  }

  private static void writeCsv(Path file, List<String[]> rows, boolean rStyle) throws IOException {
    char sep = rStyle ? ',' : ';';
    String eol = rStyle ? "\n" : "\r\n";
    try (Writer w =
        new java.io.BufferedWriter(
            new java.io.OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
            1 << 16)) {
      StringBuilder b = new StringBuilder(1024);
      if (!rStyle) {
        b.append('\uFEFF');
      }
      for (int i = 0; i < COLUMNS.length; i++) {
        if (i > 0) {
          b.append(sep);
        }
        String name = COLUMNS[i];
        if (rStyle) {
          name = (name.startsWith("_") ? "X" : "") + name.replace('/', '.');
        }
        b.append(rStyle ? Text.csv(name, sep) : Text.quoted(name));
      }
      w.write(b.append(eol).toString());
      for (String[] row : rows) {
        b.setLength(0);
        for (int i = 0; i < row.length; i++) {
          if (i > 0) {
            b.append(sep);
          }
          b.append(rStyle ? Text.csv(row[i], sep) : Text.quoted(row[i]));
        }
        w.write(b.append(eol).toString());
      }
    }
  }

  private static void writeManifest(Path file, String id, Country country, Round round, Path data)
      throws IOException {
    String yaml =
        "# Synthetic survey written by `jobs/pipeline generate` (no real household).\n"
            + "survey-id: "
            + id
            + "\ncountry: "
            + country.iso3()
            + "\nround: \""
            + round.label()
            + "\"\ninput: \""
            + data.toAbsolutePath().toString().replace("\\", "/")
            + "\"\ndate-range:\n  start: \""
            + round.start()
            + "\"\n  end: \""
            + round.end()
            + "\"\n"
            + "design:\n  weight: weight\n  stratum: stratum\n  cluster: cluster_id\n"
            + "columns:\n"
            + "  _uuid: uuid\n  _submission_time: submission_time\n  today: survey_date\n"
            + "  grp_loc/admin1: admin1_pcode\n  grp_loc/admin2: admin2_pcode\n"
            + "  grp_hh/displacement_status: population_group\n"
            + "  grp_prot/violence_12m: victim_violence_12m\n"
            + "  grp_prot/free_movement: free_movement\n"
            + "  grp_fs/fies_score: fies_raw_score\n"
            + "  grp_shelter/shelter_adequate: shelter_adequate\n"
            + "  grp_health/health_access: health_access\n"
            + "  grp_edu/school_age_children: school_age_children\n"
            + "  grp_edu/children_enrolled: children_enrolled\n"
            + "  grp_liv/employed: employed\n"
            + "  grp_liv/income_covers_needs: income_covers_needs\n"
            + "  grp_hlp/tenure_secure: tenure_secure\n"
            + "  grp_docs/documents_held/national_id: has_civil_documentation\n"
            + "population-groups:\n  idp: [idp]\n  returnee: [returnee]\n"
            + "  non_displaced: [host_community]\n"
            + "pii-columns: [grp_resp/resp_name, grp_resp/resp_phone, grp_resp/resp_email,"
            + " _geolocation, _gps_latitude, _gps_longitude, grp_comments/other_comments]\n";
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
  }

  /**
   * The truth of each sub-criterion estimate: the share overcome among households that answer.
   * School enrolment does not apply without school-age children (counted as overcome), and only
   * those with children can leave the answer missing.
   */
  private static void writeTruth(
      Writer w,
      String id,
      Country country,
      List<Admin1> areas,
      double[][][] base,
      Round round,
      double[] population)
      throws IOException {
    for (int g = 0; g < GROUP_KEYS.length; g++) {
      double[] national = new double[SUB_CRITERIA.length];
      double total = 0;
      for (int a = 0; a < areas.size(); a++) {
        double n = population[a * GROUP_KEYS.length + g];
        total += n;
        for (int k = 0; k < SUB_CRITERIA.length; k++) {
          double t = truth(base, a, g, k, round);
          national[k] += n * t;
          line(w, id, country.iso3(), 1, areas.get(a).pcode(), GROUP_KEYS[g], k, t, round);
        }
      }
      for (int k = 0; k < SUB_CRITERIA.length; k++) {
        line(
            w, id, country.iso3(), 0, country.iso3(), GROUP_KEYS[g], k, national[k] / total, round);
      }
    }
  }

  private static double truth(double[][][] base, int a, int g, int k, Round round) {
    double p = probability(base, a, g, k, round);
    if (k == 5) {
      double answered = NO_CHILDREN + (1 - NO_CHILDREN) * (1 - MISSING);
      return (NO_CHILDREN + (1 - NO_CHILDREN) * (1 - MISSING) * p) / answered;
    }
    return p;
  }

  private static void line(
      Writer w,
      String id,
      String country,
      int level,
      String code,
      String group,
      int k,
      double value,
      Round round)
      throws IOException {
    w.write(
        String.format(
            Locale.ROOT,
            "%s,%s,%d,%s,%s,%s,%.10f,%s\n",
            id,
            country,
            level,
            code,
            group,
            SUB_CRITERIA[k],
            value,
            round.increment()));
  }
}
