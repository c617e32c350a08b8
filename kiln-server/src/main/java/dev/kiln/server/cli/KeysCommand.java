package dev.kiln.server.cli;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.IpRange;
import dev.kiln.core.auth.Permission;
import dev.kiln.core.ratelimit.RateLimit;
import dev.kiln.core.ratelimit.RateLimitGroup;
import dev.kiln.core.storage.ProfileStorage;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "keys",
    description = "Manage REST API keys.",
    subcommands = {
      KeysCommand.Create.class,
      KeysCommand.ListKeys.class,
      KeysCommand.Revoke.class,
      KeysCommand.RateLimits.class
    })
public final class KeysCommand implements Runnable {
  @ParentCommand KilnCommand kiln;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  <T> T withStorage(Function<ProfileStorage, T> work) {
    try (ProfileStorage storage = kiln.openMigratedStorage(kiln.config())) {
      return work.apply(storage);
    }
  }

  @Command(
      name = "create",
      description = "Create a key and print its secret (shown only this once) on stdout.")
  static final class Create implements Callable<Integer> {
    @ParentCommand KeysCommand keys;
    @Spec CommandSpec spec;

    @Option(
        names = "--name",
        required = true,
        description = "A name that is unique among active keys.")
    String name;

    @Option(
        names = "--permissions",
        required = true,
        split = ",",
        description = "Comma-separated Braze permission names, e.g. users.track,users.export.ids.")
    List<String> permissions;

    @Option(
        names = "--allowed-ips",
        split = ",",
        description =
            "Comma-separated IP addresses or CIDR ranges allowed to use the key (default: any).")
    List<String> allowedIps = List.of();

    @Option(
        names = "--rate-limits",
        description =
            "The key's own limits where they differ from the server's: group=limit pairs, e.g. "
                + "users.track=unlimited,users.export.ids=40/1s (default: the server's limits).")
    String rateLimits = "";

    @Override
    public Integer call() {
      if (name.isBlank() || name.contains(",")) {
        throw new KilnException(
            ErrorCode.INVALID_INPUT, "--name must be a non-empty name without commas");
      }
      Set<Permission> granted =
          permissions.stream().map(Permission::fromName).collect(Collectors.toSet());
      List<IpRange> ranges = allowedIps.stream().map(IpRange::parse).toList();
      String secret = ApiKeySecrets.generate();
      ApiKey key =
          ApiKey.create(name, granted, ranges, Instant.now().truncatedTo(ChronoUnit.MILLIS))
              .withRateLimits(RateLimitGroup.parseLimits(rateLimits));
      keys.withStorage(
          storage -> {
            storage.apiKeys().create(key, ApiKeySecrets.hash(secret));
            return null;
          });
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "Created API key '%s' with permissions %s%s%s. Its secret follows; it is not shown again.%n",
          name,
          joinPermissions(key),
          ranges.isEmpty() ? "" : ", usable from " + ranges,
          key.rateLimits().isEmpty()
              ? ""
              : ", rate limits " + RateLimitGroup.formatLimits(key.rateLimits()));
      err.flush();
      spec.commandLine().getOut().println(secret);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "list",
      description =
          "List keys: name, permissions, allowed IPs, creation time, status. Never secrets.")
  static final class ListKeys implements Callable<Integer> {
    @ParentCommand KeysCommand keys;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<ApiKey> all = keys.withStorage(storage -> storage.apiKeys().list());
      PrintWriter out = spec.commandLine().getOut();
      String format = "%-20s %-8s %-24s %-24s %-32s %s%n";
      out.printf(format, "NAME", "STATUS", "CREATED", "ALLOWED IPS", "RATE LIMITS", "PERMISSIONS");
      for (ApiKey key : all) {
        out.printf(
            format,
            key.name(),
            key.active() ? "active" : "revoked",
            DateTimeFormatter.ISO_INSTANT.format(key.createdAt()),
            key.allowedIps().isEmpty()
                ? "any"
                : key.allowedIps().stream().map(IpRange::toString).collect(Collectors.joining(",")),
            key.rateLimits().isEmpty() ? "server's" : RateLimitGroup.formatLimits(key.rateLimits()),
            joinPermissions(key));
      }
      out.flush();
      return 0;
    }
  }

  @Command(
      name = "revoke",
      description = "Revoke the active key with this name; it stops working at once.")
  static final class Revoke implements Callable<Integer> {
    @ParentCommand KeysCommand keys;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "The key's name.")
    String name;

    @Override
    public Integer call() {
      boolean revoked = keys.withStorage(storage -> storage.apiKeys().revoke(name));
      if (!revoked) {
        throw new KilnException(ErrorCode.NOT_FOUND, "no active API key is named '" + name + "'");
      }
      spec.commandLine().getOut().println("Revoked API key '" + name + "'");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(
      name = "rate-limits",
      description =
          "Give the active key with this name its own rate limits (replacing any it had), "
              + "e.g. for a bulk backfill; with no limits, put it back on the server's. Takes effect at once, on every node.")
  static final class RateLimits implements Callable<Integer> {
    @ParentCommand KeysCommand keys;
    @Spec CommandSpec spec;

    @Parameters(index = "0", description = "The key's name.")
    String name;

    @Parameters(
        index = "1..*",
        arity = "0..*",
        description = "group=limit pairs, e.g. users.track=100000/1m users.export.ids=unlimited.")
    List<String> pairs = List.of();

    @Override
    public Integer call() {
      Map<RateLimitGroup, RateLimit> limits = RateLimitGroup.parseLimits(String.join(",", pairs));
      boolean changed = keys.withStorage(storage -> storage.apiKeys().setRateLimits(name, limits));
      if (!changed) {
        throw new KilnException(ErrorCode.NOT_FOUND, "no active API key is named '" + name + "'");
      }
      spec.commandLine()
          .getOut()
          .println(
              limits.isEmpty()
                  ? "API key '" + name + "' now has the server's rate limits"
                  : "API key '"
                      + name
                      + "' now has rate limits "
                      + RateLimitGroup.formatLimits(limits)
                      + ", the server's for other groups");
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  private static String joinPermissions(ApiKey key) {
    return key.permissions().stream()
        .map(Permission::permissionName)
        .sorted()
        .collect(Collectors.joining(","));
  }
}
