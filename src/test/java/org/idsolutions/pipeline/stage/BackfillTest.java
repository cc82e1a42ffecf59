package org.idsolutions.pipeline.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;
import org.idsolutions.pipeline.errors.PipelineException;
import org.junit.jupiter.api.Test;

class BackfillTest {
  @Test
  void aYearOrMonthStandsForItsFirstDayInFromAndItsLastInTo() {
    assertThat(Backfill.parse("2024", "2024"))
        .isEqualTo(new Backfill(LocalDate.of(2024, 1, 1), LocalDate.of(2024, 12, 31)));
    assertThat(Backfill.parse("2024-02", "2024-02"))
        .isEqualTo(new Backfill(LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 29)));
    assertThat(Backfill.parse("2025-03-15", "2025-04-02"))
        .isEqualTo(new Backfill(LocalDate.of(2025, 3, 15), LocalDate.of(2025, 4, 2)));
    assertThat(Backfill.parse(null, null)).isNull();
  }

  @Test
  void anOpenEndStandsForTheEarliestOrLatestDay() {
    Backfill from = Backfill.parse("2025-07", null);
    assertThat(from.first()).isEqualTo(LocalDate.of(2025, 7, 1));
    assertThat(from.last()).isEqualTo(Backfill.LATEST);
    assertThat(from).hasToString("--from 2025-07-01");
    Backfill to = Backfill.parse(null, "2023");
    assertThat(to.first()).isEqualTo(Backfill.EARLIEST);
    assertThat(to).hasToString("--to 2023-12-31");
  }

  @Test
  void badDatesAndAReversedWindowAreUsageErrorsSayingWhatToGive() {
    assertThatThrownBy(() -> Backfill.parse("2025-1", null))
        .isInstanceOf(PipelineException.class)
        .hasMessage(
            "--from '2025-1' is not a date: give YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2025, 2025-01,"
                + " 2025-01-15)");
    assertThatThrownBy(() -> Backfill.parse(null, "2025-02-29"))
        .isInstanceOf(PipelineException.class)
        .hasMessageStartingWith("--to '2025-02-29' is not a date");
    assertThatThrownBy(() -> Backfill.parse("2025-06", "2025-05"))
        .isInstanceOf(PipelineException.class)
        .hasMessage("--from 2025-06-01 is after --to 2025-05-31: give --from <= --to");
  }
}
