package dev.unmask.gateway.http;

import io.vertx.ext.web.handler.StaticHandler;

/**
 * The browser UI: plain HTML, CSS and ES modules from {@code webroot/} in the gateway jar, served
 * at {@code /} (hash routes, so every page is {@code index.html}). Nothing is fetched from
 * elsewhere at run time; the pages call the {@code /v1} API with the key the user signs in with.
 */
final class WebUi {
    static final String WEBROOT = "webroot";

    private WebUi() {}

    static StaticHandler handler() {
        return StaticHandler.create(WEBROOT)
                .setCachingEnabled(false) // a new gateway version serves its own UI at once
                .setDirectoryListing(false)
                .setIncludeHidden(false)
                .setDefaultContentEncoding("UTF-8");
    }
}
