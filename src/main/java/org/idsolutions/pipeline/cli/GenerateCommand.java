package org.idsolutions.pipeline.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.idsolutions.pipeline.generate.SyntheticData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write synthetic inputs of all three families with their ground truth: about 1 M tracking"
          + " rows, 100 k survey households and 20 k programme activities per unit of --scale, in"
          + " the shapes and messiness of data-samples (with a small share of bad rows).",
      "Writes base/ (up to December 2025), increment/ (one more month, survey round and"
          + " activities), reference/, truth/ and pipeline.yaml (a config for a run on base/)."
          + " The same scale and seed give the same bytes. See docs/performance.md."
    },
    footer = {
      "",
      "Example:",
      "  jobs/pipeline generate --scale 0.1 --seed 7 --out /tmp/synth",
      "  jobs/pipeline --conf /tmp/synth/pipeline.yaml run"
    })
final class GenerateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--scale",
      required = true,
      paramLabel = "S",
      description = "Size: 1 is about 1 M tracking rows; fractions allowed (e.g. 0.01).")
  double scale;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "N",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Folder to write; must be new or empty.")
  Path out;

  @Option(
      names = "--countries",
      defaultValue = "conf/countries.csv",
      paramLabel = "FILE",
      description = "Countries table the pipeline reads (default: ${DEFAULT-VALUE}).")
  Path countries;

  @Override
  public Integer call() {
    SyntheticData.Summary s = SyntheticData.generate(out, scale, seed, countries);
    print(spec.commandLine().getOut(), s, out);
    return 0;
  }

  static void print(PrintWriter w, SyntheticData.Summary s, Path out) {
    w.printf(
        Locale.ROOT,
        "generated scale %s seed %d in %.1f s under %s%n"
            + "  %d countries, %d admin 2 units, months %s..%s%n"
            + "  tracking   %,d rows (%,d bad), increment %,d rows%n"
            + "  surveys    %,d rows (%,d bad), increment %,d rows%n"
            + "  programmes %,d activities (%,d bad), increment %,d activities%n",
        s.scale(),
        s.seed(),
        s.seconds(),
        out,
        s.countries(),
        s.admin2Units(),
        s.firstMonth(),
        s.lastMonth(),
        s.trackingRows(),
        s.trackingBadRows(),
        s.incrementTrackingRows(),
        s.households(),
        s.surveyBadRows(),
        s.incrementHouseholds(),
        s.activities(),
        s.badActivities(),
        s.incrementActivities());
  }
}
