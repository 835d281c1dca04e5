package dev.unmask.diffusion.hub;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A local Hub that speaks what {@code huggingface_hub} relies on, headers included:
 * {@code GET /api/models/{repo}/revision/{rev}} (sha, siblings), {@code HEAD|GET
 * /{repo}/resolve/{rev}/{file}} (a small file: 200 with {@code ETag} = git blob sha1 and
 * {@code X-Repo-Commit}; an LFS file (*.safetensors): 302 to a CDN URL on another host name with
 * {@code X-Linked-Etag} = sha256 and {@code X-Linked-Size}), the CDN answering {@code Range} with
 * 206, and errors with {@code X-Error-Code} as the Hub sends them (401 for an unknown or private
 * repo without a token, 404 with one). Faults on demand: a connection dropped halfway, wrong bytes.
 */
final class MockHub implements AutoCloseable {
    /** One request as the server saw it. */
    record Seen(String method, String path, String range, String authorization, String host) {}

    private record Commit(String sha, Map<String, byte[]> files) {}

    private static final class Repo {
        final Map<String, String> refs = new ConcurrentHashMap<>();
        final Map<String, Commit> commits = new ConcurrentHashMap<>();
        boolean isPrivate;
    }

    private final HttpServer server;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, byte[]> cdn = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    private final AtomicInteger dropsLeft = new AtomicInteger();
    private volatile String token;
    private volatile String dropFile;

    MockHub() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** {@code HF_ENDPOINT}. */
    URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Publishes a folder's files (sub-folders included) as {@code branch} of {@code repo}; returns the commit. */
    String publish(String repo, String branch, Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(folder.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
            }
        }
        return publish(repo, branch, files);
    }

    String publish(String repo, String branch, Map<String, byte[]> files) {
        StringBuilder tree = new StringBuilder(repo).append('\0').append(branch);
        files.forEach((name, bytes) -> tree.append('\0').append(name).append('\0').append(BlobChecksum.sha256(bytes)));
        String sha = BlobChecksum.gitBlobSha1(tree.toString().getBytes(StandardCharsets.UTF_8));
        Repo r = repos.computeIfAbsent(repo, k -> new Repo());
        r.commits.put(sha, new Commit(sha, new LinkedHashMap<>(files)));
        r.refs.put(branch, sha);
        files.forEach((name, bytes) -> {
            if (lfs(name)) {
                cdn.put(BlobChecksum.sha256(bytes), bytes);
            }
        });
        return sha;
    }

    /** Makes {@code repo} private: only {@code Authorization: Bearer token} sees it. */
    void makePrivate(String repo, String acceptedToken) {
        repos.get(repo).isPrivate = true;
        this.token = acceptedToken;
    }

    /** The next {@code n} GETs of {@code file} send half their bytes and drop the connection. */
    void dropHalfway(String file, int n) {
        dropFile = file;
        dropsLeft.set(n);
    }

    /** Serves {@code file} (of any repo) with one byte changed, its length and headers unchanged. */
    void corrupt(String file) {
        corrupt.add(file);
    }

    List<Seen> requests() {
        return List.copyOf(seen);
    }

    void forget() {
        seen.clear();
    }

    static boolean lfs(String file) {
        return file.endsWith(".safetensors");
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            var h = ex.getRequestHeaders();
            seen.add(new Seen(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), h.getFirst("Range"),
                    h.getFirst("Authorization"), h.getFirst("Host")));
            String[] parts = ex.getRequestURI().getRawPath().substring(1).split("/", -1);
            if (parts.length == 2 && parts[0].equals("cdn")) {
                serveBlob(ex, parts[1]);
            } else if (parts.length == 6 && parts[0].equals("api") && parts[1].equals("models") && parts[4].equals("tree")) {
                tree(ex, parts[2] + "/" + parts[3], decode(parts[5]));
            } else if (parts.length >= 6 && parts[0].equals("api") && parts[1].equals("models") && parts[4].equals("revision")) {
                modelInfo(ex, parts[2] + "/" + parts[3], decode(String.join("/", Arrays.copyOfRange(parts, 5, parts.length))));
            } else if (parts.length >= 5 && parts[2].equals("resolve")) {
                resolve(ex, parts[0] + "/" + parts[1], decode(parts[3]),
                        decode(String.join("/", Arrays.copyOfRange(parts, 4, parts.length))));
            } else {
                error(ex, 404, null, "no route");
            }
            ex.close();
        } catch (RuntimeException e) {
            // Unclosed on purpose: the server drops the connection of a handler that throws.
            throw new IOException(e);
        }
    }

    private Commit commit(HttpExchange ex, String repoId, String revision) throws IOException {
        Repo repo = repos.get(repoId);
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        boolean authorized = token != null && ("Bearer " + token).equals(auth);
        if (repo == null || (repo.isPrivate && !authorized)) {
            // The Hub does not tell a private repository from a missing one.
            error(ex, auth == null || repo != null ? 401 : 404, "RepoNotFound", "Repository not found");
            return null;
        }
        String sha = repo.refs.getOrDefault(revision, revision);
        Commit commit = repo.commits.get(sha);
        if (commit == null) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + revision);
        }
        return commit;
    }

    private void modelInfo(HttpExchange ex, String repo, String revision) throws IOException {
        Commit commit = commit(ex, repo, revision);
        if (commit == null) {
            return;
        }
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("_id", "0123456789abcdef01234567").put("id", repo).put("modelId", repo).put("sha", commit.sha())
                .put("private", repos.get(repo).isPrivate).put("disabled", false).put("gated", false)
                .put("lastModified", "2026-11-30T12:00:00.000Z").put("library_name", "transformers");
        ArrayNode siblings = json.putArray("siblings");
        commit.files().keySet().forEach(f -> siblings.addObject().put("rfilename", f));
        byte[] body = Json.MAPPER.writeValueAsBytes(json);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    /** {@code GET /api/models/{repo}/tree/{rev}?recursive=true}: what {@code huggingface_hub} 1.x+ lists files with. */
    private void tree(HttpExchange ex, String repo, String revision) throws IOException {
        Commit commit = commit(ex, repo, revision);
        if (commit == null) {
            return;
        }
        ArrayNode entries = Json.MAPPER.createArrayNode();
        Set<String> dirs = new java.util.TreeSet<>();
        commit.files().forEach((path, bytes) -> {
            for (int i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) {
                dirs.add(path.substring(0, i));
            }
            ObjectNode e = entries.addObject().put("type", "file").put("size", bytes.length).put("path", path);
            if (lfs(path)) {
                String pointer = pointer(bytes);
                e.put("oid", BlobChecksum.gitBlobSha1(pointer.getBytes(StandardCharsets.US_ASCII)));
                e.putObject("lfs").put("oid", BlobChecksum.sha256(bytes)).put("size", bytes.length)
                        .put("pointerSize", pointer.length());
            } else {
                e.put("oid", BlobChecksum.gitBlobSha1(bytes));
            }
        });
        dirs.forEach(d -> entries.addObject().put("type", "directory").put("oid", "0".repeat(40)).put("size", 0).put("path", d));
        byte[] body = Json.MAPPER.writeValueAsBytes(entries);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
    }

    private static String pointer(byte[] bytes) {
        return "version https://git-lfs.github.com/spec/v1\noid sha256:" + BlobChecksum.sha256(bytes) + "\nsize "
                + bytes.length + "\n";
    }

    private void resolve(HttpExchange ex, String repo, String revision, String file) throws IOException {
        Commit commit = commit(ex, repo, revision);
        if (commit == null) {
            return;
        }
        byte[] bytes = commit.files().get(file);
        if (bytes == null) {
            error(ex, 404, "EntryNotFound", file + " does not exist on \"" + revision + "\"");
            return;
        }
        var out = ex.getResponseHeaders();
        out.set("X-Repo-Commit", commit.sha());
        out.set("Accept-Ranges", "bytes");
        if (lfs(file)) {
            String sha256 = BlobChecksum.sha256(bytes);
            String pointer = pointer(bytes);
            out.set("ETag", "\"" + BlobChecksum.gitBlobSha1(pointer.getBytes(StandardCharsets.US_ASCII)) + "\"");
            out.set("X-Linked-Etag", "\"" + sha256 + "\"");
            out.set("X-Linked-Size", String.valueOf(bytes.length));
            // Another host name for the same server, as the real CDN is another host.
            out.set("Location", "http://localhost:" + server.getAddress().getPort() + "/cdn/" + sha256);
            ex.sendResponseHeaders(302, -1);
            return;
        }
        out.set("ETag", "\"" + BlobChecksum.gitBlobSha1(bytes) + "\"");
        out.set("Content-Type", "text/plain; charset=utf-8");
        sendBytes(ex, file, bytes);
    }

    private void serveBlob(HttpExchange ex, String sha256) throws IOException {
        byte[] bytes = cdn.get(sha256);
        if (bytes == null) {
            error(ex, 404, null, "no such object");
            return;
        }
        String file = repos.values().stream().flatMap(r -> r.commits.values().stream())
                .flatMap(c -> c.files().entrySet().stream()).filter(e -> e.getValue() == bytes)
                .map(Map.Entry::getKey).findFirst().orElse("");
        ex.getResponseHeaders().set("ETag", "\"" + sha256 + "\"");
        ex.getResponseHeaders().set("Content-Type", "binary/octet-stream");
        sendBytes(ex, file, bytes);
    }

    /** The bytes, or the range asked for, with the faults that are armed. */
    private void sendBytes(HttpExchange ex, String file, byte[] original) throws IOException {
        byte[] bytes = original;
        if (corrupt.contains(file)) {
            bytes = original.clone();
            bytes[bytes.length / 2] ^= 0x5a;
        }
        var out = ex.getResponseHeaders();
        int from = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null && range.matches("bytes=\\d+-")) {
            from = Integer.parseInt(range.substring(6, range.length() - 1));
            if (from >= bytes.length) {
                out.set("Content-Range", "bytes */" + bytes.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            out.set("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
        }
        int length = bytes.length - from;
        if (ex.getRequestMethod().equals("HEAD")) {
            out.set("Content-Length", String.valueOf(length));
            ex.sendResponseHeaders(from > 0 ? 206 : 200, -1);
            return;
        }
        ex.sendResponseHeaders(from > 0 ? 206 : 200, length);
        OutputStream body = ex.getResponseBody();
        if (file.equals(dropFile) && dropsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            body.write(bytes, from, length / 2);
            body.flush();
            throw new IllegalStateException("dropping the connection halfway through " + file);
        }
        body.write(bytes, from, length);
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        if (code != null) {
            ex.getResponseHeaders().set("X-Error-Code", code);
        }
        ex.getResponseHeaders().set("X-Error-Message", message);
        byte[] body = Json.MAPPER.writeValueAsBytes(Map.of("error", message));
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
        }
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Set<String> names(List<Seen> requests) {
        Set<String> out = new HashSet<>();
        requests.forEach(r -> out.add(r.method() + " " + r.path()));
        return out;
    }

    static List<Seen> blobGets(List<Seen> requests) {
        List<Seen> out = new ArrayList<>();
        requests.stream().filter(r -> r.method().equals("GET") && r.path().startsWith("/cdn/")).forEach(out::add);
        return out;
    }
}
