package org.idsolutions.pipeline.generate;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.idsolutions.pipeline.errors.Errors;

/**
 * Synthetic inputs of all three families at any scale, with their ground truth (DESIGN 10). The
 * same scale, seed and countries table give byte-identical files.
 *
 * <p>Layout under the output folder:
 *
 * <pre>
 * pipeline.yaml                      config for a run on the base data
 * generated.json                     scale, seed, plan and row counts
 * reference/admin-units.csv          the synthetic admin 1 and admin 2 units
 * base/tracking/                     tracking files up to December 2025
 * base/surveys/{data,manifests}/     two survey rounds per country
 * base/programmes/                   IATI XML and 3W sheets
 * increment/...                      the same folders: January 2026, one more round, new activities
 * truth/tracking_stock.csv           true IDP stock per unit (admin 0, 1, 2) and month
 * truth/survey_proportions.csv       true sub-criterion proportions per area, group and round
 * truth/programme_budget.csv         true total budget (USD) of the good activities per country
 * </pre>
 */
public final class SyntheticData {
  static final String SUMMARY = "generated.json";

  /** What was generated. */
  public record Summary(
      double scale,
      long seed,
      String firstMonth,
      String lastMonth,
      int countries,
      int admin2Units,
      long trackingRows,
      long trackingBadRows,
      long households,
      long surveyBadRows,
      long activities,
      long badActivities,
      long incrementTrackingRows,
      long incrementHouseholds,
      long incrementActivities,
      long incrementTrackingBadRows,
      long incrementSurveyBadRows,
      double seconds) {}

  private SyntheticData() {}

  /**
   * Writes the data under {@code out}, which must be empty or absent.
   *
   * @param countriesCsv the countries table the pipeline reads (inputs.countries)
   */
  public static Summary generate(Path out, double scale, long seed, Path countriesCsv) {
    long t0 = System.nanoTime();
    Plan plan;
    try {
      plan = Plan.of(scale, seed);
    } catch (IllegalArgumentException e) {
      throw Errors.usage(e.getMessage() + ": pass --scale between 0 (exclusive) and 1000");
    }
    requireEmpty(out);
    try {
      SplittableRandom rng = new SplittableRandom(seed);
      Geography geo = Geography.build(countriesCsv, plan.admin2Units(), rng.split());
      geo.writeAdminUnits(out.resolve("reference/admin-units.csv"));
      Files.createDirectories(out.resolve("truth"));
      TrackingGenerator.Stats tracking;
      try (Writer truth = writer(out.resolve("truth/tracking_stock.csv"))) {
        tracking =
            TrackingGenerator.write(
                geo,
                plan,
                out.resolve("base/tracking"),
                out.resolve("increment/tracking"),
                truth,
                rng.split());
      }
      SurveyGenerator.Stats surveys;
      try (Writer truth = writer(out.resolve("truth/survey_proportions.csv"))) {
        surveys =
            SurveyGenerator.write(
                geo,
                plan,
                out.resolve("base/surveys/data"),
                out.resolve("base/surveys/manifests"),
                out.resolve("increment/surveys/data"),
                out.resolve("increment/surveys/manifests"),
                truth,
                rng.split());
      }
      ProgrammeGenerator.Stats programmes;
      try (Writer truth = writer(out.resolve("truth/programme_budget.csv"))) {
        programmes =
            ProgrammeGenerator.write(
                geo,
                plan,
                out.resolve("base/programmes"),
                out.resolve("increment/programmes"),
                truth,
                rng.split());
      }
      writeConfig(out, countriesCsv);
      int admin2 = 0;
      for (Geography.Country c : geo.countries) {
        for (Geography.Admin1 a : c.admin1()) {
          admin2 += a.admin2().size();
        }
      }
      Summary summary =
          new Summary(
              scale,
              seed,
              plan.firstMonth().toString(),
              plan.lastMonth().toString(),
              geo.countries.size(),
              admin2,
              tracking.rows(),
              tracking.badRows(),
              surveys.rows(),
              surveys.badRows(),
              programmes.activities(),
              programmes.badActivities(),
              tracking.incrementRows(),
              surveys.incrementRows(),
              programmes.incrementActivities(),
              tracking.incrementBadRows(),
              surveys.incrementBadRows(),
              (System.nanoTime() - t0) / 1e9);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("summary", summary);
      json.put(
          "plan",
          Map.of(
              "months", plan.months(),
              "admin2Units", plan.admin2Units(),
              "households", plan.households(),
              "activities", plan.activities()));
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.resolve(SUMMARY).toFile(), json);
      return summary;
    } catch (IOException e) {
      throw Errors.failed("cannot write synthetic data under " + out + ": " + e.getMessage(), e);
    }
  }

  /** The summary of earlier generated data in {@code out}, or null when there is none. */
  public static Summary read(Path out) {
    Path file = out.resolve(SUMMARY);
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return new ObjectMapper()
          .readerFor(Summary.class)
          .readValue(new ObjectMapper().readTree(file.toFile()).get("summary"));
    } catch (IOException e) {
      return null;
    }
  }

  private static void requireEmpty(Path out) {
    if (Files.isDirectory(out)) {
      try (Stream<Path> s = Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw Errors.usage(
              "output folder " + out + " is not empty: pass a new or empty folder with --out");
        }
      } catch (IOException e) {
        throw Errors.usage("cannot list " + out + ": " + e.getMessage());
      }
    } else if (Files.exists(out)) {
      throw Errors.usage(out + " is a file: pass a folder with --out");
    }
  }

  private static Writer writer(Path file) throws IOException {
    return new java.io.BufferedWriter(
        new java.io.OutputStreamWriter(Files.newOutputStream(file), StandardCharsets.UTF_8),
        1 << 16);
  }

  /** A config for a run on the base data; relative conf/ paths resolve from the repository root. */
  private static void writeConfig(Path out, Path countriesCsv) throws IOException {
    Path abs = out.toAbsolutePath().normalize();
    String yaml =
        "# Written by `jobs/pipeline generate`: a run on the synthetic base data.\n"
            + "# jobs/pipeline --conf "
            + abs.resolve("pipeline.yaml")
            + " run\n"
            + "spark:\n"
            + "  master: \"local[*]\"\n"
            + "  conf:\n"
            + "    spark.ui.enabled: \"false\"\n"
            + "    spark.sql.adaptive.enabled: \"true\"\n"
            + "lakehouse:\n  root: \""
            + abs.resolve("lakehouse")
            + "\"\ninputs:\n  tracking: \""
            + abs.resolve("base/tracking")
            + "\"\n  admin-units: \""
            + abs.resolve("reference/admin-units.csv")
            + "\"\n  surveys: \""
            + abs.resolve("base/surveys/manifests")
            + "\"\n  programmes: \""
            + abs.resolve("base/programmes")
            + "\"\n  countries: \""
            + countriesCsv.toAbsolutePath().normalize()
            + "\"\n";
    Files.writeString(out.resolve("pipeline.yaml"), yaml, StandardCharsets.UTF_8);
  }
}
