package dev.kiln.core.storage;

import dev.kiln.core.Component;
import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.auth.ApiKeyStore;
import dev.kiln.core.export.ExportJobStore;
import dev.kiln.core.ratelimit.RateLimiter;

/**
 * The storage SPI: one component per backend that hands out small role interfaces, the write path
 * apart from the read paths. Building a storage does no I/O; {@link #migrate()} and the roles do.
 * Later issues add roles as concrete methods so a backend written against an older SPI still
 * compiles and fails clearly where it lacks a role.
 */
public abstract class ProfileStorage implements Component {

  /**
   * Brings the schema to the version this build needs. Idempotent; safe with other nodes running.
   */
  public abstract void migrate();

  public abstract ApiKeyStore apiKeys();

  /** The write path: every call is durable when it returns. */
  public abstract ProfileWriter profileWriter();

  public abstract ProfileReader profileReader();

  /**
   * The request counters behind the API's rate limits. A backend shared by several nodes keeps them
   * in the shared store; a backend for one node may keep them in memory.
   */
  public RateLimiter rateLimiter() {
    throw new KilnException(
        ErrorCode.UNAVAILABLE, getClass().getSimpleName() + " keeps no rate limits");
  }

  /**
   * Aliases, identify, merge, delete and external_id renames. A backend without them fails clearly.
   */
  public UserDirectory userDirectory() {
    throw new KilnException(
        ErrorCode.UNAVAILABLE, getClass().getSimpleName() + " cannot manage users");
  }

  /** Segment export jobs. A backend without them fails clearly when an export is requested. */
  public ExportJobStore exportJobs() {
    throw new KilnException(
        ErrorCode.UNAVAILABLE, getClass().getSimpleName() + " cannot run segment exports");
  }
}
