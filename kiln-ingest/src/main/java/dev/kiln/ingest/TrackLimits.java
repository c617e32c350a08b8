package dev.kiln.ingest;

/**
 * Size limits of /users/track that Braze's documents disagree on (docs/braze-reference.md section
 * 4): the nested properties of an event may total 100 KB or 50 KB depending on the page. Kiln
 * defaults to 100 KB for events and 50 KB for purchases.
 */
public record TrackLimits(long maxEventPropertiesBytes, long maxPurchasePropertiesBytes) {
  public static final TrackLimits DEFAULTS = new TrackLimits(100 * 1024, 50 * 1024);

  public TrackLimits {
    if (maxEventPropertiesBytes < 1 || maxPurchasePropertiesBytes < 1) {
      throw new IllegalArgumentException("limits must be positive");
    }
  }
}
