package dev.kiln.server.cli;

import dev.kiln.core.ErrorCode;
import dev.kiln.core.KilnException;
import dev.kiln.core.auth.ApiKey;
import dev.kiln.core.auth.ApiKeySecrets;
import dev.kiln.core.auth.IpRange;
import dev.kiln.core.auth.Permission;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.server.KilnCommand;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
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
    subcommands = {KeysCommand.Create.class, KeysCommand.ListKeys.class, KeysCommand.Revoke.class})
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

  @Command(name = "create", description = "Create a key and print its secret (shown only this once) on stdout.")
  static final class Create implements Callable<Integer> {
    @ParentCommand KeysCommand keys;
    @Spec CommandSpec spec;

    @Option(names = "--name", required = true, description = "A name that is unique among active keys.")
    String name;

    @Option(names = "--permissions", required = true, split = ",",
        description = "Comma-separated Braze permission names, e.g. users.track,users.export.ids.")
    List<String> permissions;

    @Option(names = "--allowed-ips", split = ",",
        description = "Comma-separated IP addresses or CIDR ranges allowed to use the key (default: any).")
    List<String> allowedIps = List.of();

    @Override
    public Integer call() {
      if (name.isBlank() || name.contains(",")) {
        throw new KilnException(ErrorCode.INVALID_INPUT, "--name must be a non-empty name without commas");
      }
      Set<Permission> granted = permissions.stream().map(Permission::fromName).collect(Collectors.toSet());
      List<IpRange> ranges = allowedIps.stream().map(IpRange::parse).toList();
      String secret = ApiKeySecrets.generate();
      ApiKey key = ApiKey.create(name, granted, ranges, Instant.now().truncatedTo(ChronoUnit.MILLIS));
      keys.withStorage(storage -> {
        storage.apiKeys().create(key, ApiKeySecrets.hash(secret));
        return null;
      });
      PrintWriter err = spec.commandLine().getErr();
      err.printf("Created API key '%s' with permissions %s%s. Its secret follows; it is not shown again.%n",
          name, joinPermissions(key), ranges.isEmpty() ? "" : ", usable from " + ranges);
      err.flush();
      spec.commandLine().getOut().println(secret);
      spec.commandLine().getOut().flush();
      return 0;
    }
  }

  @Command(name = "list", description = "List keys: name, permissions, allowed IPs, creation time, status. Never secrets.")
  static final class ListKeys implements Callable<Integer> {
    @ParentCommand KeysCommand keys;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      List<ApiKey> all = keys.withStorage(storage -> storage.apiKeys().list());
      PrintWriter out = spec.commandLine().getOut();
      String format = "%-20s %-8s %-24s %-24s %s%n";
      out.printf(format, "NAME", "STATUS", "CREATED", "ALLOWED IPS", "PERMISSIONS");
      for (ApiKey key : all) {
        out.printf(format, key.name(), key.active() ? "active" : "revoked",
            DateTimeFormatter.ISO_INSTANT.format(key.createdAt()),
            key.allowedIps().isEmpty() ? "any" : key.allowedIps().stream().map(IpRange::toString).collect(Collectors.joining(",")),
            joinPermissions(key));
      }
      out.flush();
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke the active key with this name; it stops working at once.")
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

  private static String joinPermissions(ApiKey key) {
    return key.permissions().stream().map(Permission::permissionName).sorted().collect(Collectors.joining(","));
  }
}
