package dev.unmask.gateway.edge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, byte for byte as the test writes it: for requests no client
 * library would send (broken framing, odd versions, missing Host, slow senders). Reads one response
 * (Content-Length, chunked, or until the server closes) with a hard time limit.
 */
final class RawHttp {
    private RawHttp() {}

    /** What came back: status 0 when the connection closed before a status line. */
    record Response(int status, Map<String, List<String>> headers, byte[] body, long millis, boolean timedOut) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            String text = text();
            return status + " " + (text.length() > 300 ? text.substring(0, 300) + "..." : text)
                    + (timedOut ? " (timed out)" : "");
        }
    }

    /** One plan of how the request's bytes go out: all at once, or in parts with pauses between. */
    record Send(List<byte[]> parts, Duration pause) {
        static Send all(byte[] request) {
            return new Send(List.of(request), Duration.ZERO);
        }
    }

    static Response exchange(int port, byte[] request, Duration limit) {
        return exchange(port, Send.all(request), limit);
    }

    static Response exchange(int port, Send send, Duration limit) {
        long start = System.nanoTime();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout((int) limit.toMillis());
            OutputStream out = socket.getOutputStream();
            try {
                for (int i = 0; i < send.parts().size(); i++) {
                    if (i > 0 && !send.pause().isZero()) {
                        Thread.sleep(send.pause().toMillis());
                    }
                    out.write(send.parts().get(i));
                    out.flush();
                }
            } catch (IOException e) {
                // the server closed early (a refusal before the whole body was sent): read its answer
            }
            return read(socket.getInputStream(), start, limit);
        } catch (IOException e) {
            return new Response(0, Map.of(), new byte[0], millis(start), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Response read(InputStream in, long start, Duration limit) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        try {
            String statusLine = line(in);
            if (statusLine == null) {
                return new Response(0, headers, new byte[0], millis(start), false);
            }
            String[] parts = statusLine.split(" ", 3);
            int status = parts.length >= 2 ? Integer.parseInt(parts[1]) : -1;
            for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
                int colon = h.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                            .add(h.substring(colon + 1).trim());
                }
            }
            byte[] body = body(in, headers);
            return new Response(status, headers, body, millis(start), false);
        } catch (SocketTimeoutException e) {
            return new Response(-1, headers, new byte[0], millis(start), true);
        } catch (IOException e) {
            if (millis(start) >= limit.toMillis()) {
                return new Response(-1, headers, new byte[0], millis(start), true);
            }
            return new Response(0, headers, new byte[0], millis(start), false);
        }
    }

    private static byte[] body(InputStream in, Map<String, List<String>> headers) throws IOException {
        List<String> length = headers.get("content-length");
        List<String> encoding = headers.get("transfer-encoding");
        if (length != null) {
            return in.readNBytes(Integer.parseInt(length.get(0)));
        }
        if (encoding != null && encoding.get(0).equalsIgnoreCase("chunked")) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            for (String size = line(in); size != null; size = line(in)) {
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    line(in);
                    break;
                }
                body.write(in.readNBytes(n));
                line(in);
            }
            return body.toByteArray();
        }
        return in.readAllBytes();
    }

    /** A line without its CRLF; null at the end of the stream. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
