package dev.kiln.core.ratelimit;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.auth.Permission;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The endpoints that share one rate limit, with Braze's default for each (docs/braze-reference.md
 * section 1.5). A key's requests to any endpoint of a group count against that group's one bucket.
 */
public enum RateLimitGroup {
  /**
   * Braze: 3,000 requests per 3 seconds since 2024-10-28 (edge case 35 of docs/braze-reference.md);
   * 50,000/min before.
   */
  USERS_TRACK("users.track", "3000/3s"),
  USERS_TRACK_SYNC("users.track.sync", "500/1m"),
  /** Braze: 250/min for workspaces onboarded since 2024-08-22, as every Kiln workspace is. */
  USERS_EXPORT_IDS("users.export.ids", "250/1m"),
  USERS_MANAGEMENT("users.management", "20000/1m"),
  USERS_EXTERNAL_IDS("users.external_ids", "1000/1m"),
  /**
   * Braze's default shared pool: segment export, list and details; Kiln's segment endpoints join
   * it.
   */
  SEGMENTS_AND_EXPORTS("segments.and.exports", "250000/1h"),
  SUBSCRIPTION_STATUS_SET("subscription.status.set", "5000/1m");

  private final String groupName;

  @SuppressWarnings("ImmutableEnumChecker") // a record of a long and a Duration: immutable
  private final RateLimit brazeDefault;

  RateLimitGroup(String groupName, String brazeDefault) {
    this.groupName = groupName;
    this.brazeDefault = RateLimit.parse(brazeDefault);
  }

  /** The group an endpoint belongs to, known by the permission it requires (one per endpoint). */
  public static RateLimitGroup of(Permission permission) {
    return switch (permission) {
      case USERS_TRACK -> USERS_TRACK;
      case USERS_TRACK_SYNC -> USERS_TRACK_SYNC;
      case USERS_EXPORT_IDS -> USERS_EXPORT_IDS;
      case USERS_DELETE, USERS_ALIAS_NEW, USERS_ALIAS_UPDATE, USERS_IDENTIFY, USERS_MERGE ->
          USERS_MANAGEMENT;
      case USERS_EXTERNAL_IDS_RENAME, USERS_EXTERNAL_IDS_REMOVE -> USERS_EXTERNAL_IDS;
      case SUBSCRIPTION_STATUS_SET -> SUBSCRIPTION_STATUS_SET;
      case USERS_EXPORT_SEGMENT,
          USERS_EXPORT_GLOBAL_CONTROL_GROUP,
          SEGMENTS_LIST,
          SEGMENTS_DETAILS,
          SEGMENTS_DATA_SERIES,
          SEGMENTS_CREATE,
          SEGMENTS_UPDATE,
          SEGMENTS_DELETE,
          SEGMENTS_SIZE,
          SUBSCRIPTION_STATUS_GET,
          SUBSCRIPTION_GROUPS_GET ->
          SEGMENTS_AND_EXPORTS;
    };
  }

  /** The name used in settings, on the command line and in storage. */
  public String groupName() {
    return groupName;
  }

  public RateLimit brazeDefault() {
    return brazeDefault;
  }

  public static RateLimitGroup fromName(String name) {
    return Arrays.stream(values())
        .filter(group -> group.groupName.equals(name.trim()))
        .findFirst()
        .orElseThrow(
            () ->
                new KilnException(
                    ErrorCode.INVALID_INPUT,
                    "unknown rate-limit group '"
                        + name
                        + "'; known groups: "
                        + Arrays.stream(values())
                            .map(RateLimitGroup::groupName)
                            .collect(Collectors.joining(", "))));
  }

  /**
   * Reads {@code group=limit} pairs separated by commas, such as {@code
   * users.track=unlimited,users.export.ids=40/1s}.
   */
  public static Map<RateLimitGroup, RateLimit> parseLimits(String pairs) {
    Map<RateLimitGroup, RateLimit> limits = new EnumMap<>(RateLimitGroup.class);
    for (String pair : pairs.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals < 0) {
        throw new KilnException(
            ErrorCode.INVALID_INPUT,
            "'" + pair.trim() + "' is not group=limit, such as users.track=3000/3s");
      }
      limits.put(fromName(pair.substring(0, equals)), RateLimit.parse(pair.substring(equals + 1)));
    }
    return limits;
  }

  /** The form {@link #parseLimits} reads, in group order. */
  public static String formatLimits(Map<RateLimitGroup, RateLimit> limits) {
    Map<RateLimitGroup, RateLimit> inGroupOrder = new EnumMap<>(RateLimitGroup.class);
    inGroupOrder.putAll(limits);
    return inGroupOrder.entrySet().stream()
        .map(limit -> limit.getKey().groupName + "=" + limit.getValue())
        .collect(Collectors.joining(","));
  }

  @Override
  public String toString() {
    return groupName;
  }
}
