package dev.unmask.jobspec;

import java.util.List;

/**
 * What a job is: the one description of every train and generate parameter, and the entry point
 * to it. Everything else derives from here.
 *
 * <h2>Design</h2>
 * Each parameter is one {@link Param}: its JSON name (dotted for nested objects, {@code noise.levels}),
 * command-line option, {@link ParamType type}, default, range or choices, a form label and a
 * one-line doc. A default that depends on other values is written once as a {@link DerivedDefault}
 * (warm-up = 5% of steps; a generate seed drawn at random), a parameter that only applies beside
 * another value says so with {@link Param#when} (noise levels when the schedule is discrete), and
 * rules that tie two parameters together (warm-up at most the steps, the protected prefix shorter
 * than a sequence) sit with their {@link ParamSet}. {@link TrainParams} and {@link GenerateParams}
 * list them; {@link ParamValues} carries a set of values between the layers.
 * <p>
 * The consumers, each built from the description rather than holding a copy:
 * <ul>
 *   <li>the gateway's validation ({@code TrainJobSpec.parse}, {@code GenerateJobSpec.parse} in
 *       {@code shared}) reads each parameter by its type, range and default, with the error codes
 *       {@code type}, {@code range}, {@code enum}, {@code length}, {@code unknown_field};</li>
 *   <li>the engine's {@code TrainConfig} and {@code GenerationConfig} check their fields against
 *       it, and are built from {@link ParamValues} in one place each ({@code TrainConfig.from},
 *       {@code GenerationConfig.from}),
 *       which both the command line and the worker call;</li>
 *   <li>{@code ./unmask train} and {@code ./unmask generate} get one option per parameter with a
 *       {@link Param#cli() CLI name}: type, default and help (doc, range, default) from here;</li>
 *   <li>{@code /openapi.json}'s train and generate request schemas are generated from it
 *       ({@code type}, {@code default}, {@code minimum}/{@code exclusiveMinimum}, {@code maximum},
 *       {@code enum}, {@code maxLength}, {@code title}, {@code description}; a derived default as
 *       {@code x-default});</li>
 *   <li>the web UI's training form and playground read labels, placeholders and limits from the
 *       served {@code /openapi.json}.</li>
 * </ul>
 * Tests in each consumer's module compare it with the description, parameter by parameter, so no
 * two of them can disagree again.
 * <p>
 * This module is plain Java (no DJL, Jackson or Vert.x) so that {@code diffusion}, which knows
 * nothing about jobs, and {@code shared}, which knows nothing about tensors, can both depend on it.
 * Values where the copies once disagreed were settled on the API's side: {@code batch_size} at most
 * 4096, {@code prefix_len} at most 8191 (below {@code seq_len}, itself at most 8192), {@code checkpoint_every} 100,
 * {@code eval_samples} 2, generate {@code max_tokens} 240, {@code n} at most 64, a generate seed
 * drawn at random when none is given.
 */
public final class JobParams {
    private JobParams() {}

    public static ParamSet train() {
        return TrainParams.SET;
    }

    public static ParamSet generate() {
        return GenerateParams.SET;
    }

    public static List<ParamSet> all() {
        return List.of(train(), generate());
    }
}
