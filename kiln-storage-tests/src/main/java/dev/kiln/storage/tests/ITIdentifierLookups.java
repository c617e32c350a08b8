package dev.kiln.storage.tests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.identity.AddAlias;
import dev.kiln.core.identity.DeleteUser;
import dev.kiln.core.identity.IdentifyUser;
import dev.kiln.core.identity.MergeUsers;
import dev.kiln.core.identity.RemoveExternalId;
import dev.kiln.core.identity.RenameAlias;
import dev.kiln.core.identity.RenameExternalId;
import dev.kiln.core.identity.UserOperation;
import dev.kiln.core.identity.UserSelector;
import dev.kiln.core.profile.ChangeResult;
import dev.kiln.core.profile.ExternalId;
import dev.kiln.core.profile.ProfileChange;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import dev.kiln.core.profile.UserProfile;
import dev.kiln.core.storage.ProfileStorage;
import dev.kiln.core.track.AttributesUpdate;
import dev.kiln.core.track.CustomAttributeOp;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Contract: identifiers live in lookup tables beside users, and every write keeps them exact; a
 * write that resolved an identifier which a concurrent merge or rename then moved acts on the user
 * the identifier names once it holds the lock.
 */
public abstract class ITIdentifierLookups<T extends ProfileStorage, H extends StorageHarness<T>>
    extends ITStorage<T> {
  private final H harness;

  protected ITIdentifierLookups(H harness) {
    super(harness);
    this.harness = harness;
  }

  /** A connection of the test's own to the database of the harness's store. */
  protected abstract Connection connect(H harness) throws SQLException;

  private Connection connect() throws SQLException {
    return connect(harness);
  }

  /**
   * A query counting lock requests that wait, where writers lock rows; empty where one writer runs
   * at a time, and a write cannot come between another's lookup and lock.
   */
  protected abstract Optional<String> waitingLocksQuery();

  private static ProfileChange mark(UserLookup lookup, String name) {
    return new ProfileChange(
        lookup,
        true,
        new AttributesUpdate(
            Map.of(), Map.of(), Map.of(name, new CustomAttributeOp.Set(true)), false));
  }

  private static ProfileChange standard(UserLookup lookup, String field, Object value) {
    Map<String, Object> fields = new HashMap<>();
    fields.put(field, value);
    return new ProfileChange(lookup, true, new AttributesUpdate(fields, Map.of(), Map.of(), false));
  }

  private Optional<UserProfile> find(UserLookup lookup) {
    return storage.profileReader().find(lookup);
  }

  private void manage(UserOperation... operations) {
    storage.userDirectory().apply(List.of(operations));
  }

  @Test
  void aWriteToAnAliasAMergeMovedWhileItWaitedForTheLockLandsOnTheKeptUser() throws Exception {
    UserAlias alias = new UserAlias("visitor", "web");
    storage.profileWriter().apply(List.of(mark(new UserLookup.Alias(alias), "seen")));
    storage.profileWriter().apply(List.of(mark(new UserLookup.ExternalId("kept"), "seen")));
    long merged = userId("SELECT user_id FROM user_alias_ids WHERE alias_name = 'visitor'");

    race(
        merged,
        () ->
            manage(
                new MergeUsers(
                    UserSelector.of(new UserLookup.Alias(alias)),
                    UserSelector.of(new UserLookup.ExternalId("kept")))),
        node ->
            assertThat(
                    node.profileWriter()
                        .apply(List.of(mark(new UserLookup.Alias(alias), "afterMerge"))))
                .containsExactly(ChangeResult.UPDATED));

    UserProfile kept = find(new UserLookup.ExternalId("kept")).orElseThrow();
    assertThat(kept.aliases()).containsExactly(alias);
    assertThat(kept.customAttributes()).containsKey("afterMerge");
    assertThat(count("SELECT COUNT(*) FROM users")).isEqualTo(1);
    assertLookupRowsExact();
  }

  @Test
  void aWriteToAnExternalIdARenameLetGoWhileItWaitedForTheLockCreatesItsOwnUser() throws Exception {
    storage.profileWriter().apply(List.of(mark(new UserLookup.ExternalId("x"), "seen")));
    long renamed = userId("SELECT user_id FROM user_external_ids WHERE external_id = 'x'");

    race(
        renamed,
        () -> manage(new RenameExternalId("x", new ExternalId("y")), new RemoveExternalId("x")),
        node ->
            assertThat(
                    node.profileWriter()
                        .apply(List.of(mark(new UserLookup.ExternalId("x"), "afterRename"))))
                .containsExactly(ChangeResult.CREATED));

    assertThat(find(new UserLookup.ExternalId("y")).orElseThrow().customAttributes())
        .doesNotContainKey("afterRename");
    assertThat(find(new UserLookup.ExternalId("x")).orElseThrow().customAttributes())
        .containsOnlyKeys("afterRename");
    assertLookupRowsExact();
  }

  /**
   * Runs {@code move} (a user management transaction moving an identifier of {@code userId}) and
   * then {@code write}, which resolves that identifier on a second node. Where rows are locked,
   * both start while the test holds the user's row lock and wait for it, {@code move} first: {@code
   * write} has resolved the identifier to the user before {@code move} commits. Else they run one
   * after the other.
   */
  private void race(long userId, Runnable move, Consumer<T> write) throws Exception {
    T node = reopen();
    try {
      race(userId, move, () -> write.accept(node));
    } finally {
      node.close();
    }
  }

  private void race(long userId, Runnable move, Runnable write) throws Exception {
    Optional<String> waiting = waitingLocksQuery();
    if (waiting.isEmpty()) {
      move.run();
      write.run();
      return;
    }
    // Threads of their own: the common pool may have a single thread on a small machine.
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try (Connection holder = connect()) {
      holder.setAutoCommit(false);
      try (PreparedStatement lock =
          holder.prepareStatement("SELECT user_id FROM users WHERE user_id = ? FOR UPDATE")) {
        lock.setLong(1, userId);
        lock.executeQuery().close();
      }
      CompletableFuture<Void> moved = CompletableFuture.runAsync(move, threads);
      awaitWaiting(waiting.get(), 1, moved);
      CompletableFuture<Void> written = CompletableFuture.runAsync(write, threads);
      awaitWaiting(waiting.get(), 2, written);
      holder.commit();
      moved.get(1, TimeUnit.MINUTES);
      written.get(1, TimeUnit.MINUTES);
    } finally {
      threads.shutdownNow();
    }
  }

  /** Waits until {@code waiters} sessions wait for a lock; {@code started} must be one of them. */
  private void awaitWaiting(String query, long waiters, CompletableFuture<Void> started)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (count(query) < waiters) {
      if (started.isDone()) {
        started.get(); // its failure, if it failed
        throw new AssertionError("it ended without waiting for the lock");
      }
      assertThat(System.nanoTime()).as("lock waiters").isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  @Test
  void theLookupRowsStayExactThroughAGeneratedMixOfWrites() throws Exception {
    Random random = new Random(19);
    long deprecatedSeen = 0;
    long aliasesSeen = 0;
    for (int step = 0; step < 400; step++) {
      String a = "u" + random.nextInt(12);
      String b = "u" + random.nextInt(12);
      UserAlias alias = new UserAlias("a" + random.nextInt(8), "web");
      UserLookup byId = new UserLookup.ExternalId(a);
      switch (random.nextInt(11)) {
        case 0, 1 -> storage.profileWriter().apply(List.of(mark(byId, "n" + step)));
        case 2 -> storage.profileWriter().apply(List.of(mark(new UserLookup.Alias(alias), "n")));
        case 3 ->
            storage
                .profileWriter()
                .apply(List.of(standard(byId, "email", "e" + random.nextInt(4) + "@example.com")));
        case 4 ->
            storage
                .profileWriter()
                .apply(
                    List.of(
                        standard(
                            byId,
                            "phone",
                            random.nextBoolean() ? null : "+1555" + random.nextInt(4))));
        case 5 -> manage(new AddAlias(alias, random.nextBoolean() ? a : null));
        case 6 -> manage(new RenameExternalId(a, new ExternalId(b)), new RemoveExternalId(a));
        case 7 -> manage(new RenameExternalId(a, new ExternalId(b)));
        case 8 ->
            manage(
                new MergeUsers(
                    UserSelector.of(new UserLookup.Alias(alias)), UserSelector.of(byId)));
        case 9 ->
            manage(
                new IdentifyUser(UserSelector.of(new UserLookup.Alias(alias)), new ExternalId(a)));
        default ->
            manage(
                random.nextBoolean()
                    ? new DeleteUser(UserSelector.of(byId))
                    : new RenameAlias("web", alias.aliasName(), "a" + random.nextInt(8)));
      }
      if (step % 25 == 24) {
        assertLookupRowsExact();
        deprecatedSeen += count("SELECT COUNT(*) FROM user_external_ids WHERE deprecated");
        aliasesSeen += count("SELECT COUNT(*) FROM user_alias_ids");
      }
    }
    // The mix reached the cases that matter: renamed users' old ids and aliases were kept.
    assertThat(deprecatedSeen).isPositive();
    assertThat(aliasesSeen).isPositive();
  }

  /**
   * Every identifier of users has exactly its lookup row, and every lookup row names a user that
   * holds it (a deprecated external_id, a user that exists and holds another primary one).
   */
  private void assertLookupRowsExact() throws SQLException {
    assertSame(
        "SELECT external_id, user_id FROM users WHERE external_id IS NOT NULL",
        "SELECT external_id, user_id FROM user_external_ids WHERE NOT deprecated");
    assertSame(
        "SELECT braze_id, user_id FROM users", "SELECT braze_id, user_id FROM user_braze_ids");
    assertSame(
        "SELECT alias_name || '/' || alias_label, user_id FROM user_aliases",
        "SELECT alias_name || '/' || alias_label, user_id FROM user_alias_ids");
    assertSame(
        "SELECT email, user_id FROM users WHERE email IS NOT NULL",
        "SELECT email, user_id FROM user_emails");
    assertSame(
        "SELECT phone, user_id FROM users WHERE phone IS NOT NULL",
        "SELECT phone, user_id FROM user_phones");
    assertThat(
            rows(
                // NOT IN, not a correlated NOT EXISTS: Citus joins tables of two colocation groups
                // only this way.
                "SELECT external_id, user_id FROM user_external_ids WHERE deprecated"
                    + " AND user_id NOT IN (SELECT user_id FROM users)"))
        .as("deprecated external_ids of no user")
        .isEmpty();
  }

  private void assertSame(String users, String lookups) throws SQLException {
    assertThat(rows(lookups)).as(lookups).isEqualTo(rows(users));
  }

  private Set<String> rows(String query) throws SQLException {
    Set<String> rows = new TreeSet<>();
    try (Connection db = connect();
        Statement statement = db.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      while (result.next()) {
        rows.add(result.getString(1) + " -> " + result.getLong(2));
      }
    }
    return rows;
  }

  private long count(String query) throws SQLException {
    return userId(query);
  }

  private long userId(String query) throws SQLException {
    try (Connection db = connect();
        Statement statement = db.createStatement();
        ResultSet result = statement.executeQuery(query)) {
      List<Long> values = new ArrayList<>();
      while (result.next()) {
        values.add(result.getLong(1));
      }
      assertThat(values).as(query).hasSize(1);
      return values.getFirst();
    }
  }
}
