// Copyright 2026 The Lacuna authors
// SPDX-License-Identifier: Apache-2.0
package dev.lacuna.io;

import dev.lacuna.LacunaException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads UTF-8 text, one item per line, strictly: invalid bytes, empty lines and huge lines are errors. */
public final class TextLines {
    private TextLines() {}

    /** Reads a file (or stdin for "-"), rejecting invalid UTF-8 with the line number. */
    public static List<String> read(Path file, int maxChars) {
        boolean stdin = file == null || file.toString().equals("-");
        return parse(bytes(stdin ? null : file), stdin ? "stdin" : file.toString(), maxChars);
    }

    /** A whole file as text, decoded strictly ({@link #decode}); a missing or unreadable file is a one-line error. */
    public static String readFile(Path file) {
        return decode(bytes(file), file.toString());
    }

    /** The bytes of {@code file} (stdin when null), with one-line errors naming it. */
    private static byte[] bytes(Path file) {
        String where = file == null ? "stdin" : file.toString();
        if (file != null) PathChecks.requireRegularFile(file);
        try {
            return file == null ? System.in.readAllBytes() : Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new LacunaException(where + ": no such file");
        } catch (IOException e) {
            throw new LacunaException(where + ": cannot read (" + IoProblem.describe(e) + ")");
        }
    }

    /** Splits UTF-8 bytes into lines (LF or CRLF), validating each. */
    public static List<String> parse(byte[] bytes, String where, int maxChars) {
        String text = decode(bytes, where);
        if (text.startsWith("\uFEFF")) text = text.substring(1);
        List<String> lines = new ArrayList<>();
        int start = 0, n = text.length(), lineNo = 1;
        while (start < n) {
            int nl = text.indexOf('\n', start);
            int end = nl < 0 ? n : nl;
            int e = end > start && text.charAt(end - 1) == '\r' ? end - 1 : end;
            String line = text.substring(start, e);
            if (line.isBlank()) throw new LacunaException(where + ": line " + lineNo + " is empty");
            if (line.length() > maxChars) {
                throw new LacunaException(where + ": line " + lineNo + " has " + line.length()
                        + " characters, more than the limit of " + maxChars + " (--max-chars)");
            }
            lines.add(line);
            start = end + 1;
            lineNo++;
        }
        if (lines.isEmpty()) throw new LacunaException(where + ": no text (the input is empty)");
        return lines;
    }

    /**
     * Decodes strictly, naming the line of the first invalid byte. A NUL byte is an error too: valid
     * UTF-8, but no text holds one (it marks a binary file), and the tokenizer would drop it silently.
     */
    public static String decode(byte[] bytes, String where) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = dec.decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            int bad = firstInvalid(bytes);
            throw new LacunaException(where + ": invalid UTF-8 at line " + lineOf(bytes, bad) + " (byte offset " + bad + ")");
        }
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) {
                throw new LacunaException(where + ": NUL byte at line " + lineOf(bytes, i) + " (byte offset " + i + "); text must not contain NUL");
            }
        }
        return text;
    }

    /** The 1-based line of byte {@code offset}. */
    private static int lineOf(byte[] bytes, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.length; i++) if (bytes[i] == '\n') line++;
        return line;
    }

    private static int firstInvalid(byte[] b) {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(b.length + 1);
        var r = dec.decode(in, out, true);
        return r.isError() ? in.position() : b.length;
    }

    public static byte[] readAll(InputStream in) throws IOException {
        return in.readAllBytes();
    }
}
