package org.idsolutions.pipeline.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Indicator rules from {@code conf/indicators.yaml}: the IRIS sub-criteria and every indicator's
 * polarity.
 */
public record IndicatorRules(List<SubCriterion> subCriteria, Map<String, Boolean> higherIsBetter) {

  /**
   * One sub-criterion: 1 when {@code expression} holds, 0 when not, null when it cannot be
   * evaluated; 1 when {@code appliesWhen} is given and false (not applicable counts as overcome).
   */
  public record SubCriterion(
      String id, String criterion, String label, String expression, String appliesWhen) {}

  /** The criteria in order of first appearance. */
  public List<String> criteria() {
    return new ArrayList<>(
        new LinkedHashSet<>(subCriteria.stream().map(SubCriterion::criterion).toList()));
  }

  public boolean higherIsBetter(String indicator) {
    if (higherIsBetter == null) {
      return true;
    }
    return higherIsBetter.getOrDefault(indicator, defaultHigherIsBetter());
  }

  /** The polarity of the indicators the rules do not name. */
  public boolean defaultHigherIsBetter() {
    return higherIsBetter == null || higherIsBetter.getOrDefault("default", true);
  }

  /** The indicator ids the rules give a polarity of their own. */
  public Set<String> namedPolarities() {
    Set<String> named = new TreeSet<>(higherIsBetter == null ? Set.of() : higherIsBetter.keySet());
    named.remove("default");
    return named;
  }
}
