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
      ApiKey key = authenticate(ctx);
      if (!key.admits(clientAddress(ctx))) {
        throw ApiError
            .accessDenied(); // before counting: a stolen key used elsewhere cannot drain the
        // owner's limit
      }
      rateLimiting.admit(ctx::header, key, route.rateLimitGroup());
      if (!key.grants(route.permission())) {
        throw ApiError.accessDenied();
      }
      ctx.attribute(KEY_ATTRIBUTE, key);
      route.handler().handle(ctx);
    };
  }

  /** The key a guarded route's request was let in with. */
  public static ApiKey keyOf(Context ctx) {
    return ctx.attribute(KEY_ATTRIBUTE);
  }

  private ApiKey authenticate(Context ctx) {
    String secret = presentedSecret(ctx).orElseThrow(ApiError::invalidApiKey);
    return keys.findActive(ApiKeySecrets.hash(secret)).orElseThrow(ApiError::invalidApiKey);
  }

  private static Optional<String> presentedSecret(Context ctx) {
    String authorization = ctx.header("Authorization");
    if (authorization != null) {
      // A header that is not a bearer token is a wrong key, even if a legacy one is also present.
      return authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)
          ? Optional.of(authorization.substring(BEARER.length()).trim())
          : Optional.empty();
    }
    String fromQuery = ctx.queryParam("api_key");
    if (fromQuery != null) {
      return Optional.of(fromQuery);
    }
    return legacyBodyKey(ctx);
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

  private static InetAddress clientAddress(Context ctx) {
    try {
      return InetAddress.getByName(ctx.req().getRemoteAddr()); // an IP literal: no DNS lookup
    } catch (UnknownHostException e) {
      throw ApiError.accessDenied();
    }
  }
}
