package org.idsolutions.pipeline.lakehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The declaration a write of indicator_values keeps in its commit (change 76). */
class PeriodsChangedTest {
  @Test
  void aDeclarationReadsBackFromItsJsonAndGivesThePeriodsHoldingItsDay() {
    PeriodsChanged declared = PeriodsChanged.from(Map.of("AFG", LocalDate.of(2025, 11, 14)));
    assertThat(declared.json())
        .isEqualTo(
            "{\"periodsChanged\":{\"periodTypes\":[\"month\",\"quarter\",\"year\"],"
                + "\"from\":{\"AFG\":\"2025-11-14\"}}}");
    PeriodsChanged read = PeriodsChanged.parse(declared.json()).orElseThrow();
    assertThat(read).isEqualTo(declared);
    assertThat(read.firstStart("month", "AFG")).isEqualTo(LocalDate.of(2025, 11, 1));
    assertThat(read.firstStart("quarter", "AFG")).isEqualTo(LocalDate.of(2025, 10, 1));
    assertThat(read.firstStart("year", "AFG")).isEqualTo(LocalDate.of(2025, 1, 1));
    // a country without a day: all its periods
    assertThat(read.firstStart("month", "COD")).isNull();
    // the same starts as the predicate the stages replace with
    assertThat(Sql.periodsFrom(LocalDate.of(2025, 11, 14)))
        .contains("'month' AND period_start >= DATE'2025-11-01'")
        .contains("'quarter' AND period_start >= DATE'2025-10-01'")
        .contains("'year' AND period_start >= DATE'2025-01-01'");
    assertThat(PeriodsChanged.parse(PeriodsChanged.all(List.of("year")).json()))
        .contains(new PeriodsChanged(List.of("year"), Map.of()));
  }

  @Test
  void metadataThatIsNotADeclarationIsNone() {
    assertThat(PeriodsChanged.parse(null)).isEmpty();
    assertThat(PeriodsChanged.parse("overwritten to fix a typo")).isEmpty();
    assertThat(PeriodsChanged.parse("{\"other\":1}")).isEmpty();
    assertThat(PeriodsChanged.parse("{\"periodsChanged\":{\"periodTypes\":[],\"from\":{}}}"))
        .isEmpty();
    assertThat(
            PeriodsChanged.parse("{\"periodsChanged\":{\"periodTypes\":[\"week\"],\"from\":{}}}"))
        .isEmpty();
    assertThat(
            PeriodsChanged.parse(
                "{\"periodsChanged\":{\"periodTypes\":[\"year\"],\"from\":{\"AFG\":\"soon\"}}}"))
        .isEmpty();
  }
}
