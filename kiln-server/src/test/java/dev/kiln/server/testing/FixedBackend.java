package dev.kiln.server.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * Marks an HTTP suite that chooses its store itself rather than through {@link RunningKiln}'s
 * {@value RunningKiln#STORAGE_PROPERTY}, so the build's second run of the HTTP suites, the one on
 * PostgreSQL, leaves it out: it would only repeat what the first run did. Every other suite runs on
 * both backends (kiln-server/pom.xml excludes this tag and nothing else), so a new suite gets
 * PostgreSQL without anyone listing it, and leaving a suite out takes this annotation and its
 * reason.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Tag(FixedBackend.TAG)
public @interface FixedBackend {
  /** The JUnit tag, as kiln-server/pom.xml's {@code excludedGroups} names it. */
  String TAG = "fixed-backend";

  /** Which store the suite uses and why it does not follow the build's choice. */
  String value();
}
