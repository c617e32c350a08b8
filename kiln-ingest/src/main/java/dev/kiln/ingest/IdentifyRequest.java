package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.identity.IdentifyUser;
import dev.kiln.core.identity.UserOperation;
import dev.kiln.core.identity.UserSelector;
import dev.kiln.core.profile.ExternalId;
import dev.kiln.core.profile.UserLookup;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded {@code POST /users/identify} (docs/braze-reference.md section 11).
 *
 * @param processed the answer's counts: {@code aliases_processed}, and the counts of emails and
 *     phone numbers when the request gave them
 */
public record IdentifyRequest(List<UserOperation> operations, Map<String, Integer> processed) {
  static final String NOTHING =
      "at least one of 'aliases_to_identify', 'emails_to_identify' or "
          + "'phone_numbers_to_identify' must be given";
  static final String TOO_MANY = "a single request may not contain more than 50 identifications";
  static final String ALIAS =
      "each of 'aliases_to_identify' must have a string 'external_id' and a 'user_alias' "
          + "object with string 'alias_name' and 'alias_label'";

  public IdentifyRequest {
    operations = List.copyOf(operations);
    processed = Collections.unmodifiableMap(new LinkedHashMap<>(processed));
  }

  public static IdentifyRequest decode(ObjectNode body) {
    List<JsonNode> aliases =
        ManagementFields.objects(
            body, "aliases_to_identify", arrayOfObjects("aliases_to_identify"));
    List<JsonNode> emails =
        ManagementFields.objects(body, "emails_to_identify", arrayOfObjects("emails_to_identify"));
    List<JsonNode> phones =
        ManagementFields.objects(
            body, "phone_numbers_to_identify", arrayOfObjects("phone_numbers_to_identify"));
    int total = aliases.size() + emails.size() + phones.size();
    if (total == 0) {
      throw new RejectedRequest(NOTHING);
    }
    ManagementFields.requireAtMostMax(total, TOO_MANY);
    List<UserOperation> operations = new ArrayList<>(total);
    for (JsonNode item : aliases) {
      ExternalId externalId = ManagementFields.externalId(item, "external_id", ALIAS);
      UserSelector alias =
          UserSelector.of(
              new UserLookup.Alias(ManagementFields.alias(item.path("user_alias"), ALIAS)));
      operations.add(new IdentifyUser(alias, externalId));
    }
    addContacts(emails, "emails_to_identify", "email", operations);
    addContacts(phones, "phone_numbers_to_identify", "phone", operations);
    Map<String, Integer> processed = new LinkedHashMap<>();
    processed.put("aliases_processed", aliases.size());
    if (body.hasNonNull("emails_to_identify")) {
      processed.put("emails_processed", emails.size());
    }
    if (body.hasNonNull("phone_numbers_to_identify")) {
      processed.put("phone_numbers_processed", phones.size());
    }
    return new IdentifyRequest(operations, processed);
  }

  private static void addContacts(
      List<JsonNode> items, String array, String field, List<UserOperation> operations) {
    String invalid =
        "each of '"
            + array
            + "' must have a string 'external_id', a string '"
            + field
            + "' and a 'prioritization' array";
    for (JsonNode item : items) {
      ExternalId externalId = ManagementFields.externalId(item, "external_id", invalid);
      operations.add(
          new IdentifyUser(ManagementFields.contact(item, field, true, invalid), externalId));
    }
  }

  private static String arrayOfObjects(String field) {
    return "'" + field + "' must be an array of objects";
  }
}
