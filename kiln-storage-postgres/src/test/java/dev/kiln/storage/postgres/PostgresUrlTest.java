package dev.kiln.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class PostgresUrlTest {

  @Test
  void jdbcUrlIsKeptAsItIs() {
    String jdbc =
        "jdbc:postgresql://db.internal:5432/kiln?user=kiln&password=secret&sslmode=require";

    PostgresUrl url = PostgresUrl.parse(jdbc);

    assertThat(url.jdbcUrl()).isEqualTo(jdbc);
    assertThat(url.properties()).isEmpty();
  }

  @Test
  void libpqUriBecomesAJdbcUrlWithUserAndDecodedPasswordAsProperties() {
    PostgresUrl url = PostgresUrl.parse("postgres://user:p%40ss+w@host:6543/kiln?sslmode=require");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host:6543/kiln?sslmode=require");
    assertThat(url.properties())
        .as("percent-decoded as libpq does: '+' stays '+'")
        .isEqualTo(Map.of("user", "user", "password", "p@ss+w"));
  }

  @Test
  void postgresqlSchemeWithoutUserOrPort() {
    PostgresUrl url = PostgresUrl.parse("postgresql://host/db");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://host/db");
    assertThat(url.properties()).isEmpty();
  }

  @Test
  void userWithoutPasswordAndNoPort() {
    PostgresUrl url = PostgresUrl.parse("postgres://kiln@db.example.com/kiln");

    assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com/kiln");
    assertThat(url.properties()).isEqualTo(Map.of("user", "kiln"));
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(
      strings = {
        "",
        "   ",
        "mysql://kiln:hunter2@host/kiln",
        "http://kiln:hunter2@host/kiln",
        "jdbc:mysql://host/kiln?password=hunter2",
        "postgres://kiln:hunter2@/kiln",
        "postgres://kiln:hunter2@host/ki ln",
        "kiln:hunter2@host/kiln"
      })
  void blankOrOtherUrlsAreRefusedWithoutEchoingThePassword(String given) {
    assertThatThrownBy(() -> PostgresUrl.parse(given))
        .isInstanceOf(KilnException.class)
        .satisfies(e -> assertThat(((KilnException) e).code()).isEqualTo(ErrorCode.INVALID_INPUT))
        .hasMessageContaining("KILN_POSTGRES_URL")
        .satisfies(e -> assertThat(e.getMessage()).as("the message").doesNotContain("hunter2"));
  }

  @Test
  void redactedHidesThePasswordOfAJdbcUrl() {
    PostgresUrl url =
        PostgresUrl.parse("jdbc:postgresql://host/kiln?user=kiln&password=s3cret&sslmode=require");

    assertThat(url.redacted())
        .isEqualTo("jdbc:postgresql://host/kiln?user=kiln&password=***&sslmode=require");
    assertThat(PostgresUrl.parse("jdbc:postgresql://host/kiln?PASSWORD=s3cret").redacted())
        .doesNotContain("s3cret");
    assertThat(PostgresUrl.parse("postgres://kiln:s3cret@host/kiln").redacted())
        .as("a libpq URI's password is a property, never in the URL")
        .isEqualTo("jdbc:postgresql://host/kiln");
  }
}
