package dev.kiln.storage.tests.segments;

import static dev.kiln.storage.tests.segments.Case.c;
import static dev.kiln.storage.tests.segments.Case.trivial;
import static dev.kiln.storage.tests.segments.Filters.attr;

import java.util.ArrayList;
import java.util.List;

/**
 * The cases of the standard text attributes of docs/segments.md (country, names, email, external_id
 * and the subscription states), split from {@link SegmentCases} to keep each file short: its
 * operands come from the same written population.
 */
final class StandardTextCases {
  private final List<User> users;

  StandardTextCases(List<User> users) {
    this.users = users;
  }

  List<Case> cases() {
    User withEmail =
        users.stream()
            .filter(u -> u.standard.get("email") != null)
            .skip(10)
            .findFirst()
            .orElseThrow();
    User identified =
        users.stream().filter(u -> u.externalId != null).skip(42).findFirst().orElseThrow();
    List<Case> cases = new ArrayList<>();
    for (String op : List.of("blank", "exists", "not_exists")) {
      cases.add(c("country " + op, attr("country", op)));
      cases.add(c("first_name " + op, attr("first_name", op)));
      cases.add(c("email " + op, attr("email", op)));
      cases.add(c("external_id " + op, attr("external_id", op)));
      cases.add(c("email_subscribe " + op, attr("email_subscribe", op)));
    }
    cases.addAll(
        List.of(
            c("country equals", attr("country", "equals", "US")),
            c("country not_equals", attr("country", "not_equals", "US")),
            c("country in", attr("country", "in", List.of("FR", "DE"))),
            c("country matches_regex", attr("country", "matches_regex", "^(U|G)")),
            c("country does_not_match_regex", attr("country", "does_not_match_regex", "^U")),
            c("first_name equals (accent)", attr("first_name", "equals", "Chloé")),
            c("first_name not_equals", attr("first_name", "not_equals", "Chloé")),
            c("first_name in", attr("first_name", "in", List.of("Ana", "Bob", "nobody"))),
            c("first_name matches_regex (accent)", attr("first_name", "matches_regex", "é")),
            c(
                "first_name matches_regex (whitespace only)",
                attr("first_name", "matches_regex", "^\\s+$")),
            c(
                "first_name does_not_match_regex",
                attr("first_name", "does_not_match_regex", "[aeiou]")),
            c("last_name blank", attr("last_name", "blank")),
            c("last_name matches_regex", attr("last_name", "matches_regex", "son$")),
            // Regexes mean what they mean to Java: PostgreSQL gets \b, \w, \d, \s, . and $
            // translated.
            c(
                "first_name matches_regex word boundary",
                attr("first_name", "matches_regex", "\\bAn")),
            c(
                "first_name matches_regex word boundaries at a hyphen",
                attr("first_name", "matches_regex", "\\bLuc\\b")),
            c(
                "first_name matches_regex boundary before a non-ASCII letter",
                attr("first_name", "matches_regex", "Mar\\b")),
            c(
                "first_name matches_regex ASCII word characters only",
                attr("first_name", "matches_regex", "^\\w+$")),
            c(
                "first_name matches_regex a non-word character",
                attr("first_name", "matches_regex", "\\W")),
            c(
                "first_name matches_regex 3 to 5 characters",
                attr("first_name", "matches_regex", "^.{3,5}$")),
            c(
                "last_name matches_regex word characters then son at the end",
                attr("last_name", "matches_regex", "\\w+son$")),
            c(
                "external_id matches_regex digits",
                attr("external_id", "matches_regex", "^user-\\d{2}$")),
            c("home_city matches_regex whitespace", attr("home_city", "matches_regex", "\\s")),
            c("email equals one user", attr("email", "equals", withEmail.standard.get("email"))),
            c("email not_equals", attr("email", "not_equals", withEmail.standard.get("email"))),
            c(
                "email in",
                attr(
                    "email", "in", List.of(withEmail.standard.get("email"), "nobody@example.com"))),
            c(
                "email matches_regex (case-sensitive)",
                attr("email", "matches_regex", "@example\\.com$")),
            c(
                "email does_not_match_regex",
                attr("email", "does_not_match_regex", "@example\\.com$")),
            c("phone exists", attr("phone", "exists")),
            c("phone not_exists", attr("phone", "not_exists")),
            c("phone matches_regex", attr("phone", "matches_regex", "0$")),
            c("external_id equals", attr("external_id", "equals", identified.externalId)),
            c("external_id not_equals", attr("external_id", "not_equals", identified.externalId)),
            c(
                "external_id in",
                attr(
                    "external_id",
                    "in",
                    List.of(identified.externalId, "user-1", "user-2", "nobody"))),
            c("external_id matches_regex", attr("external_id", "matches_regex", "7$")),
            c(
                "external_id does_not_match_regex",
                attr("external_id", "does_not_match_regex", "^user-1")),
            trivial("braze_id exists", attr("braze_id", "exists")),
            trivial("braze_id not_exists", attr("braze_id", "not_exists")),
            trivial("braze_id blank", attr("braze_id", "blank")),
            c("braze_id equals", attr("braze_id", "equals", users.get(123).brazeId)),
            c("braze_id not_equals", attr("braze_id", "not_equals", users.get(123).brazeId)),
            c(
                "braze_id in",
                attr("braze_id", "in", List.of(users.get(1).brazeId, users.get(2).brazeId))),
            c("braze_id matches_regex", attr("braze_id", "matches_regex", "^[0-7]")),
            c("braze_id does_not_match_regex", attr("braze_id", "does_not_match_regex", "a")),
            c("language in", attr("language", "in", List.of("en", "fr"))),
            c("language equals", attr("language", "equals", "de")),
            c("language not_equals", attr("language", "not_equals", "en")),
            c("gender equals", attr("gender", "equals", "F")),
            c("gender in", attr("gender", "in", List.of("O", "N", "P"))),
            c("gender not_exists", attr("gender", "not_exists")),
            c("home_city blank (empty string or missing)", attr("home_city", "blank")),
            c("home_city equals (non-ASCII)", attr("home_city", "equals", "São Paulo")),
            c("home_city exists", attr("home_city", "exists")),
            c("time_zone matches_regex", attr("time_zone", "matches_regex", "^Europe/")),
            c("time_zone equals", attr("time_zone", "equals", "UTC")),
            c("email_subscribe equals", attr("email_subscribe", "equals", "opted_in")),
            c("email_subscribe not_equals", attr("email_subscribe", "not_equals", "unsubscribed")),
            c(
                "email_subscribe in",
                attr("email_subscribe", "in", List.of("opted_in", "subscribed"))),
            c("email_subscribe matches_regex", attr("email_subscribe", "matches_regex", "^sub")),
            c(
                "email_subscribe does_not_match_regex",
                attr("email_subscribe", "does_not_match_regex", "sub")),
            c("push_subscribe equals", attr("push_subscribe", "equals", "subscribed")),
            c("push_subscribe not_exists", attr("push_subscribe", "not_exists"))));
    return cases;
  }
}
