package dev.unmask.worker;

import dev.unmask.diffusion.hub.DownloadListener;
import dev.unmask.diffusion.hub.HubEnvironment;
import dev.unmask.diffusion.hub.HubException;
import dev.unmask.diffusion.hub.HubId;
import dev.unmask.diffusion.hub.HubResolver;
import dev.unmask.shared.job.JobError;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Hub ids named by jobs, resolved into the one HF cache all workers share ({@code UNMASK_HF_CACHE})
 * with {@code huggingface_hub}'s layout and locks, so that a model is downloaded once for every
 * worker. While a file downloads, the job gets a {@code log} line at its start, about every
 * {@link #REPORT_NANOS} and at its end. A private or missing repository fails the job for good.
 */
final class HubModels {
    static final long REPORT_NANOS = 2_000_000_000L;

    private final HubResolver resolver;

    HubModels(HubEnvironment env) {
        this.resolver = new HubResolver(env);
    }

    HubEnvironment environment() {
        return resolver.environment();
    }

    /** The snapshot folder of {@code hubId}; {@code log} receives the download's progress lines. */
    Path folder(String hubId, Consumer<String> log) {
        try {
            return resolver.resolve(HubId.parse(hubId), progress(log));
        } catch (HubException e) {
            throw new JobFailure(error(e), e);
        }
    }

    static JobError error(HubException e) {
        return switch (e.kind()) {
            case UNAUTHORIZED -> JobError.permanent("hub_unauthorized", e.getMessage());
            case REPO_NOT_FOUND, REVISION_NOT_FOUND, ENTRY_NOT_FOUND -> JobError.permanent("hub_not_found", e.getMessage());
            case NOT_CACHED -> JobError.permanent("hub_not_cached", e.getMessage());
            case UNREACHABLE -> JobError.transientError("hub_unreachable", e.getMessage());
            case CORRUPT -> JobError.transientError("hub_corrupt", e.getMessage());
            case PROTOCOL -> JobError.transientError("hub_protocol", e.getMessage());
        };
    }

    private static DownloadListener progress(Consumer<String> log) {
        Map<String, Long> lastReport = new HashMap<>();
        return p -> {
            if (p.fromCache()) {
                return;
            }
            long now = System.nanoTime();
            Long last = lastReport.get(p.file());
            if (last != null && !p.finished() && now - last < REPORT_NANOS) {
                return;
            }
            lastReport.put(p.file(), now);
            log.accept(String.format(Locale.ROOT, "%s %s: %s %.1f/%s MB", p.finished() ? "downloaded" : "downloading",
                    p.repo(), p.file(), p.bytesDone() / 1e6,
                    p.bytesTotal() < 0 ? "?" : String.format(Locale.ROOT, "%.1f", p.bytesTotal() / 1e6)));
        };
    }
}
