package dev.kiln.server.exports;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.export.CallbackDelivery;
import dev.kiln.export.callback.CallbackOutcome;
import dev.kiln.export.callback.CallbackSender;
import dev.kiln.export.callback.CallbackSettings;
import dev.kiln.export.callback.CallbackTargets;
import dev.kiln.export.callback.RefusedTarget;
import dev.kiln.server.http.ApiError;
import dev.kiln.server.http.Json;
import java.net.URI;
import java.util.Map;

/** Export callbacks under the operator's network policy ({@code KILN_CALLBACK_ALLOW_PRIVATE}). */
final class Callbacks implements CallbackDelivery, AutoCloseable {
  private final CallbackTargets targets;
  private final CallbackSender sender;

  Callbacks(boolean allowPrivate) {
    this.targets = new CallbackTargets(allowPrivate);
    this.sender = new CallbackSender(CallbackSettings.defaults(allowPrivate));
  }

  /**
   * Checks a request's {@code callback_endpoint} at once, so a refused target is a 400, not a
   * silent failure later.
   */
  URI checkWhenRequested(String callbackEndpoint) {
    try {
      URI target = CallbackTargets.parse(callbackEndpoint);
      targets.check(target);
      return target;
    } catch (KilnException e) {
      if (e.code() == ErrorCode.INVALID_INPUT) {
        throw ApiError.badRequest(e.getMessage());
      }
      throw e;
    } catch (RefusedTarget e) {
      throw ApiError.badRequest(e.getMessage());
    }
  }

  @Override
  public boolean deliver(URI target, Map<String, Object> body) throws InterruptedException {
    CallbackOutcome outcome = sender.send(target, json(body));
    if (outcome.result() == CallbackOutcome.Result.INTERRUPTED) {
      throw new InterruptedException("stopping while sending the callback to " + target.getHost());
    }
    return outcome.delivered();
  }

  @Override
  public void close() {
    sender.close();
  }

  private static String json(Map<String, Object> body) {
    try {
      return Json.MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("callback bodies are plain maps", e);
    }
  }
}
