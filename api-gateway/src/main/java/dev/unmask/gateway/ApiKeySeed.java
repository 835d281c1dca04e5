package dev.unmask.gateway;

import dev.unmask.shared.config.Settings;
import dev.unmask.shared.store.ApiKeyStore;
import java.util.LinkedHashMap;
import java.util.Map;

/** The API keys of {@code UNMASK_API_KEYS} ({@code name:secret,...}), written at start. */
public final class ApiKeySeed {
    private ApiKeySeed() {}

    /** @throws IllegalArgumentException naming the variable when an entry is malformed */
    public static Map<String, String> parse(String value) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String entry : value.split(",")) {
            String trimmed = entry.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            int colon = trimmed.indexOf(':');
            if (colon <= 0 || colon == trimmed.length() - 1) {
                throw new IllegalArgumentException(Settings.API_KEYS.name() + " entries must be name:secret, got an "
                        + "entry without a name or a secret");
            }
            keys.put(trimmed.substring(0, colon).trim(), trimmed.substring(colon + 1).trim());
        }
        return keys;
    }

    /** Creates or updates every key; returns how many. */
    public static int seed(ApiKeyStore store, String value) {
        Map<String, String> keys = parse(value);
        keys.forEach(store::upsert);
        return keys.size();
    }
}
