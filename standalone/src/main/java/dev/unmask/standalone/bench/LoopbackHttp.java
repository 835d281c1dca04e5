package dev.unmask.standalone.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The benchmark's load generator: one keep-alive HTTP/1.1 connection over a blocking socket, a
 * request written in one {@code write}, the response read into one reused buffer. It does what
 * {@code wrk} does and no more (no TLS, no redirects, no pooling), so that on a 2-core machine the
 * client takes as little as possible of the CPU the measured server needs: {@code java.net.http}
 * with a JSON parse of every reply cost 0.36-0.65 ms of CPU a request, as much as the gateway's
 * event loop. Not thread-safe: one connection per client thread.
 */
final class LoopbackHttp implements AutoCloseable {
    /** A reply: status and body (UTF-8). */
    record Reply(int status, String body) {}

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final String host;
    private final String authorization;
    private byte[] buffer = new byte[16 * 1024];
    private int start; // first unread byte in buffer
    private int end; // one past the last byte read

    LoopbackHttp(int port, String bearerKey) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        host = "127.0.0.1:" + port;
        authorization = "Bearer " + bearerKey;
    }

    Reply get(String path) throws IOException {
        return send("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization + "\r\n\r\n",
                null);
    }

    Reply post(String path, String contentType, byte[] body) throws IOException {
        return send("POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: " + authorization
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n", body);
    }

    private Reply send(String head, byte[] body) throws IOException {
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = h;
        if (body != null) {
            request = new byte[h.length + body.length];
            System.arraycopy(h, 0, request, 0, h.length);
            System.arraycopy(body, 0, request, h.length, body.length);
        }
        out.write(request);
        out.flush();
        return readReply();
    }

    /** Status line and headers, then a body by Content-Length or chunked; the connection stays open. */
    private Reply readReply() throws IOException {
        int headerEnd;
        while ((headerEnd = indexOfBlankLine()) < 0) {
            fill();
        }
        String headers = new String(buffer, start, headerEnd - start, StandardCharsets.ISO_8859_1);
        start = headerEnd + 4;
        if (!headers.startsWith("HTTP/1.1 ") || headers.length() < 12) {
            throw new IOException("not an HTTP/1.1 reply: " + headers.lines().findFirst().orElse(""));
        }
        int status = Integer.parseInt(headers.substring(9, 12));
        String lower = headers.toLowerCase(Locale.ROOT);
        long length = contentLength(lower);
        byte[] content;
        if (length >= 0) {
            content = take((int) length);
        } else if (lower.contains("\r\ntransfer-encoding: chunked")) {
            content = chunked();
        } else {
            throw new IOException("a reply with neither Content-Length nor chunked encoding: " + headers);
        }
        if (lower.contains("\r\nconnection: close")) {
            close();
        }
        return new Reply(status, new String(content, StandardCharsets.UTF_8));
    }

    private static long contentLength(String lowerHeaders) {
        int at = lowerHeaders.indexOf("\r\ncontent-length:");
        if (at < 0) {
            return -1;
        }
        int from = at + "\r\ncontent-length:".length();
        int to = lowerHeaders.indexOf("\r\n", from);
        return Long.parseLong(lowerHeaders.substring(from, to < 0 ? lowerHeaders.length() : to).trim());
    }

    private byte[] chunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            int lineEnd;
            while ((lineEnd = indexOf((byte) '\r', start)) < 0 || lineEnd + 1 >= end) {
                fill();
            }
            String size = new String(buffer, start, lineEnd - start, StandardCharsets.ISO_8859_1);
            int semicolon = size.indexOf(';');
            int n = Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
            start = lineEnd + 2;
            body.write(take(n));
            take(2); // the CRLF after the chunk (after the last, empty one: no trailers are sent)
            if (n == 0) {
                return body.toByteArray();
            }
        }
    }

    private byte[] take(int n) throws IOException {
        while (end - start < n) {
            fill();
        }
        byte[] out = new byte[n];
        System.arraycopy(buffer, start, out, 0, n);
        start += n;
        return out;
    }

    private int indexOfBlankLine() {
        for (int i = start; i + 3 < end; i++) {
            if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(byte b, int from) {
        for (int i = from; i < end; i++) {
            if (buffer[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** Reads more bytes, compacting or growing the buffer first. @throws IOException at end of stream */
    private void fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            buffer = Arrays.copyOf(buffer, buffer.length * 2);
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            throw new IOException("the server closed the connection");
        }
        end += n;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
