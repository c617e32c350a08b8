package dev.kiln.segment;

import java.util.List;
import java.util.Objects;

/** A parsed, validated segment filter (docs/segments.md). */
public sealed interface Filter {

  /** Every filter matches; no filters match every user. */
  record And(List<Filter> filters) implements Filter {
    public And {
      filters = List.copyOf(filters);
    }
  }

  /** At least one filter matches; no filters match nobody. */
  record Or(List<Filter> filters) implements Filter {
    public Or {
      filters = List.copyOf(filters);
    }
  }

  record Not(Filter filter) implements Filter {
    public Not {
      Objects.requireNonNull(filter, "filter == null");
    }
  }

  /** A standard attribute, or {@code alias_label} for the labels of the user's aliases. */
  record Attribute(String field, Condition condition) implements Filter {}

  /** A custom attribute, or a value inside a nested one when {@code path} is not empty. */
  record CustomAttribute(String name, List<String> path, Condition condition) implements Filter {
    public CustomAttribute {
      path = List.copyOf(path);
    }
  }

  /**
   * A custom event ({@code purchase == false}) or a purchase of a product ({@code subject} null for
   * any product).
   *
   * @param inLastDays the window in days, or null for all time
   * @param property a condition on one event property, or null
   */
  record Activity(
      boolean purchase,
      String subject,
      ActivityOperator op,
      Object value,
      Integer inLastDays,
      PropertyCondition property)
      implements Filter {}

  /** A condition on one property of the events counted. */
  record PropertyCondition(String name, Condition condition) {}

  record SubscriptionGroup(String groupId, boolean subscribed) implements Filter {}

  /** Membership of another segment. */
  record Segment(String segmentId, boolean in) implements Filter {}
}
