package dev.kiln.export;

import java.net.URI;
import java.util.Map;

/** Sends the callback of a finished export. */
@FunctionalInterface
public interface CallbackDelivery {

  /**
   * Delivers {@code body} to {@code target}, retrying as its policy says.
   *
   * @return whether the endpoint accepted it
   * @throws InterruptedException when the node is stopping: the callback stays pending and is sent
   *     after the restart
   */
  boolean deliver(URI target, Map<String, Object> body) throws InterruptedException;
}
