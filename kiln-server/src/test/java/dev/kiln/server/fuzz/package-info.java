/**
 * The fuzzing suite: each {@code ITFuzz*} class sends one endpoint thousands of generated bodies
 * (valid ones, exotic values, structural and byte mutations, other content types, bodies over the
 * size limit: {@link dev.kiln.server.fuzz.FuzzRequests}) through a real Kiln on loopback, and
 * checks three numbered properties for every try. Code and docs cite them as "property 1",
 * "property 2" and "property 3"; this is where they are defined. How tries are seeded, replayed and
 * counted is in {@link dev.kiln.server.fuzz.FuzzSuite}.
 *
 * <h2>Property 1: every answer keeps Braze's contract</h2>
 *
 * Checked on every answer by {@link dev.kiln.server.fuzz.ResponseContract#check}:
 *
 * <ul>
 *   <li>the status is below 500;
 *   <li>the status is one Braze answers the endpoint with ({@link dev.kiln.server.fuzz.Endpoint},
 *       from docs/braze-reference.md and docs/compatibility.md), or 415 for a body sent with a
 *       content type other than JSON, or 413; 413 comes exactly when the body is over the 4 MiB
 *       body limit;
 *   <li>no 429, as rate limits are off in the test server, except the one Braze documents outside
 *       rate limits: a second export of a segment whose export still runs;
 *   <li>a body that is not a JSON object (and not over the limit) is answered 400;
 *   <li>the answer is {@code application/json}, a JSON object with a {@code message} string, which
 *       is {@code "success"} on a 2xx; a 2xx of an endpoint that answers with users carries a
 *       {@code users} array;
 *   <li>the answer holds no text of a stack trace, a library or the database ({@link
 *       dev.kiln.server.fuzz.ResponseContract#LEAKS}), unless the request itself carried that text
 *       (a field name sent back in a message is the client's own).
 * </ul>
 *
 * This is promise 3 of docs/targets.md (bad input gets a clear 4xx in Braze's shape, never a 5xx).
 *
 * <h2>Property 2: the server stays healthy</h2>
 *
 * {@code GET /health} still answers 200 on the port the server started on: checked every 20 tries
 * and after the last try by {@link dev.kiln.server.fuzz.FuzzServer#assertStillHealthy} and {@link
 * dev.kiln.server.fuzz.FuzzServer#close}. A server that died between two checks fails the next try,
 * which gets no answer.
 *
 * <h2>Property 3: what a try left in the store is what its answer says</h2>
 *
 * A refused request changes nothing; a success changes exactly what it accepted, and nothing of a
 * rejected object or of another try; a read writes nothing. Each endpoint states it precisely in
 * the class its ITFuzz class passes to {@link dev.kiln.server.fuzz.FuzzSuite#fuzz}:
 *
 * <ul>
 *   <li>{@code /users/track} and {@code /users/track/sync}: {@link
 *       dev.kiln.server.fuzz.TrackTraces} (rejected objects leave no trace, accepted ones are
 *       stored, the {@code _processed} counts and error indexes are right);
 *   <li>{@code /users/export/ids}: {@link dev.kiln.server.fuzz.TrackTraces#checkNothingWritten};
 *   <li>{@code /users/export/segment}: a 201 queues exactly one export job, the one whose {@code
 *       object_prefix} it answered, and any other answer queues none (ITFuzzExportSegment);
 *   <li>{@code /segments/create}, {@code /update}, {@code /delete}: a success changes exactly the
 *       segment it names, a refusal none ({@link dev.kiln.server.fuzz.SegmentTraces});
 *   <li>the seven user management endpoints: a refusal changes nothing, the bystander users are
 *       untouched, no row outlives its user, and a success changes only what its endpoint may and
 *       its answer accounts for it ({@link dev.kiln.server.fuzz.UserManagementTraces}).
 * </ul>
 */
package dev.kiln.server.fuzz;
