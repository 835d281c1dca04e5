package dev.unmask.diffusion.hub;

import com.fasterxml.jackson.databind.JsonNode;
import dev.unmask.diffusion.util.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The two Hub endpoints a model load needs, spoken as {@code huggingface_hub} speaks them: the
 * model info ({@code GET /api/models/{repo}/revision/{revision}}) and a file's resolve URL
 * ({@code HEAD} for its metadata, {@code GET} with {@code Range} for its bytes). Redirects are
 * followed here, not by the client, so that the token is never sent to another host (the CDN an
 * LFS file redirects to gets a signed URL instead). Errors become {@link HubException}s.
 */
final class HubApi {
    static final Duration METADATA_TIMEOUT = Duration.ofSeconds(10);
    static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REDIRECTS = 10;
    private static final String USER_AGENT = "unmask/0.1; java/" + Runtime.version().feature();

    private final HubEnvironment env;
    private final HttpClient client;

    HubApi(HubEnvironment env, HttpClient client) {
        this.env = env;
        this.client = client;
    }

    static HttpClient defaultClient() {
        return HttpClient.newBuilder()
                .connectTimeout(METADATA_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The commit a revision points to and the files in it. */
    RepoInfo modelInfo(HubId id) throws HubException {
        URI uri = URI.create(env.endpoint() + "/api/models/" + id.repo() + "/revision/" + UrlPath.quote(id.revision(), ""));
        HttpResponse<String> r = send(request(uri, METADATA_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString(), id, null);
        r = followRelative(r, id, null, HttpResponse.BodyHandlers.ofString(), "GET");
        check(r, id, null);
        if (r.statusCode() != 200) {
            throw new HubException(HubException.Kind.PROTOCOL, uri + " answered HTTP " + r.statusCode()
                    + " instead of the model info");
        }
        try {
            JsonNode json = Json.MAPPER.readTree(r.body());
            String sha = json.path("sha").asText(null);
            if (sha == null || !json.path("siblings").isArray()) {
                throw new HubException(HubException.Kind.PROTOCOL, uri + " answered without sha or siblings: is "
                        + env.endpoint() + " a Hub endpoint?");
            }
            List<String> files = new ArrayList<>();
            json.get("siblings").forEach(s -> files.add(s.path("rfilename").asText()));
            return new RepoInfo(sha, files);
        } catch (IOException e) {
            throw e instanceof HubException h ? h
                    : new HubException(HubException.Kind.PROTOCOL, uri + " answered with invalid JSON: " + e.getMessage(), e);
        }
    }

    /** {@code HEAD {endpoint}/{repo}/resolve/{revision}/{file}}, relative redirects followed (a renamed repo). */
    FileMetadata fileMetadata(HubId id, String file) throws HubException {
        URI uri = resolveUrl(id, file);
        HttpRequest head = request(uri, METADATA_TIMEOUT).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .header("Accept-Encoding", "identity").build();
        HttpResponse<Void> r = followRelative(send(head, HttpResponse.BodyHandlers.discarding(), id, file),
                id, file, HttpResponse.BodyHandlers.discarding(), "HEAD");
        check(r, id, file);
        var h = r.headers();
        String commit = h.firstValue("X-Repo-Commit").orElse(null);
        String etag = FileMetadata.normalizeEtag(h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse(null));
        if (commit == null || etag == null || etag.isEmpty()) {
            throw new HubException(HubException.Kind.PROTOCOL, uri + " answered without "
                    + (commit == null ? "X-Repo-Commit" : "an ETag") + ": is " + env.endpoint() + " a Hub endpoint?");
        }
        long size = h.firstValue("X-Linked-Size").or(() -> h.firstValue("Content-Length")).map(Long::parseLong).orElse(-1L);
        URI location = h.firstValue("Location").map(l -> r.uri().resolve(l)).orElse(r.uri());
        return new FileMetadata(commit, etag, size, location);
    }

    /**
     * {@code GET location}, from byte {@code from} on ({@code Range: bytes=from-} when it is not 0).
     * The answer is 200 (all bytes) or 206 (the rest); redirects are followed, and the token is
     * dropped for any host other than the endpoint's.
     */
    HttpResponse<InputStream> download(HubId id, String file, URI location, long from) throws HubException {
        URI uri = location;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(DOWNLOAD_TIMEOUT)
                    .header("User-Agent", USER_AGENT).header("Accept-Encoding", "identity").GET();
            if (sameHost(uri)) {
                env.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
            }
            if (from > 0) {
                b.header("Range", "bytes=" + from + "-");
            }
            HttpResponse<InputStream> r = send(b.build(), HttpResponse.BodyHandlers.ofInputStream(), id, file);
            Optional<String> next = r.headers().firstValue("Location");
            if (r.statusCode() / 100 == 3 && next.isPresent()) {
                close(r);
                uri = uri.resolve(next.get());
                continue;
            }
            if (r.statusCode() >= 400) {
                close(r);
                check(r, id, file);
            }
            return r;
        }
        throw new HubException(HubException.Kind.PROTOCOL, "more than " + MAX_REDIRECTS + " redirects for " + file
                + " of " + id);
    }

    URI resolveUrl(HubId id, String file) {
        return URI.create(env.endpoint() + "/" + id.repo() + "/resolve/" + UrlPath.quote(id.revision(), "")
                + "/" + UrlPath.quote(file, "/"));
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("User-Agent", USER_AGENT);
        env.token().ifPresent(t -> b.header("Authorization", "Bearer " + t));
        return b;
    }

    private boolean sameHost(URI uri) {
        return Objects.equals(uri.getHost(), env.endpoint().getHost()) && uri.getPort() == env.endpoint().getPort();
    }

    private <T> HttpResponse<T> followRelative(HttpResponse<T> r, HubId id, String file,
            HttpResponse.BodyHandler<T> handler, String method) throws HubException {
        for (int hop = 0; hop < MAX_REDIRECTS && r.statusCode() / 100 == 3; hop++) {
            Optional<String> location = r.headers().firstValue("Location");
            if (location.isEmpty() || URI.create(location.get()).getHost() != null) {
                return r; // an absolute redirect (the CDN): its headers are the metadata
            }
            HttpRequest.Builder b = request(r.uri().resolve(location.get()), METADATA_TIMEOUT)
                    .method(method, HttpRequest.BodyPublishers.noBody());
            if ("HEAD".equals(method)) {
                b.header("Accept-Encoding", "identity");
            }
            r = send(b.build(), handler, id, file);
        }
        return r;
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler, HubId id, String file)
            throws HubException {
        try {
            return client.send(request, handler);
        } catch (HttpConnectTimeoutException | ConnectException e) {
            throw unreachable(id, file, "cannot connect", e);
        } catch (HttpTimeoutException e) {
            throw unreachable(id, file, "no answer within the timeout", e);
        } catch (IOException e) {
            throw unreachable(id, file, Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(id, file, "interrupted", e);
        }
    }

    private HubException unreachable(HubId id, String file, String why, Exception e) {
        return new HubException(HubException.Kind.UNREACHABLE, "the Hub endpoint " + env.endpoint()
                + " is unreachable (" + why + ") while resolving " + what(id, file)
                + "; set HF_ENDPOINT, or HF_HUB_OFFLINE=1 to use the cache only", e);
    }

    /** {@code huggingface_hub}'s {@code hf_raise_for_status}: the {@code X-Error-Code} header first, then the status. */
    private void check(HttpResponse<?> r, HubId id, String file) throws HubException {
        int status = r.statusCode();
        if (status < 400) {
            return;
        }
        String code = r.headers().firstValue("X-Error-Code").orElse("");
        String serverSays = r.headers().firstValue("X-Error-Message").map(m -> " (the Hub says: " + m + ")").orElse("");
        boolean token = env.token().isPresent();
        if (code.equals("GatedRepo") || status == 403) {
            throw new HubException(HubException.Kind.UNAUTHORIZED, id.repo() + " is gated or private and "
                    + (token ? "the HF_TOKEN given has no access to it" : "needs HF_TOKEN")
                    + ": accept its conditions on its Hub page and set HF_TOKEN to a token with read access"
                    + " (HTTP " + status + ")" + serverSays);
        }
        if (code.equals("RevisionNotFound")) {
            throw new HubException(HubException.Kind.REVISION_NOT_FOUND, "revision '" + id.revision()
                    + "' of " + id.repo() + " was not found on " + env.endpoint() + " (HTTP " + status + ")" + serverSays);
        }
        if (code.equals("EntryNotFound") || (status == 404 && file != null && !code.equals("RepoNotFound"))) {
            throw new HubException(HubException.Kind.ENTRY_NOT_FOUND, what(id, file) + " was not found on "
                    + env.endpoint() + " (HTTP " + status + ")" + serverSays);
        }
        if (status == 401) {
            throw new HubException(HubException.Kind.UNAUTHORIZED, id.repo() + " was not found or is private: "
                    + (token ? "the HF_TOKEN given is invalid or has no access to it"
                            : "a private repository needs HF_TOKEN (a token with read access)")
                    + " (HTTP 401)" + serverSays);
        }
        if (code.equals("RepoNotFound") || status == 404) {
            throw new HubException(HubException.Kind.REPO_NOT_FOUND, "repository " + id.repo() + " was not found on "
                    + env.endpoint() + " (HTTP " + status + ")" + serverSays);
        }
        if (status >= 500 || status == 429) {
            throw new HubException(HubException.Kind.UNREACHABLE, env.endpoint() + " answered HTTP " + status
                    + " for " + what(id, file) + serverSays);
        }
        throw new HubException(HubException.Kind.PROTOCOL, env.endpoint() + " answered HTTP " + status
                + " for " + what(id, file) + serverSays);
    }

    private static String what(HubId id, String file) {
        return file == null ? id.toString() : file + " of " + id;
    }

    private static void close(HttpResponse<InputStream> r) {
        try {
            r.body().close();
        } catch (IOException e) {
            // the body of an answer we do not use
        }
    }
}
