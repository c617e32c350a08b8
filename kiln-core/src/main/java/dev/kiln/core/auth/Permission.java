package dev.kiln.core.auth;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * API key permissions, named exactly as Braze names them (README.md's endpoint table lists each
 * route's), plus Kiln's own segment management permissions in the same style.
 */
public enum Permission {
  USERS_TRACK("users.track"),
  USERS_TRACK_SYNC("users.track.sync"),
  USERS_DELETE("users.delete"),
  USERS_ALIAS_NEW("users.alias.new"),
  USERS_ALIAS_UPDATE("users.alias.update"),
  USERS_IDENTIFY("users.identify"),
  USERS_MERGE("users.merge"),
  USERS_EXPORT_IDS("users.export.ids"),
  USERS_EXPORT_SEGMENT("users.export.segment"),
  USERS_EXPORT_GLOBAL_CONTROL_GROUP("users.export.global_control_group"),
  USERS_EXTERNAL_IDS_RENAME("users.external_ids.rename"),
  USERS_EXTERNAL_IDS_REMOVE("users.external_ids.remove"),
  SEGMENTS_LIST("segments.list"),
  SEGMENTS_DETAILS("segments.details"),
  SEGMENTS_DATA_SERIES("segments.data_series"),
  SEGMENTS_CREATE("segments.create"),
  SEGMENTS_UPDATE("segments.update"),
  SEGMENTS_DELETE("segments.delete"),
  SEGMENTS_SIZE("segments.size"),
  SUBSCRIPTION_STATUS_SET("subscription.status.set"),
  SUBSCRIPTION_STATUS_GET("subscription.status.get"),
  SUBSCRIPTION_GROUPS_GET("subscription.groups.get");

  private static final Map<String, Permission> BY_NAME =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(p -> p.name, Function.identity()));

  private final String name;

  Permission(String name) {
    this.name = name;
  }

  /** The name used on the command line, in storage and in Braze's documentation. */
  public String permissionName() {
    return name;
  }

  public static Permission fromName(String name) {
    Permission permission = BY_NAME.get(name.trim());
    if (permission == null) {
      throw new KilnException(
          ErrorCode.INVALID_INPUT,
          "unknown permission '"
              + name
              + "'; known permissions: "
              + String.join(", ", BY_NAME.keySet().stream().sorted().toList()));
    }
    return permission;
  }

  @Override
  public String toString() {
    return name;
  }
}
