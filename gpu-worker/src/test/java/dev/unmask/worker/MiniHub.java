package dev.unmask.worker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.unmask.shared.json.JsonCodec;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One public repository on a local Hub, spoken as the Hub speaks: {@code GET /api/models/{repo}/revision/{rev}}
 * and {@code HEAD|GET /{repo}/resolve/{rev}/{file}} with {@code X-Repo-Commit} and a git-blob-sha1
 * {@code ETag}; any other repository is answered 401 {@code RepoNotFound}, as the Hub answers a
 * caller without a token. (The engine's own tests cover LFS redirects, Range and faults.)
 */
final class MiniHub implements AutoCloseable {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    private final HttpServer server;
    private final String repo;
    private final Map<String, byte[]> files = new TreeMap<>();
    final AtomicInteger requests = new AtomicInteger();

    MiniHub(String repo, Path folder, String... names) throws IOException {
        this.repo = repo;
        for (String name : names) {
            files.put(name, Files.readAllBytes(folder.resolve(name)));
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            requests.incrementAndGet();
            String path = ex.getRequestURI().getPath();
            String info = "/api/models/" + repo + "/revision/";
            String resolve = "/" + repo + "/resolve/";
            if (path.startsWith(info)) {
                ObjectNode json = JsonCodec.MAPPER.createObjectNode().put("id", repo).put("sha", COMMIT);
                ArrayNode siblings = json.putArray("siblings");
                files.keySet().forEach(f -> siblings.addObject().put("rfilename", f));
                send(ex, 200, JsonCodec.MAPPER.writeValueAsBytes(json));
            } else if (path.startsWith(resolve) && files.containsKey(path.substring(path.indexOf('/', resolve.length()) + 1))) {
                byte[] bytes = files.get(path.substring(path.indexOf('/', resolve.length()) + 1));
                ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
                ex.getResponseHeaders().set("ETag", "\"" + gitBlobSha1(bytes) + "\"");
                if (ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseHeaders().set("Content-Length", String.valueOf(bytes.length));
                    ex.sendResponseHeaders(200, -1);
                } else {
                    send(ex, 200, bytes);
                }
            } else {
                ex.getResponseHeaders().set("X-Error-Code", "RepoNotFound");
                ex.getResponseHeaders().set("X-Error-Message", "Repository not found");
                send(ex, 401, "{\"error\":\"Repository not found\"}".getBytes(StandardCharsets.UTF_8));
            }
        } finally {
            ex.close();
        }
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, body.length);
        ex.getResponseBody().write(body);
    }

    static String gitBlobSha1(byte[] content) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            sha1.update(("blob " + content.length + "\0").getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(sha1.digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
