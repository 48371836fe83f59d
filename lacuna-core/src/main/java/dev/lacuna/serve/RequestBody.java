// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a request body as the server admits it: at most {@code maxBytes} (a larger declared length is
 * refused before reading), strict UTF-8 (the first bad byte is named), then JSON.
 */
final class RequestBody {
    private RequestBody() {}

    /** The body bytes; 413 when larger than {@code maxBytes}. */
    static byte[] read(HttpServletRequest req, long maxBytes) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > maxBytes) throw tooLarge(declared, maxBytes);
        int cap = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
        // grown as bytes arrive: a declared length alone reserves no memory
        byte[] buf = new byte[(int) Math.min(cap + 1L, declared >= 0 ? Math.min(declared + 1, 1 << 16) : 8192)];
        int n = 0;
        try (InputStream in = req.getInputStream()) {
            while (true) {
                if (n == buf.length) {
                    if (n > cap) throw tooLarge(-1, maxBytes);
                    buf = Arrays.copyOf(buf, (int) Math.min(cap + 1L, 2L * buf.length));
                }
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) break;
                n += r;
            }
        }
        if (n > cap) throw tooLarge(-1, maxBytes);
        return n == buf.length ? buf : Arrays.copyOf(buf, n);
    }

    private static ApiError tooLarge(long declared, long max) {
        return new ApiError(ApiError.Kind.TOO_LARGE, "request body " + (declared >= 0 ? "of " + declared + " bytes " : "")
                + "is larger than the limit of " + max + " bytes (--max-body-bytes)");
    }

    /** Strict UTF-8; 400 naming the offset of the first byte that is not valid UTF-8. */
    static String utf8(byte[] body) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult r = dec.decode(in, out, true);
        if (r.isError()) {
            throw new ApiError(ApiError.Kind.MALFORMED, "request body is not valid UTF-8 (byte offset " + in.position() + ")");
        }
        dec.flush(out);
        return out.flip().toString();
    }

    /** The body as a JSON object; 400 when it is empty, not JSON or not an object. */
    static JsonNode jsonObject(ObjectMapper json, byte[] body) {
        String text = utf8(body);
        if (text.isBlank()) throw new ApiError(ApiError.Kind.MALFORMED, "request body is empty (expected a JSON object)");
        JsonNode root;
        try {
            root = json.readTree(text);
        } catch (JsonProcessingException e) {
            var loc = e.getLocation();
            throw new ApiError(ApiError.Kind.MALFORMED, "request body is not valid JSON"
                    + (loc == null ? "" : " at line " + loc.getLineNr() + " column " + loc.getColumnNr())
                    + ": " + oneLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ApiError(ApiError.Kind.INVALID, "request body must be a JSON object, got " + kind(root));
        }
        return root;
    }

    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) return "nothing";
        return switch (n.getNodeType()) {
            case ARRAY -> "a list";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case NUMBER -> "a number";
            case OBJECT -> "an object";
            case STRING -> "a string";
            default -> n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
    }

    static String oneLine(String s) {
        if (s == null) return "unknown problem";
        String t = s.replace('\n', ' ').replace('\r', ' ').strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
