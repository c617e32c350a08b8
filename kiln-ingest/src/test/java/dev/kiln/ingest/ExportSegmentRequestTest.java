package dev.kiln.ingest;

import static dev.kiln.ingest.Bodies.assertRejected;
import static dev.kiln.ingest.Bodies.body;
import static dev.kiln.ingest.Bodies.copies;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.core.export.ExportFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The /users/export/segment body of docs/exports.md, decoded; every refusal is fatal. */
class ExportSegmentRequestTest {
  private static final String NAMES =
      "'custom_attributes_to_export' must be an array of custom attribute names";

  @Test
  void onlyTheSegmentIsRequired() {
    assertThat(ExportSegmentRequest.decode(body("{'segment_id':'s1'}")))
        .isEqualTo(
            new ExportSegmentRequest("s1", Set.of(), Set.of(), ExportFormat.ZIP, Optional.empty()));
    assertThat(
            ExportSegmentRequest.decode(
                body(
                    "{'segment_id':'s1','fields_to_export':null,"
                        + "'custom_attributes_to_export':null,'output_format':null,'callback_endpoint':null}")))
        .isEqualTo(
            new ExportSegmentRequest("s1", Set.of(), Set.of(), ExportFormat.ZIP, Optional.empty()));
  }

  @Test
  void everyPart() {
    ExportSegmentRequest request =
        ExportSegmentRequest.decode(
            body(
                "{'segment_id':'s1','fields_to_export':['email',"
                    + "'external_id'],'custom_attributes_to_export':['plan','plan','tier'],'output_format':'gzip',"
                    + "'callback_endpoint':'https://example.com/done'}"));

    assertThat(request.fields()).containsExactly("email", "external_id");
    assertThat(request.customAttributes()).containsExactly("plan", "tier");
    assertThat(request.format()).isEqualTo(ExportFormat.GZIP);
    assertThat(request.callbackEndpoint()).contains("https://example.com/done");
  }

  @Test
  void theSegmentIdIsANonBlankString() {
    for (String json :
        List.of(
            "{}",
            "{'segment_id':null}",
            "{'segment_id':5}",
            "{'segment_id':''}",
            "{'segment_id':'  '}")) {
      assertRejected(
          ExportSegmentRequest::decode, json, "'segment_id' is required and must be a string");
    }
  }

  @Test
  void fieldsAreExportableFieldNames() {
    assertRejected(
        ExportSegmentRequest::decode,
        "{'segment_id':'s1','fields_to_export':'email'}",
        "'fields_to_export' must be an array of field names");
    assertRejected(
        ExportSegmentRequest::decode,
        "{'segment_id':'s1','fields_to_export':['email','password']}",
        "'password' is not a field that can be exported");
    assertRejected(
        ExportSegmentRequest::decode,
        "{'segment_id':'s1','fields_to_export':['shoe_size']}",
        "'shoe_size' is not a field that can be exported");
    assertRejected(
        ExportSegmentRequest::decode,
        "{'segment_id':'s1','fields_to_export':[5]}",
        "'5' is not a field that can be exported");
  }

  @Test
  void atMost500CustomAttributeNames() {
    assertThat(
            ExportSegmentRequest.decode(
                    body(
                        "{'segment_id':'s1','custom_attributes_to_export':["
                            + copies(500, "'a'")
                            + "]}"))
                .customAttributes())
        .containsExactly("a");
    assertRejected(
        ExportSegmentRequest::decode,
        "{'segment_id':'s1','custom_attributes_to_export':[" + copies(501, "'a'") + "]}",
        "'custom_attributes_to_export' may name at most 500 custom attributes");
    assertRejected(
        ExportSegmentRequest::decode,
        "{'segment_id':'s1','custom_attributes_to_export':'plan'}",
        NAMES);
    assertRejected(
        ExportSegmentRequest::decode,
        "{'segment_id':'s1','custom_attributes_to_export':['plan',1]}",
        NAMES);
  }

  @Test
  void theFormatIsZipOrGzipAndTheCallbackAString() {
    for (String json :
        List.of(
            "{'segment_id':'s1','output_format':'tar'}",
            "{'segment_id':'s1','output_format':'rar'}",
            "{'segment_id':'s1','output_format':1}",
            "{'segment_id':'s1','output_format':'ZIP'}")) {
      assertRejected(ExportSegmentRequest::decode, json, "'output_format' must be 'zip' or 'gzip'");
    }
    assertRejected(
        ExportSegmentRequest::decode,
        "{'segment_id':'s1','callback_endpoint':{'url':'x'}}",
        "'callback_endpoint' must be a URL string");
  }
}
