package dev.kiln.segment;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;

/** A filter breaks a rule; the message names the path of the bad node and the rule. */
public final class FilterException extends KilnException {
  public FilterException(String path, String problem) {
    super(ErrorCode.INVALID_INPUT, path + ": " + problem);
  }
}
