package dev.kiln.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.ApiKeyStore;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * Braze's API-key check (docs/braze-reference.md sections 1.1-1.4), in front of every API route.
 * The key comes from {@code Authorization: Bearer KEY}, or, for integrations older than Braze's
 * 2020 change, from an {@code api_key} query parameter or body field. A missing, unknown or revoked
 * key is 401; a key used from outside its IP allowlist is 403. A key's request then counts against
 * its rate limit (429 when over), before the permission check, so a 403 for a missing permission
 * carries the rate-limit headers like every other answer to a known key.
 */
public final class ApiKeyAuthenticator {
  private static final String BEARER = "bearer ";
  private static final String KEY_ATTRIBUTE = "kiln.apiKey";

  private final ApiKeyStore keys;
  private final RateLimiting rateLimiting;

  public ApiKeyAuthenticator(ApiKeyStore keys, RateLimiting rateLimiting) {
    this.keys = keys;
    this.rateLimiting = rateLimiting;
  }

  /** Wraps a route's handler so it only runs for a key that may call it. */
  public Handler guard(ApiRoute route) {
    return ctx -> {
      Optional<String> secret =
          presentedSecret(
              ctx.header("Authorization"), ctx.queryParam("api_key"), () -> legacyBodyKey(ctx));
      ApiKey key = admit(secret, ctx.req().getRemoteAddr(), route, ctx::header);
      ctx.attribute(KEY_ATTRIBUTE, key);
      route.handler().handle(ctx);
    };
  }

  /** The key a guarded route's request was let in with. */
  public static ApiKey keyOf(Context ctx) {
    return ctx.attribute(KEY_ATTRIBUTE);
  }

  /**
   * The key presenting {@code secret} from {@code remoteAddress}, if it may call {@code route}:
   * counted against its rate limit, with the headers written to {@code header}.
   *
   * @throws ApiError 401, 403 or 429
   */
  ApiKey admit(
      Optional<String> secret,
      String remoteAddress,
      ApiRoute route,
      BiConsumer<String, String> header) {
    ApiKey key =
        secret
            .flatMap(presented -> keys.findActive(ApiKeySecrets.hash(presented)))
            .orElseThrow(ApiError::invalidApiKey);
    if (!key.admits(clientAddress(remoteAddress))) {
      // before counting: a stolen key used elsewhere cannot drain the owner's limit
      throw ApiError.accessDenied();
    }
    rateLimiting.admit(header, key, route.rateLimitGroup());
    if (!key.grants(route.permission())) {
      throw ApiError.accessDenied();
    }
    return key;
  }

  /**
   * The secret from the {@code Authorization} header, else the legacy {@code api_key} query
   * parameter, else the legacy body field.
   */
  static Optional<String> presentedSecret(
      String authorization, String queryKey, Supplier<Optional<String>> bodyKey) {
    if (authorization != null) {
      // A header that is not a bearer token is a wrong key, even if a legacy one is also present.
      return authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)
          ? Optional.of(authorization.substring(BEARER.length()).trim())
          : Optional.empty();
    }
    if (queryKey != null) {
      return Optional.of(queryKey);
    }
    return bodyKey.get();
  }

  private static Optional<String> legacyBodyKey(Context ctx) {
    if (ctx.contentLength() == 0 || !"POST".equals(ctx.method().name())) {
      return Optional.empty();
    }
    try {
      JsonNode key = JsonBodies.object(ctx).get("api_key");
      return key != null && key.isTextual() ? Optional.of(key.asText()) : Optional.empty();
    } catch (ApiError unreadableBody) {
      return Optional.empty(); // no readable key: the caller learns 401, the body error comes after
    }
  }

  private static InetAddress clientAddress(String remoteAddress) {
    try {
      return InetAddress.getByName(remoteAddress); // an IP literal: no DNS lookup
    } catch (UnknownHostException e) {
      throw ApiError.accessDenied();
    }
  }
}
