package org.idsolutions.pipeline.conform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.idsolutions.pipeline.conform.programme.ProgrammeReference;
import org.idsolutions.pipeline.errors.PipelineException;
import org.idsolutions.pipeline.support.SparkTestSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The programme reference files are checked line by line before any activity meets them. */
class ProgrammeReferenceTest {
  @TempDir Path dir;

  private ProgrammeReference load(String fx, String sectors, String countries) throws IOException {
    Path f = Files.writeString(dir.resolve("fx.csv"), fx);
    Path s = Files.writeString(dir.resolve("sectors.csv"), sectors);
    Path c = Files.writeString(dir.resolve("countries.csv"), countries);
    return ProgrammeReference.load(
        SparkTestSession.get(), f.toString(), s.toString(), c.toString());
  }

  private static final String FX = "year,currency,usd_per_unit\n2025,USD,1\n2025,EUR,1.08\n";
  private static final String SECTORS = "vocabulary,code,group\n1,11220,basic_services\n";
  private static final String COUNTRIES = "iso2,iso3,name\nNG,NGA,Nigeria\nTD,TCD,\"Chad, Rep.\"\n";

  @Test
  void theProjectsReferenceFilesLoadWithEveryLine() throws IOException {
    ProgrammeReference ref =
        ProgrammeReference.load(
            SparkTestSession.get(),
            "conf/fx-rates.csv",
            "conf/sector-groups.csv",
            "conf/countries.csv");
    assertThat(ref.fxRates().count())
        .isEqualTo(Files.readAllLines(Path.of("conf/fx-rates.csv")).size() - 1);
    assertThat(ref.sectorGroups().count())
        .isEqualTo(Files.readAllLines(Path.of("conf/sector-groups.csv")).size() - 1);
    assertThat(ref.countries().count())
        .isEqualTo(Files.readAllLines(Path.of("conf/countries.csv")).size() - 1);
  }

  @Test
  void valuesAreTrimmedAndCased() throws IOException {
    ProgrammeReference ref =
        load("year,currency,usd_per_unit\n 2025 , eur ,1.08\n\n", SECTORS, COUNTRIES);
    assertThat(ref.fxRates().collectAsList()).singleElement().hasToString("[2025,EUR,1.08]");
    assertThat(ref.countries().where("iso3 = 'TCD'").count()).isEqualTo(1);
  }

  @Test
  void aRateGivenTwiceStopsTheRunNamingBothLines() {
    // the conversion joins every matching rate: a second 2025 EUR line doubled every EUR amount
    assertThatThrownBy(() -> load(FX + "2024,EUR,1.05\n2025,eur,1.09\n", SECTORS, COUNTRIES))
        .isInstanceOf(PipelineException.class)
        .hasMessageContaining("fx.csv line 5: repeats the year and currency of line 3 (2025 EUR)")
        .hasMessageEndingWith("keep one of the two lines: fix the file")
        .satisfies(e -> assertThat(((PipelineException) e).exitCode().code()).isEqualTo(2));
  }

  @Test
  void aRateThatIsNotAPositiveNumberStopsTheRun() {
    assertThatThrownBy(() -> load(FX + "2025,GBP,-1.27\n", SECTORS, COUNTRIES))
        .hasMessageContaining("fx.csv line 4: 'usd_per_unit' is '-1.27', not a positive number")
        .isInstanceOf(PipelineException.class);
    assertThatThrownBy(() -> load(FX + "2025,GBP,n/a\n", SECTORS, COUNTRIES))
        .hasMessageContaining("line 4: 'usd_per_unit' is 'n/a', not a positive number");
    assertThatThrownBy(() -> load(FX + "25,GBP,1.27\n", SECTORS, COUNTRIES))
        .hasMessageContaining("line 4: year '25' is not a four-digit year");
  }

  @Test
  void aSectorOrCountryGivenTwiceOrABlankKeyStopsTheRun() {
    assertThatThrownBy(() -> load(FX, SECTORS + "1,11220,health\n", COUNTRIES))
        .hasMessageContaining(
            "sectors.csv line 3: repeats the vocabulary and code of line 2 (1 11220)");
    assertThatThrownBy(() -> load(FX, SECTORS, COUNTRIES + "ng,NGR,Niger?\n"))
        .hasMessageContaining("countries.csv line 4: repeats the iso2 of line 2 (iso2 NG)");
    assertThatThrownBy(() -> load(FX, SECTORS + "cluster,,health\n", COUNTRIES))
        .hasMessageContaining("sectors.csv line 3: 'code' is blank");
  }
}
