// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

/**
 * A request the server refuses, with the status and error type each API dialect gives it: OpenAI's
 * ({@code {"error":{"message","type","param","code"}}}) and text-embeddings-inference's
 * ({@code {"error","error_type"}}), so that both kinds of clients see the errors they expect.
 */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong; each kind has one status per dialect. */
    enum Kind {
        MALFORMED(400, 400, "invalid_request_error", "Validation", null),
        INVALID(400, 422, "invalid_request_error", "Validation", null),
        EMPTY(400, 400, "invalid_request_error", "Empty", null),
        UNAUTHORIZED(401, 401, "invalid_request_error", "Unauthorized", "invalid_api_key"),
        NOT_FOUND(404, 404, "invalid_request_error", "NotFound", null),
        METHOD_NOT_ALLOWED(405, 405, "invalid_request_error", "Validation", null),
        TOO_LARGE(413, 413, "invalid_request_error", "Validation", null),
        OVERLOADED(429, 429, "requests", "Overloaded", "rate_limit_exceeded"),
        INTERNAL(500, 500, "server_error", "Backend", null),
        SHUTTING_DOWN(503, 503, "server_error", "Unhealthy", null);

        final int openAiStatus;
        final int teiStatus;
        final String openAiType;
        final String teiType;
        final String openAiCode;

        Kind(int openAiStatus, int teiStatus, String openAiType, String teiType, String openAiCode) {
            this.openAiStatus = openAiStatus;
            this.teiStatus = teiStatus;
            this.openAiType = openAiType;
            this.teiType = teiType;
            this.openAiCode = openAiCode;
        }
    }

    final Kind kind;
    /** The request field at fault (OpenAI's {@code param}), or null. */
    final String param;

    ApiError(Kind kind, String message) {
        this(kind, null, message);
    }

    ApiError(Kind kind, String param, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.param = param;
    }
}
