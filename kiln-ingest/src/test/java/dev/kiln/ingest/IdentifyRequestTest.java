package dev.kiln.ingest;

import static dev.kiln.ingest.Bodies.BAD_PRIORITIZATIONS;
import static dev.kiln.ingest.Bodies.TOO_LONG_EXTERNAL_ID;
import static dev.kiln.ingest.Bodies.TOO_LONG_EXTERNAL_ID_MESSAGE;
import static dev.kiln.ingest.Bodies.assertRejected;
import static dev.kiln.ingest.Bodies.body;
import static dev.kiln.ingest.Bodies.copies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.identity.IdentifyUser;
import dev.kiln.core.identity.Prioritization;
import dev.kiln.core.identity.Priority;
import dev.kiln.core.identity.UserSelector;
import dev.kiln.core.profile.ExternalId;
import dev.kiln.core.profile.UserAlias;
import dev.kiln.core.profile.UserLookup;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** /users/identify of docs/user-management.md, decoded. Every refusal is fatal. */
class IdentifyRequestTest {
  private static final String EACH_ALIAS =
      "each of 'aliases_to_identify' must have a string 'external_id' and a "
          + "'user_alias' object with string 'alias_name' and 'alias_label'";
  private static final String EACH_EMAIL =
      "each of 'emails_to_identify' must have a string 'external_id', a string "
          + "'email' and a 'prioritization' array";
  private static final String EACH_PHONE =
      "each of 'phone_numbers_to_identify' must have a string 'external_id', a "
          + "string 'phone' and a 'prioritization' array";
  private static final String ALIAS =
      "{'external_id':'customer','user_alias':{'alias_name':'n','alias_label':'anon'}}";
  private static final String EMAIL =
      "{'external_id':'customer','email':'a@example.com','prioritization':['unidentified']}";
  private static final String PHONE =
      "{'external_id':'customer','phone':'+15550000000','prioritization':['unidentified']}";

  private static IdentifyRequest decode(String json) {
    return IdentifyRequest.decode(body(json));
  }

  @Test
  void eachItemIdentifiesItsAnonymousUserWithTheExternalId() {
    IdentifyRequest request =
        decode(
            "{'aliases_to_identify':["
                + ALIAS
                + "],'emails_to_identify':["
                + EMAIL
                + "],'phone_numbers_to_identify':[{'external_id':'other','phone':'+15550000000',"
                + "'prioritization':['identified','least_recently_updated']}]}");

    assertThat(request.operations())
        .containsExactly(
            new IdentifyUser(
                UserSelector.of(new UserLookup.Alias(new UserAlias("n", "anon"))),
                new ExternalId("customer")),
            new IdentifyUser(
                new UserSelector(
                    new UserLookup.Email("a@example.com"),
                    new Prioritization(List.of(Priority.UNIDENTIFIED))),
                new ExternalId("customer")),
            new IdentifyUser(
                new UserSelector(
                    new UserLookup.Phone("+15550000000"),
                    new Prioritization(
                        List.of(Priority.IDENTIFIED, Priority.LEAST_RECENTLY_UPDATED))),
                new ExternalId("other")));
  }

  /** aliases_processed always; the counts of emails and phones when their arrays are given. */
  @Test
  void theProcessedCounts() {
    assertThat(decode("{'aliases_to_identify':[" + ALIAS + "," + ALIAS + "]}").processed())
        .containsExactlyEntriesOf(Map.of("aliases_processed", 2));
    assertThat(
            decode("{'emails_to_identify':[" + EMAIL + "],'phone_numbers_to_identify':[]}")
                .processed())
        .containsExactly(
            Map.entry("aliases_processed", 0),
            Map.entry("emails_processed", 1),
            Map.entry("phone_numbers_processed", 0));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{'aliases_to_identify':[]}",
        "{'aliases_to_identify':[],'emails_to_identify':[],'phone_numbers_to_identify':[]}",
        "{'emails_to_identify':[]}",
        "{'aliases_to_identify':null}",
        "{'other':[" + ALIAS + "]}"
      })
  void atLeastOneArrayMustBeGiven(String json) {
    assertRejected(
        IdentifyRequest::decode,
        json,
        "at least one of 'aliases_to_identify', 'emails_to_identify' or "
            + "'phone_numbers_to_identify' must be given");
  }

  @ParameterizedTest
  @ValueSource(strings = {"'x'", "{}", "1", "[1]", "[null]", "[[]]", "['x']"})
  void eachArrayMustBeAnArrayOfObjects(String value) {
    assertRejected(
        IdentifyRequest::decode,
        "{'aliases_to_identify':" + value + ",'emails_to_identify':[" + EMAIL + "]}",
        "'aliases_to_identify' must be an array of objects");
    assertRejected(
        IdentifyRequest::decode,
        "{'aliases_to_identify':[" + ALIAS + "],'emails_to_identify':" + value + "}",
        "'emails_to_identify' must be an array of objects");
    assertRejected(
        IdentifyRequest::decode,
        "{'aliases_to_identify':[" + ALIAS + "],'phone_numbers_to_identify':" + value + "}",
        "'phone_numbers_to_identify' must be an array of objects");
  }

  /** The cap counts the three arrays together. */
  @Test
  void atMostFiftyIdentificationsInTotal() {
    assertThat(
            decode(
                    "{'aliases_to_identify':["
                        + copies(20, ALIAS)
                        + "],'emails_to_identify':["
                        + copies(15, EMAIL)
                        + "],'phone_numbers_to_identify':["
                        + copies(15, PHONE)
                        + "]}")
                .operations())
        .hasSize(50);
    String tooMany = "a single request may not contain more than 50 identifications";
    assertRejected(
        IdentifyRequest::decode,
        "{'aliases_to_identify':["
            + copies(26, ALIAS)
            + "],'emails_to_identify':["
            + copies(25, EMAIL)
            + "]}",
        tooMany);
    assertRejected(
        IdentifyRequest::decode,
        "{'aliases_to_identify':["
            + copies(21, ALIAS)
            + "],'emails_to_identify':["
            + copies(15, EMAIL)
            + "],'phone_numbers_to_identify':["
            + copies(15, PHONE)
            + "]}",
        tooMany);
    assertRejected(
        IdentifyRequest::decode, "{'aliases_to_identify':[" + copies(51, ALIAS) + "]}", tooMany);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{'user_alias':{'alias_name':'n','alias_label':'anon'}}",
        "{'external_id':5,'user_alias':{'alias_name':'n','alias_label':'anon'}}",
        "{'external_id':null,'user_alias':{'alias_name':'n','alias_label':'anon'}}",
        "{'external_id':'','user_alias':{'alias_name':'n','alias_label':'anon'}}",
        "{'external_id':'x'}",
        "{'external_id':'x','user_alias':'anon:x'}",
        "{'external_id':'x','user_alias':{'alias_name':'n'}}",
        "{'external_id':'x','user_alias':{'alias_label':'l'}}",
        "{'external_id':'x','user_alias':{'alias_name':1,'alias_label':'l'}}",
        "{'external_id':'x','user_alias':{'alias_name':'n','alias_label':[]}}"
      })
  void eachAliasToIdentifyNeedsAnExternalIdAndAUserAlias(String item) {
    assertRejected(
        IdentifyRequest::decode,
        "{'aliases_to_identify':[" + ALIAS + "," + item + "]}",
        EACH_ALIAS);
  }

  /**
   * A malformed email or phone item, beside a valid item of its array, and the message of that
   * array.
   */
  static Stream<Arguments> malformedContactItems() {
    Stream<Arguments> emails =
        Stream.of(
                "{'email':'a@example.com','prioritization':['identified']}",
                "{'external_id':1,'email':'a@example.com','prioritization':['identified']}",
                "{'external_id':'x','prioritization':['identified']}",
                "{'external_id':'x','email':5,'prioritization':['identified']}",
                "{'external_id':'x','email':'a@example.com'}",
                "{'external_id':'x','email':'a@example.com','prioritization':'identified'}")
            .map(item -> Arguments.of("emails_to_identify", EMAIL, item, EACH_EMAIL));
    Stream<Arguments> phones =
        Stream.of(
                "{'phone':'+15550000000','prioritization':['identified']}",
                "{'external_id':[],'phone':'+15550000000','prioritization':['identified']}",
                "{'external_id':'x','prioritization':['identified']}",
                "{'external_id':'x','phone':15550000000,'prioritization':['identified']}",
                "{'external_id':'x','phone':'+15550000000'}",
                "{'external_id':'x','phone':'+15550000000','prioritization':{}}")
            .map(item -> Arguments.of("phone_numbers_to_identify", PHONE, item, EACH_PHONE));
    return Stream.concat(emails, phones);
  }

  @ParameterizedTest
  @MethodSource("malformedContactItems")
  void eachEmailOrPhoneToIdentifyNeedsAnExternalIdTheContactAndAPrioritizationArray(
      String array, String valid, String item, String message) {
    assertRejected(
        IdentifyRequest::decode, "{'" + array + "':[" + valid + "," + item + "]}", message);
  }

  @Test
  void prioritizationMustBeAValidList() {
    for (String prioritization : BAD_PRIORITIZATIONS) {
      assertRejected(
          IdentifyRequest::decode,
          "{'emails_to_identify':["
              + EMAIL
              + ",{'external_id':'x','email':'a@example.com',"
              + "'prioritization':"
              + prioritization
              + "}]}",
          ManagementFields.PRIORITIZATION);
      assertRejected(
          IdentifyRequest::decode,
          "{'phone_numbers_to_identify':[{'external_id':'x','phone':'+15550000000',"
              + "'prioritization':"
              + prioritization
              + "}]}",
          ManagementFields.PRIORITIZATION);
    }
  }

  @Test
  void externalIdsAreFewerThan988Bytes() {
    assertRejected(
        IdentifyRequest::decode,
        "{'aliases_to_identify':[{'external_id':'"
            + TOO_LONG_EXTERNAL_ID
            + "','user_alias':{'alias_name':'n','alias_label':'anon'}}]}",
        TOO_LONG_EXTERNAL_ID_MESSAGE);
    assertRejected(
        IdentifyRequest::decode,
        "{'emails_to_identify':[{'external_id':'"
            + TOO_LONG_EXTERNAL_ID
            + "','email':'a@example.com','prioritization':['identified']}]}",
        TOO_LONG_EXTERNAL_ID_MESSAGE);
  }
}
