package dev.kiln.core.testing;

import java.util.List;

/**
 * The field names of docs/braze-reference.md section 9 (what /users/export/ids and the segment
 * export may be asked for), written out by hand for the tests of {@code UserExport} and of the
 * export endpoints. It is an oracle, so it does not read {@code UserExport.FIELDS}; one copy keeps
 * those tests agreeing with each other.
 */
public final class DocumentedExportFields {
  private DocumentedExportFields() {}

  /** Every field name of section 9. */
  public static final List<String> FIELDS =
      List.of(
          "apps",
          "attributed_campaign",
          "attributed_source",
          "attributed_adgroup",
          "attributed_ad",
          "braze_id",
          "campaigns_received",
          "canvases_received",
          "cards_clicked",
          "country",
          "created_at",
          "custom_attributes",
          "custom_events",
          "devices",
          "dob",
          "email",
          "email_subscribe",
          "external_id",
          "first_name",
          "gender",
          "home_city",
          "language",
          "last_coordinates",
          "last_name",
          "phone",
          "purchases",
          "push_subscribe",
          "push_tokens",
          "random_bucket",
          "time_zone",
          "total_revenue",
          "uninstalled_at",
          "user_aliases");

  /**
   * The fields of section 9 that Kiln does not hold yet (compatibility.md: accepted, always
   * omitted).
   */
  public static final List<String> NOT_YET_HELD =
      List.of(
          "apps",
          "devices",
          "push_tokens",
          "campaigns_received",
          "canvases_received",
          "cards_clicked",
          "attributed_campaign",
          "attributed_source",
          "attributed_adgroup",
          "attributed_ad",
          "uninstalled_at");
}
