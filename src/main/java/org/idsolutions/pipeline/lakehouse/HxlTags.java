package org.idsolutions.pipeline.lakehouse;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HXL hashtags of exported columns (docs/export.md); a column not listed gets {@code
 * #meta+<name>}.
 */
public final class HxlTags {
  public static final Map<String, String> TAGS = new LinkedHashMap<>();

  static {
    TAGS.put("country", "#country+code");
    TAGS.put("admin_level", "#geo+admin_level");
    TAGS.put("admin_code", "#adm+code");
    TAGS.put("admin_name", "#adm+name");
    TAGS.put("admin1_code", "#adm1+code");
    TAGS.put("year", "#date+year");
    TAGS.put("period_type", "#date+period_type");
    TAGS.put("period_start", "#date+start");
    TAGS.put("period_end", "#date+end");
    TAGS.put("indicator_id", "#indicator+code");
    TAGS.put("population_group", "#population+group");
    TAGS.put("value", "#indicator+value+num");
    TAGS.put("ci_low", "#indicator+ci_low+num");
    TAGS.put("ci_high", "#indicator+ci_high+num");
    TAGS.put("se", "#indicator+se+num");
    TAGS.put("n", "#indicator+respondents+num");
    TAGS.put("idp_stock", "#affected+idps+ind");
    TAGS.put("returnee_stock", "#affected+returnees+ind");
    TAGS.put("budget_usd", "#value+budget+usd");
    TAGS.put("disbursed_usd", "#value+disbursed+usd");
    TAGS.put("spent_usd", "#value+spent+usd");
    TAGS.put("people_reached", "#reached+ind");
    TAGS.put("activities_active", "#activity+active+num");
    TAGS.put("organisations_active", "#org+active+num");
    TAGS.put("source_family", "#meta+source");
    TAGS.put("run_id", "#meta+run");
  }

  private HxlTags() {}

  public static List<String> forColumns(List<String> columns) {
    List<String> out = new ArrayList<>();
    for (String c : columns) {
      out.add(TAGS.getOrDefault(c, "#meta+" + c.toLowerCase(java.util.Locale.ROOT)));
    }
    return out;
  }
}
