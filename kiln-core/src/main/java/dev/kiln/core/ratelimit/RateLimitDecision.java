package dev.kiln.core.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one request against its bucket, with what Braze's {@code X-RateLimit-*} headers
 * report.
 *
 * @param allowed whether the request may go on; a refused one took nothing from the bucket
 * @param limit the requests the window allows
 * @param remaining the requests left in the current window after this one
 * @param resetsAt when the current window ends and the bucket is full again
 * @param retryAfter how long a refused caller should wait; zero when allowed
 */
public record RateLimitDecision(
    boolean allowed, long limit, long remaining, Instant resetsAt, Duration retryAfter) {}
