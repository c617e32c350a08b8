package dev.kiln.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.ratelimit.RateLimitGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KilnConfigTest {
  /** For every setting: a value other than its default, the getter, and what the getter returns. */
  private static final String SIGNING_KEY = "a-signing-key-of-at-least-32-characters";

  private static final Map<Setting, Sample> SAMPLES = samples();

  @TempDir Path dir;

  @Test
  void everySettingHasASampleValue() {
    assertThat(SAMPLES.keySet()).containsExactlyInAnyOrder(Setting.values());
  }

  @Test
  void recordedDefaults() throws IOException {
    KilnConfig config = KilnConfig.load(envWithFile(""));

    assertThat(config.http().port()).isEqualTo(8080);
    assertThat(config.http().host()).isEqualTo("0.0.0.0");
    assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
    assertThat(config.storage().kind().configName()).isEqualTo("sqlite");
    assertThat(config.storage().postgresUrl()).isEmpty();
    assertThat(config.bootstrapApiKey()).isEmpty();
    assertThat(config.http().maxBodyBytes()).isEqualTo(4_194_304L);
    assertThat(config.http().maxArrivingBodyBytes()).isEqualTo(268_435_456L);
    assertThat(config.http().shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.segments().file()).isEmpty();
    assertThat(config.http().publicUrl(8080)).isEqualTo("http://localhost:8080");
    assertThat(config.rateLimits().enabled()).isTrue();
    assertThat(config.rateLimits().resetInSecondsRemaining()).isFalse();
    for (RateLimitGroup group : RateLimitGroup.values()) {
      assertThat(config.rateLimits().limits()).containsEntry(group, group.brazeDefault());
    }
  }

  @Test
  void samplesDifferFromTheDefaults() throws IOException {
    KilnConfig defaults = KilnConfig.load(envWithFile(""));

    for (Map.Entry<Setting, Sample> entry : SAMPLES.entrySet()) {
      assertThat(entry.getValue().getter().apply(defaults))
          .as("%s", entry.getKey())
          .isNotEqualTo(entry.getValue().expected());
    }
  }

  @Test
  void everyEnvironmentVariableSetsItsSetting() throws IOException {
    Map<String, String> env = envWithFile("");
    SAMPLES.forEach((setting, sample) -> env.put(setting.environmentVariable(), sample.value()));

    KilnConfig config = KilnConfig.load(env);

    assertEverySample(config);
  }

  @Test
  void everyConfigFileKeySetsItsSetting() throws IOException {
    StringBuilder file = new StringBuilder();
    SAMPLES.forEach(
        (setting, sample) ->
            file.append(setting.propertyName()).append('=').append(sample.value()).append('\n'));

    KilnConfig config = KilnConfig.load(envWithFile(file.toString()));

    assertEverySample(config);
  }

  @Test
  void environmentWinsOverTheConfigFile() throws IOException {
    Map<String, String> env = envWithFile("port=9090\nhost=127.0.0.1\n");
    env.put("KILN_PORT", "9191");

    KilnConfig config = KilnConfig.load(env);

    assertThat(config.http().port()).isEqualTo(9191);
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void valuesAreTrimmed() throws IOException {
    Map<String, String> env = envWithFile("host = 127.0.0.1  \n");
    env.put("KILN_PORT", " 9090 ");

    KilnConfig config = KilnConfig.load(env);

    assertThat(config.http().port()).isEqualTo(9090);
    assertThat(config.http().host()).isEqualTo("127.0.0.1");
  }

  @Test
  void publicUrlDefaultsToTheBoundPortOnLocalhost() throws IOException {
    KilnConfig config = KilnConfig.load(envWithFile(""));

    assertThat(config.http().publicUrl(43_210)).isEqualTo("http://localhost:43210");
  }

  @Test
  void emptyOptionalValuesCountAsUnset() throws IOException {
    Map<String, String> env =
        envWithFile("postgres_url=jdbc:postgresql://db/kiln\napi_key=from-file\n");
    env.put("KILN_POSTGRES_URL", "");
    env.put("KILN_API_KEY", "");
    env.put("KILN_PUBLIC_URL", "");

    KilnConfig config = KilnConfig.load(env);

    assertThat(config.storage().postgresUrl()).isEmpty();
    assertThat(config.bootstrapApiKey()).isEmpty();
    assertThat(config.http().publicUrl(8080)).isEqualTo("http://localhost:8080");
  }

  @ParameterizedTest
  @CsvSource({
    "KILN_PORT, abc",
    "KILN_PORT, 70000",
    "KILN_PORT, -1",
    "KILN_STORAGE, mysql",
    "KILN_POSTGRES_MAX_CONNECTIONS, 1",
    "KILN_MAX_BODY_BYTES, 1",
    "KILN_MAX_BODY_BYTES, 4294967296",
    "KILN_SHUTDOWN_TIMEOUT_SECONDS, 3601",
    "KILN_SHUTDOWN_TIMEOUT_SECONDS, 5s",
    "KILN_EXPORT_URL_HOURS, 0",
    "KILN_EXPORT_LEASE_SECONDS, 3601",
    "KILN_CALLBACK_ALLOW_PRIVATE, yes",
    "KILN_EXPORT_MAX_ATTEMPTS, 0",
    "KILN_EXPORT_RETRY_SECONDS, 0",
    "KILN_CALLBACK_THREADS, 0",
    "KILN_CALLBACK_THREADS, 65",
    "KILN_S3_PATH_STYLE, 1",
    "KILN_READ_TIMEOUT_SECONDS, 0",
    "KILN_MIN_REQUEST_BYTES_PER_SECOND, -1",
    "KILN_MAX_ARRIVING_BODY_BYTES, 1000",
    "KILN_MAX_ARRIVING_BODY_BYTES, 2097152",
    "KILN_RATE_LIMITS_ENABLED, on",
    "KILN_RATE_LIMITS, users.trak=5/1s",
    "KILN_RATE_LIMITS, users.track=lots",
    "KILN_RATE_LIMITS, users.track",
    "KILN_RATE_LIMIT_RESET, epoch",
    "KILN_SEGMENT_EVALUATIONS, 0",
    "KILN_SEGMENT_QUERY_TIMEOUT_SECONDS, 0",
    "KILN_EXPORT_QUERY_TIMEOUT_SECONDS, 0"
  })
  void invalidEnvironmentValueFailsNamingTheVariable(String variable, String value)
      throws IOException {
    Map<String, String> env = envWithFile("");
    env.put(variable, value);

    KilnException e = catchThrowableOfType(KilnException.class, () -> KilnConfig.load(env));

    assertThat(e).as("%s=%s", variable, value).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.getMessage()).contains(variable).contains("'" + value + "'");
  }

  @Test
  void postgresStorageNeedsItsUrl() throws IOException {
    Map<String, String> env = envWithFile("");
    env.put("KILN_STORAGE", "postgres");

    KilnException e = catchThrowableOfType(KilnException.class, () -> KilnConfig.load(env));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.getMessage())
        .contains("KILN_POSTGRES_URL")
        .contains("must be set when storage is postgres");
  }

  @Test
  void invalidConfigFileValueFailsNamingTheKey() throws IOException {
    KilnException e =
        catchThrowableOfType(KilnException.class, () -> KilnConfig.load(envWithFile("port=abc\n")));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.getMessage())
        .contains("KILN_PORT")
        .contains("port in the config file")
        .contains("'abc'");
  }

  @Test
  void unknownConfigFileKeyFailsNamingTheKey() throws IOException {
    KilnException e =
        catchThrowableOfType(
            KilnException.class, () -> KilnConfig.load(envWithFile("prot=9090\n")));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.getMessage()).contains("'prot'");
  }

  @Test
  void environmentVariableNameIsNotAConfigFileKey() throws IOException {
    KilnException e =
        catchThrowableOfType(
            KilnException.class, () -> KilnConfig.load(envWithFile("KILN_PORT=9090\n")));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.getMessage()).contains("'KILN_PORT'");
  }

  @Test
  void missingConfigFileFailsNamingThePath() {
    Path missing = dir.resolve("missing.properties");
    Map<String, String> env = Map.of("KILN_CONFIG", missing.toString());

    KilnException e = catchThrowableOfType(KilnException.class, () -> KilnConfig.load(env));

    assertThat(e).isNotNull();
    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_INPUT);
    assertThat(e.getMessage()).contains(missing.toAbsolutePath().toString());
  }

  @Test
  void keysPasswordsAndTheDatabaseUrlAreSecret() {
    assertThat(EnumSet.allOf(Setting.class).stream().filter(Setting::secret))
        .containsExactlyInAnyOrder(
            Setting.API_KEY,
            Setting.POSTGRES_URL,
            Setting.URL_SIGNING_KEY,
            Setting.S3_SECRET_ACCESS_KEY);
  }

  @Test
  void printedSettingsShowNoSecret() throws IOException {
    Map<String, String> env = envWithFile("");
    env.put("KILN_STORAGE", "postgres");
    env.put("KILN_POSTGRES_URL", "jdbc:postgresql://db/kiln?password=db-secret");
    env.put("KILN_URL_SIGNING_KEY", SIGNING_KEY);
    env.put("KILN_S3_SECRET_ACCESS_KEY", "s3-secret");

    KilnConfig config = KilnConfig.load(env);

    assertThat(config.storage() + " " + config.exports() + " " + config.s3())
        .doesNotContain("db-secret", SIGNING_KEY, "s3-secret");
  }

  @Test
  void aShortSigningKeyFailsWithoutEchoingIt() throws IOException {
    Map<String, String> env = envWithFile("");
    env.put("KILN_URL_SIGNING_KEY", "too-short-secret");

    KilnException e = catchThrowableOfType(KilnException.class, () -> KilnConfig.load(env));

    assertThat(e.getMessage())
        .contains("KILN_URL_SIGNING_KEY", "32")
        .doesNotContain("too-short-secret");
  }

  @Test
  void settingNamesFollowTheEnvironmentAndFileConventions() {
    assertThat(Setting.MAX_BODY_BYTES.environmentVariable()).isEqualTo("KILN_MAX_BODY_BYTES");
    assertThat(Setting.MAX_BODY_BYTES.propertyName()).isEqualTo("max_body_bytes");
  }

  /** kiln.example.properties is the operator's reference; it must document every setting. */
  @Test
  void exampleConfigFileDocumentsEverySetting() throws IOException {
    Path example = Path.of("..", "kiln.example.properties");
    assertThat(example).as("kiln.example.properties at the repository root").isRegularFile();
    String text = Files.readString(example, StandardCharsets.UTF_8);

    for (Setting setting : Setting.values()) {
      // The key as a (possibly commented-out) assignment, e.g. "port=8080" or "# port = 8080".
      Pattern key =
          Pattern.compile("(?m)^[#!\\s]*" + Pattern.quote(setting.propertyName()) + "\\s*[=:]");
      Pattern variable =
          Pattern.compile("\\b" + Pattern.quote(setting.environmentVariable()) + "\\b");
      assertThat(text).as("key %s", setting.propertyName()).containsPattern(key);
      assertThat(text).as("variable %s", setting.environmentVariable()).containsPattern(variable);
    }
  }

  @Test
  void exampleConfigFileIsAValidConfigFile() {
    Path example = Path.of("..", "kiln.example.properties").toAbsolutePath().normalize();
    assertThat(example).as("kiln.example.properties at the repository root").isRegularFile();

    KilnConfig config = KilnConfig.load(Map.of("KILN_CONFIG", example.toString()));

    assertThat(config).isNotNull();
  }

  private void assertEverySample(KilnConfig config) {
    for (Map.Entry<Setting, Sample> entry : SAMPLES.entrySet()) {
      assertThat(entry.getValue().getter().apply(config))
          .as("%s", entry.getKey())
          .isEqualTo(entry.getValue().expected());
    }
  }

  @Test
  void postgresConnectionsGiveSegmentEvaluationsTheirOwnAndRefuseTooFewForThem()
      throws IOException {
    Map<String, String> env = envWithFile("");
    env.put("KILN_STORAGE", "postgres");
    env.put("KILN_POSTGRES_URL", "jdbc:postgresql://db/kiln");

    KilnConfig defaults = KilnConfig.load(env);
    assertThat(defaults.storage().postgresWriteConnections()).isEqualTo(4);
    assertThat(defaults.storage().evaluationConnections())
        .as("2 sizes and the export worker")
        .isEqualTo(3);
    assertThat(defaults.storage().postgresReadConnections()).isEqualTo(5);

    env.put("KILN_POSTGRES_MAX_CONNECTIONS", "4");
    KilnException tooFew = catchThrowableOfType(KilnException.class, () -> KilnConfig.load(env));
    assertThat(tooFew).isNotNull();
    assertThat(tooFew.getMessage())
        .contains("KILN_POSTGRES_MAX_CONNECTIONS")
        .contains("at least 5");
  }

  @Test
  void theFewestPostgresConnectionsNamedAreEnoughAndOneLessIsNot() {
    Map<String, String> env = new HashMap<>();
    env.put("KILN_STORAGE", "postgres");
    env.put("KILN_POSTGRES_URL", "jdbc:postgresql://db/kiln");
    env.put("KILN_SEGMENT_EVALUATIONS", "9"); // 10 evaluating; of 16 connections 5 write, 1 reads

    env.put("KILN_POSTGRES_MAX_CONNECTIONS", "15");
    KilnException tooFew = catchThrowableOfType(KilnException.class, () -> KilnConfig.load(env));
    assertThat(tooFew).isNotNull();
    assertThat(tooFew.getMessage()).contains("at least 16 with KILN_SEGMENT_EVALUATIONS=9");

    env.put("KILN_POSTGRES_MAX_CONNECTIONS", "16");
    assertThat(KilnConfig.load(env).storage().postgresReadConnections()).isEqualTo(1);
  }

  /** An environment naming a fresh config file with the given content, so no stray file is read. */
  private Map<String, String> envWithFile(String content) throws IOException {
    Path file = Files.createTempFile(dir, "kiln", ".properties");
    Files.writeString(file, content, StandardCharsets.UTF_8);
    Map<String, String> env = new HashMap<>();
    env.put("KILN_CONFIG", file.toString());
    return env;
  }

  private static Map<Setting, Sample> samples() {
    Map<Setting, Sample> samples = new EnumMap<>(Setting.class);
    samples.put(Setting.PORT, new Sample("9090", config -> config.http().port(), 9090));
    samples.put(Setting.HOST, new Sample("127.0.0.1", config -> config.http().host(), "127.0.0.1"));
    samples.put(
        Setting.DATA_DIR,
        new Sample("/var/lib/kiln", KilnConfig::dataDir, Path.of("/var/lib/kiln")));
    samples.put(
        Setting.STORAGE,
        new Sample("postgres", config -> config.storage().kind().configName(), "postgres"));
    samples.put(
        Setting.POSTGRES_URL,
        new Sample(
            "jdbc:postgresql://db:5432/kiln",
            config -> config.storage().postgresUrl().map(Secret::value),
            Optional.of("jdbc:postgresql://db:5432/kiln")));
    samples.put(
        Setting.POSTGRES_MAX_CONNECTIONS,
        new Sample("30", config -> config.storage().postgresMaxConnections(), 30));
    samples.put(
        Setting.PUBLIC_URL,
        new Sample(
            "https://kiln.example.com",
            config -> config.http().publicUrl(8080),
            "https://kiln.example.com"));
    samples.put(
        Setting.API_KEY,
        new Sample(
            "operator-secret",
            config -> config.bootstrapApiKey().map(Secret::value),
            Optional.of("operator-secret")));
    samples.put(
        Setting.MAX_BODY_BYTES,
        new Sample("1048576", config -> config.http().maxBodyBytes(), 1_048_576L));
    samples.put(
        Setting.READ_TIMEOUT_SECONDS,
        new Sample("5", config -> config.http().readTimeout(), Duration.ofSeconds(5)));
    samples.put(
        Setting.MIN_REQUEST_BYTES_PER_SECOND,
        new Sample("0", config -> config.http().minRequestBytesPerSecond(), 0L));
    samples.put(
        Setting.MAX_ARRIVING_BODY_BYTES,
        new Sample("536870912", config -> config.http().maxArrivingBodyBytes(), 536_870_912L));
    samples.put(
        Setting.RATE_LIMITS_ENABLED,
        new Sample("false", config -> config.rateLimits().enabled(), false));
    samples.put(
        Setting.RATE_LIMITS,
        new Sample(
            "users.track=50000/1m,users.export.ids=unlimited",
            config ->
                config.rateLimits().limits().get(RateLimitGroup.USERS_TRACK)
                    + " "
                    + config.rateLimits().limits().get(RateLimitGroup.USERS_EXPORT_IDS),
            "50000/1m unlimited"));
    samples.put(
        Setting.RATE_LIMIT_RESET,
        new Sample(
            "seconds-remaining", config -> config.rateLimits().resetInSecondsRemaining(), true));
    samples.put(
        Setting.SEGMENTS_FILE,
        new Sample(
            "ci/segments.json",
            config -> config.segments().file(),
            Optional.of(Path.of("ci/segments.json"))));
    samples.put(
        Setting.SEGMENT_EVALUATIONS, new Sample("4", config -> config.segments().evaluations(), 4));
    samples.put(
        Setting.SEGMENT_QUERY_TIMEOUT_SECONDS,
        new Sample("10", config -> config.segments().queryTimeout(), Duration.ofSeconds(10)));
    samples.put(
        Setting.EXPORT_QUERY_TIMEOUT_SECONDS,
        new Sample("120", config -> config.exports().queryTimeout(), Duration.ofSeconds(120)));
    samples.put(
        Setting.SHUTDOWN_TIMEOUT_SECONDS,
        new Sample("5", config -> config.http().shutdownTimeout(), Duration.ofSeconds(5)));
    samples.put(
        Setting.EXPORT_URL_HOURS,
        new Sample("12", config -> config.exports().urlValidity(), Duration.ofHours(12)));
    samples.put(
        Setting.URL_SIGNING_KEY,
        new Sample(
            SIGNING_KEY,
            config -> config.exports().urlSigningKey().map(Secret::value),
            Optional.of(SIGNING_KEY)));
    samples.put(
        Setting.EXPORT_LEASE_SECONDS,
        new Sample("5", config -> config.exports().lease(), Duration.ofSeconds(5)));
    samples.put(
        Setting.CALLBACK_ALLOW_PRIVATE,
        new Sample("true", config -> config.callbacks().allowPrivate(), true));
    samples.put(
        Setting.EXPORT_MAX_ATTEMPTS, new Sample("3", config -> config.exports().maxAttempts(), 3));
    samples.put(
        Setting.EXPORT_RETRY_SECONDS,
        new Sample("2", config -> config.exports().retryDelay(), Duration.ofSeconds(2)));
    samples.put(
        Setting.CALLBACK_THREADS, new Sample("8", config -> config.callbacks().threads(), 8));
    samples.put(
        Setting.S3_BUCKET,
        new Sample("exports", config -> config.s3().bucket(), Optional.of("exports")));
    samples.put(
        Setting.S3_REGION, new Sample("eu-west-1", config -> config.s3().region(), "eu-west-1"));
    samples.put(
        Setting.S3_ENDPOINT,
        new Sample(
            "http://minio:9000",
            config -> config.s3().endpoint(),
            Optional.of("http://minio:9000")));
    samples.put(Setting.S3_PATH_STYLE, new Sample("true", config -> config.s3().pathStyle(), true));
    samples.put(
        Setting.S3_ACCESS_KEY_ID,
        new Sample("AKIAEXAMPLE", config -> config.s3().accessKeyId(), Optional.of("AKIAEXAMPLE")));
    samples.put(
        Setting.S3_SECRET_ACCESS_KEY,
        new Sample(
            "s3-secret",
            config -> config.s3().secretAccessKey().map(Secret::value),
            Optional.of("s3-secret")));
    return samples;
  }

  private record Sample(String value, Function<KilnConfig, Object> getter, Object expected) {}
}
