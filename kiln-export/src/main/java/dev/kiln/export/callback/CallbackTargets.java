package dev.kiln.export.callback;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which {@code callback_endpoint}s Kiln may POST to. Anyone with an export key chooses the target,
 * so without this policy a callback could reach the host's own services or its private network
 * (cloud metadata at 169.254.169.254, admin ports on loopback). The host is resolved and judged
 * before every attempt, not only when the export is requested, because what a name resolves to can
 * change.
 */
public final class CallbackTargets {
  /** Longest accepted {@code callback_endpoint}, in characters. */
  public static final int MAX_LENGTH = 2048;

  /** The operator setting that lets callbacks reach private addresses. */
  public static final String ALLOW_PRIVATE_SETTING = "KILN_CALLBACK_ALLOW_PRIVATE";

  private static final Set<String> SCHEMES = Set.of("http", "https");

  private final boolean allowPrivate;
  private final Resolver resolver;

  /**
   * @param allowPrivate whether targets on loopback and private networks are allowed
   */
  public CallbackTargets(boolean allowPrivate) {
    this(allowPrivate, InetAddress::getAllByName);
  }

  CallbackTargets(boolean allowPrivate, Resolver resolver) {
    this.allowPrivate = allowPrivate;
    this.resolver = resolver;
  }

  /**
   * Reads a {@code callback_endpoint} of a request: an absolute http or https URL with a host, no
   * user-info, at most {@value #MAX_LENGTH} characters.
   *
   * @throws KilnException {@link ErrorCode#INVALID_INPUT} saying what is wrong
   */
  public static URI parse(String raw) {
    if (raw.length() > MAX_LENGTH) {
      throw invalid("callback_endpoint is longer than " + MAX_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(raw);
    } catch (URISyntaxException e) {
      throw invalid(
          "callback_endpoint is not a valid URL: " + e.getReason() + " at index " + e.getIndex());
    }
    String scheme = uri.getScheme();
    if (scheme == null || !SCHEMES.contains(scheme.toLowerCase(Locale.ROOT))) {
      throw invalid("callback_endpoint must be an absolute http or https URL");
    }
    if (uri.getHost() == null) {
      throw invalid("callback_endpoint must name a host");
    }
    if (uri.getRawUserInfo() != null) {
      // Credentials in a URL end up in logs and job status; Kiln sends none.
      throw invalid("callback_endpoint must not contain user-info (user:password@)");
    }
    return uri;
  }

  /**
   * Resolves the target's host and refuses it when any of its addresses is not public, unless
   * private targets are allowed. Any address, not just the first: the HTTP client may connect to
   * another one of them.
   */
  public void check(URI target) throws RefusedTarget {
    String host = target.getHost();
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw new RefusedTarget("callback_endpoint host '" + host + "' could not be resolved", e);
    }
    if (allowPrivate) {
      return;
    }
    for (InetAddress address : addresses) {
      Optional<String> kind = NonPublicAddresses.kindOf(address);
      if (kind.isPresent()) {
        // The answer names no address: it would tell a key holder what internal names resolve to.
        String message = "callback_endpoint host '" + host + "' is not publicly reachable";
        throw new RefusedTarget(
            message,
            message
                + ": it resolves to "
                + address.getHostAddress()
                + ", "
                + kind.get()
                + " ("
                + ALLOW_PRIVATE_SETTING
                + "=true allows it)");
      }
    }
  }

  private static KilnException invalid(String message) {
    return new KilnException(ErrorCode.INVALID_INPUT, message);
  }

  /** Looks up a host's addresses; tests give names fixed answers without DNS. */
  @FunctionalInterface
  interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }
}
