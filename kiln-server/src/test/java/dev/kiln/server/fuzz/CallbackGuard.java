package dev.kiln.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.KilnException;
import dev.kiln.export.callback.CallbackTargets;
import dev.kiln.server.http.Json;
import java.io.IOException;
import java.net.URI;
import java.util.regex.Pattern;

/**
 * Keeps the export fuzzing on loopback. A mutated {@code callback_endpoint} could name a public
 * host; the server would look its name up and, were the export accepted, post to it. A body is sent
 * only when the server would refuse its callback before any lookup, or when the callback names a
 * loopback address literally (which the default policy refuses without a lookup too).
 */
final class CallbackGuard {
  private static final Pattern LOOPBACK_V4 =
      Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");

  private CallbackGuard() {}

  static boolean staysOnLoopback(byte[] body) {
    JsonNode callback;
    try {
      callback = Json.MAPPER.readTree(body).path("callback_endpoint");
    } catch (IOException | RuntimeException e) {
      return true; // not JSON: refused before anything is looked at
    }
    if (!callback.isTextual()) {
      return true;
    }
    URI target;
    try {
      target = CallbackTargets.parse(callback.textValue());
    } catch (KilnException refusedBeforeLookup) {
      return true;
    }
    String host = target.getHost();
    return LOOPBACK_V4.matcher(host).matches() || host.equals("[::1]");
  }
}
