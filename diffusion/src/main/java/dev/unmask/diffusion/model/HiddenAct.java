package dev.unmask.diffusion.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The feed-forward activations of HF models ({@code hidden_act}, GPT-2's {@code activation_function}). */
public enum HiddenAct {
    /** Exact GELU, x * Phi(x), with erf. */
    GELU("gelu") {
        @Override
        public NDArray apply(NDArray x) {
            return Activation.gelu(x);
        }
    },
    /** The tanh approximation of GELU (GPT-2's "gelu_new"). */
    GELU_NEW("gelu_new") {
        private static final double SQRT_2_OVER_PI = 0.7978845608028654;

        @Override
        public NDArray apply(NDArray x) {
            // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 * x^3)))
            // out of place throughout: pow's and tanh's backward passes read their outputs
            // constants through Scalars: autograd keeps them for the backward pass
            NDArray cube = x.mul(x).mul(x);
            NDArray inner = Scalars.mul(Scalars.mul(cube, 0.044715f).add(x), (float) SQRT_2_OVER_PI);
            return Scalars.mul(Scalars.add(inner.tanh(), 1f).mul(x), 0.5f);
        }
    },
    RELU("relu") {
        @Override
        public NDArray apply(NDArray x) {
            return Activation.relu(x);
        }
    };

    private final String hfName;

    HiddenAct(String hfName) {
        this.hfName = hfName;
    }

    /** The name in an HF {@code config.json}. */
    public String hfName() {
        return hfName;
    }

    public abstract NDArray apply(NDArray x);

    public static HiddenAct fromHf(String name) {
        return fromHf("hidden_act", name);
    }

    /** The activation named {@code name} in config field {@code field} ({@code activation_function} for GPT-2). */
    public static HiddenAct fromHf(String field, String name) {
        for (HiddenAct act : values()) {
            if (act.hfName.equals(name)) {
                return act;
            }
        }
        throw new InvalidConfigException(field, name, supported());
    }

    public static String supported() {
        return Arrays.stream(values()).map(HiddenAct::hfName).collect(Collectors.joining(", "));
    }
}
