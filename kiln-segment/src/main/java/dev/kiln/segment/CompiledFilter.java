package dev.kiln.segment;

import java.util.List;

/** A filter as an SQL condition over {@code users u}, with its parameters in order. */
public record CompiledFilter(String sql, List<Object> parameters) {
  public CompiledFilter {
    parameters = List.copyOf(parameters);
  }
}
