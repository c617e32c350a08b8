package dev.kiln.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.core.profile.ActivityRecord;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.track.ActivityUpdates;
import dev.kiln.core.track.BrazeTimes;
import dev.kiln.core.track.Values;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Event and purchase objects (docs/braze-reference.md sections 4 and 5). */
final class Activities {
  static final int MAX_PROPERTIES = 256;
  private static final Set<String> CURRENCIES =
      Currency.getAvailableCurrencies().stream()
          .map(Currency::getCurrencyCode)
          .collect(Collectors.toUnmodifiableSet());
  private static final Set<String> RESERVED_PROPERTIES = Set.of("time", "event_name");

  private final TrackLimits limits;

  Activities(TrackLimits limits) {
    this.limits = limits;
  }

  ProfileChange event(ObjectNode object, Instant now) {
    TrackTarget target = TrackTarget.of(object, TrackTarget.ObjectKind.ACTIVITY);
    String name = requiredName(object, "name");
    Instant time = time(object, now);
    Map<String, Object> properties = properties(object, limits.maxEventPropertiesBytes());
    ActivityRecord record = new ActivityRecord.CustomEvent(name, time, appId(object), properties);
    return new ProfileChange(
        target.lookup(),
        target.createIfMissing(),
        ActivityUpdates.event(name, time),
        List.of(record),
        null);
  }

  ProfileChange purchase(ObjectNode object, Instant now) {
    TrackTarget target = TrackTarget.of(object, TrackTarget.ObjectKind.ACTIVITY);
    String productId = requiredName(object, "product_id");
    String currency = currency(object.get("currency"));
    BigDecimal price = price(object.get("price"));
    int quantity = quantity(object.get("quantity"));
    Instant time = time(object, now);
    Map<String, Object> properties = properties(object, limits.maxPurchasePropertiesBytes());
    ActivityRecord record =
        new ActivityRecord.Purchase(
            productId, currency, price, quantity, time, appId(object), properties);
    return new ProfileChange(
        target.lookup(),
        target.createIfMissing(),
        ActivityUpdates.purchase(productId, time, quantity, price),
        List.of(record),
        null);
  }

  private static String requiredName(ObjectNode object, String field) {
    JsonNode value = object.get(field);
    if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
      throw new RejectedObject("'" + field + "' is required");
    }
    if (JsonValues.length(value.textValue()) > JsonValues.MAX_STRING_LENGTH) {
      throw new RejectedObject("'" + field + "' must be at most 255 characters");
    }
    return value.textValue();
  }

  /** Braze records a time in the future as now. */
  private static Instant time(ObjectNode object, Instant now) {
    JsonNode value = object.get("time");
    if (value == null || value.isNull()) {
      throw new RejectedObject("'time' is required");
    }
    Instant time = value.isTextual() ? BrazeTimes.parseTime(value.textValue()).orElse(null) : null;
    if (time == null) {
      throw new RejectedObject("'time' must be a valid time");
    }
    return time.isAfter(now) ? now : time;
  }

  private static String appId(ObjectNode object) {
    JsonNode value = object.get("app_id");
    if (value == null || value.isNull()) {
      return null;
    }
    return JsonValues.boundedText("app_id", value);
  }

  private static String currency(JsonNode value) {
    String code =
        value != null && value.isTextual() ? value.textValue().toUpperCase(Locale.ROOT) : "";
    if (!CURRENCIES.contains(code)) {
      throw new RejectedObject("'currency' must be an ISO 4217 currency");
    }
    return code;
  }

  private static BigDecimal price(JsonNode value) {
    if (value == null || value.isNull()) {
      throw new RejectedObject("'price' is required");
    }
    if (!value.isNumber()) {
      throw new RejectedObject("'price' must be a number");
    }
    return value.decimalValue();
  }

  private static int quantity(JsonNode value) {
    if (value == null || value.isNull()) {
      return 1;
    }
    if (!value.isIntegralNumber()
        || !value.canConvertToInt()
        || value.intValue() < 1
        || value.intValue() > 100) {
      throw new RejectedObject("'quantity' is not valid");
    }
    return value.intValue();
  }

  private static Map<String, Object> properties(ObjectNode object, long maxNestedBytes) {
    JsonNode value = object.get("properties");
    if (value == null || value.isNull()) {
      return Map.of();
    }
    if (!value.isObject()) {
      throw new RejectedObject("'properties' must be an object");
    }
    Map<String, Object> properties = new LinkedHashMap<>();
    boolean nested = false;
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      checkPropertyName(entry.getKey());
      JsonNode property = entry.getValue();
      if (property.isTextual()
          && JsonValues.length(property.textValue()) > JsonValues.MAX_STRING_LENGTH) {
        throw new RejectedObject(
            "property '" + entry.getKey() + "' must be at most 255 characters");
      }
      nested |= property.isContainerNode();
      if (properties.size() < MAX_PROPERTIES) { // Braze keeps the first 256 properties
        properties.put(entry.getKey(), JsonValues.property(property));
      }
    }
    if (nested && Values.jsonSize(JsonValues.plain(value)) > maxNestedBytes) {
      throw new RejectedObject("'properties' must be at most " + maxNestedBytes / 1024 + " KB");
    }
    return properties;
  }

  private static void checkPropertyName(String name) {
    if (name.isEmpty()
        || name.startsWith("$")
        || RESERVED_PROPERTIES.contains(name)
        || JsonValues.length(name) > JsonValues.MAX_STRING_LENGTH) {
      throw new RejectedObject("property name '" + name + "' is not allowed");
    }
  }
}
