package dev.kiln.core.profile;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One occurrence kept as a raw row beside the profile, so segments can filter on time windows and
 * properties. Properties are JSON-shaped values, as profile attributes are.
 */
public sealed interface ActivityRecord {
  Instant time();

  record CustomEvent(String name, Instant time, String appId, Map<String, Object> properties)
      implements ActivityRecord {
    public CustomEvent {
      Objects.requireNonNull(name, "name == null");
      Objects.requireNonNull(time, "time == null");
      properties = frozenCopy(properties);
    }
  }

  record Purchase(
      String productId,
      String currency,
      BigDecimal price,
      int quantity,
      Instant time,
      String appId,
      Map<String, Object> properties)
      implements ActivityRecord {
    public Purchase {
      Objects.requireNonNull(productId, "productId == null");
      Objects.requireNonNull(currency, "currency == null");
      Objects.requireNonNull(price, "price == null");
      Objects.requireNonNull(time, "time == null");
      properties = frozenCopy(properties);
    }
  }

  /** Property values may be JSON null, which Map.copyOf refuses; order is kept for storage. */
  private static Map<String, Object> frozenCopy(Map<String, Object> properties) {
    return Collections.unmodifiableMap(new LinkedHashMap<>(properties));
  }
}
